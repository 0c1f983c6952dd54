"""Institution buyers' area."""

from flask import Blueprint

from market.security import guard_blueprint

bp = Blueprint("institution", __name__)
bp.before_request(guard_blueprint("institution_buyer"))

# The route modules attach their views to bp.
from market.institution import views  # noqa: E402

__all__ = ["bp", "views"]
