"""Outlet portal for outlet staff."""

from flask import Blueprint

from market.security import guard_blueprint

bp = Blueprint("outlet", __name__)
bp.before_request(guard_blueprint("outlet_staff"))

# The route modules attach their views to bp.
from market.outlet import (  # noqa: E402
    counter,
    listings,
    orders,
    photos,
    poster,
    profile,
    sales,
    sales_import,
    staff,
    views,
)

__all__ = ["bp", "counter", "listings", "orders", "photos", "poster", "profile", "sales", "sales_import", "staff",
           "views"]
