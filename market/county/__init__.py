"""County back-office for county staff."""

from flask import Blueprint

from market.security import guard_blueprint

bp = Blueprint("county", __name__)
bp.before_request(guard_blueprint("county_staff"))

# The route modules attach their views to bp.
from market.county import calendar, payments, sales, views  # noqa: E402

__all__ = ["bp", "calendar", "payments", "sales", "views"]
