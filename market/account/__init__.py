"""Accounts: register, log in and out, profile, password change and reset."""

from flask import Blueprint

bp = Blueprint("account", __name__)

# The route modules attach their views to bp.
from market.account import applications, invitations, orders, payments, views  # noqa: E402

__all__ = ["applications", "bp", "invitations", "orders", "payments", "views"]
