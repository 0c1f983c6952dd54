"""Whole catalogue pages for visitors who send no cookie (first visits, e.g. from an outlet's QR code).

Without a cookie there is no session: no user, no cart, no flashed message, the default language. Such a
page depends only on its URL, the business date and the data, so it is kept per process and served again
while the database is unchanged (catalog_cache's version check: never stale). A CSRF token in the page
(the product page's buy form) is kept as a slot and filled for each visitor, who gets a session then.
"""

from __future__ import annotations

from flask import Blueprint, Response, current_app, g, request
from flask_wtf.csrf import generate_csrf
from markupsafe import Markup

from market import clock
from market.i18n import DEFAULT_LANGUAGE
from market.services.catalog.cache import cache
from market.storefront.fragments import CSRF_SLOT

CACHEABLE = frozenset({
    "storefront.home", "storefront.search", "storefront.category", "storefront.town", "storefront.shops",
    "storefront.shop", "storefront.product",
})


def _cacheable() -> bool:
    return (request.method == "GET" and not request.cookies and request.endpoint in CACHEABLE
            and not current_app.debug and cache.enabled())


def _key() -> tuple[str, ...]:
    # Without a cookie the language is always the default one (no session, no user to ask).
    # Host and script root are part of it, so a forged Host header can never shape another visitor's links.
    return ("page", request.host, request.script_root, request.full_path, DEFAULT_LANGUAGE,
            clock.today().isoformat())


def _respond(html: str) -> Response:
    if CSRF_SLOT in html:
        html = html.replace(CSRF_SLOT, str(Markup.escape(generate_csrf())))
    response = Response(html, mimetype="text/html")
    response.vary.add("Cookie")
    return response


def serve_cached() -> Response | None:
    """Before the view: answer from the cache, or note the version so the page can be kept after."""
    if not _cacheable():
        return None
    version = cache.database_version()
    if version is None:
        return None
    html = cache.lookup(_key(), version)
    if isinstance(html, str):
        return _respond(html)
    g.page_cache_version = version
    g.defer_csrf = True  # render the page with the slot, so it can be kept for every visitor
    return None


def keep_page(response: Response) -> Response:
    """After the view: keep a freshly rendered page (with its slot) and fill the slot for this visitor."""
    version = g.pop("page_cache_version", None)
    if version is None or response.status_code != 200 or response.mimetype != "text/html":
        return response
    html = response.get_data(as_text=True)
    cache.store(_key(), version, html)
    filled = _respond(html)
    response.set_data(filled.get_data())
    response.vary.add("Cookie")
    return response


def register(bp: Blueprint) -> None:
    """Serve and keep the blueprint's catalogue pages."""
    bp.before_request(serve_cached)
    bp.after_request(keep_page)
