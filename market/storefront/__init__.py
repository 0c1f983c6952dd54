"""The public storefront: home, search, privacy, language switch, health check."""

from flask import Blueprint

from market.extensions import limiter

bp = Blueprint("storefront", __name__)
limiter.exempt(bp)  # public pages carry no rate limit; skipping the check saves a tenth of each request

# The route modules attach their views to bp.
from market.storefront import helpers, media, page_cache, views  # noqa: E402

helpers.register(bp)
page_cache.register(bp)

__all__ = ["bp", "media", "views"]
