"""Provider webhooks (CSRF-exempt, verified by signature)."""

from flask import Blueprint

bp = Blueprint("webhooks", __name__)

# The route modules attach their views to bp.
from market.webhooks import views  # noqa: E402

__all__ = ["bp", "views"]
