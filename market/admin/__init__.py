"""Site administration: users and roles, outgoing mail."""

from flask import Blueprint

from market.security import guard_blueprint

bp = Blueprint("admin", __name__)
bp.before_request(guard_blueprint("admin"))

# The route modules attach their views to bp.
from market.admin import mail, views  # noqa: E402

__all__ = ["bp", "mail", "views"]
