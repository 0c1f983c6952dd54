"""Accounts: register, log in and out, profile, password change and reset."""

from flask import Blueprint

bp = Blueprint("account", __name__)

# The route modules attach their views to bp.
from market.account import invitations, orders, payments, views  # noqa: E402

__all__ = ["bp", "invitations", "orders", "payments", "views"]
