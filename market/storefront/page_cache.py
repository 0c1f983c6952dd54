"""Whole catalogue pages, kept per process for every visitor: first visits, returning guests, logged-in buyers.

A catalogue page is the same for everyone who reads it in the same language on the same day, except its
per-visitor parts: the account menu (login state, name, portal links, cart count), flashed messages and
the CSRF token. A page is rendered once with those parts as slots (fragments.KeptPage), kept, and served
again while the database is unchanged (catalog_cache's version check: never stale), each request's
slots filled from its own session; so the kept copy holds nothing of any visitor. The language is part
of the key. Who is logged in is known without loading the user while the database is unchanged
(visitors.resolve), so a warm page costs the version check alone. Reading a page writes nothing.
"""

from __future__ import annotations

from flask import Blueprint, Response, current_app, g, request

from market import clock
from market.i18n import select_locale
from market.services.catalog.cache import cache
from market.storefront import fragments, visitors
from market.storefront.fragments import KeptPage

CACHEABLE = frozenset({
    "storefront.home", "storefront.search", "storefront.category", "storefront.town", "storefront.shops",
    "storefront.shop", "storefront.product",
})


def _cacheable() -> bool:
    """Whether this request's page may be served from or kept in the page cache."""
    return (request.method == "GET" and request.endpoint in CACHEABLE and not current_app.debug
            and cache.enabled())


def _key() -> tuple[str, ...]:
    """The page cache's key of this request's page."""
    # The language (the code Babel's selector gives, settled by visitors.resolve) is all of the visitor that
    # shapes the shared page.
    # Host and script root are part of it, so a forged Host header can never shape another visitor's links.
    return ("page", request.host, request.script_root, request.full_path, select_locale(),
            clock.today().isoformat())


def _respond(page: KeptPage) -> Response:
    """A kept page, filled for this visitor."""
    return Response(page.fill(), mimetype="text/html", headers={"Vary": "Cookie"})


def serve_cached() -> Response | None:
    """Before the view: answer from the cache, or note the version so the page can be kept after."""
    if not _cacheable():
        return None
    version = cache.database_version()
    if version is None:
        return None
    visitors.resolve(version)
    page = cache.lookup(_key(), version)
    if isinstance(page, KeptPage):
        return _respond(page)
    g.page_cache_version = version
    g.page_slots = True  # render the per-visitor parts as slots, so the page can be kept for everyone
    return None


def keep_page(response: Response) -> Response:
    """After the view: keep a freshly rendered page (with its slots) and fill the slots for this visitor.

    A page rendered with slots that is not kept (an error page) is filled all the same.
    """
    if not g.pop("page_slots", False):
        return response
    version = g.pop("page_cache_version")
    if response.mimetype != "text/html" or response.direct_passthrough:
        return response
    page = KeptPage.of(response.get_data(as_text=True))
    if response.status_code == 200:
        cache.store(_key(), version, page)
    response.set_data(page.fill())
    response.vary.add("Cookie")
    return response


def register(bp: Blueprint) -> None:
    """Serve and keep the blueprint's catalogue pages; offer the slot-aware header parts to every template."""
    fragments.register(bp)
    bp.before_request(serve_cached)
    bp.after_request(keep_page)
