"""Cart and checkout."""

from flask import Blueprint

bp = Blueprint("cart", __name__)

# The route modules attach their views to bp.
from market.cart import checkout, views  # noqa: E402

__all__ = ["bp", "checkout", "views"]
