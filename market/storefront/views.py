"""Public pages: home, catalogue by category/town/outlet, search, product and shop pages, privacy,
language switch, /healthz."""

from __future__ import annotations

import sqlalchemy as sa
from flask import abort, jsonify, redirect, render_template, request, session
from flask.typing import ResponseReturnValue

from market import clock
from market.domain.paging import parse_page_number
from market.extensions import db
from market.i18n import LANGUAGES
from market.security import safe_next
from market.services.catalog import detail as catalog_detail
from market.services.catalog import pages as catalog_pages
from market.storefront import bp
from market.storefront.fragments import render_page
from market.storefront.params import browse_request, is_code


@bp.route("/")
def home() -> ResponseReturnValue:
    """Seasonal and featured produce, and the ways into the catalogue."""
    return render_page("storefront/home.html", "storefront/_home_body.html", home=catalog_pages.home(clock.today()))


@bp.route("/search")
def search() -> ResponseReturnValue:
    """Products on offer matching the words and filters; an empty search lists everything."""
    asked = browse_request(request.args)
    browse = catalog_pages.search(clock.today(), asked.criteria, asked.page)
    return render_page("storefront/search.html", "storefront/_search_body.html",
                       browse=browse, query=browse.criteria.text, too_long=asked.shortened)


@bp.route("/category/<code>")
def category(code: str) -> ResponseReturnValue:
    """Products on offer in one category."""
    asked = browse_request(request.args)
    browse = catalog_pages.category(clock.today(), code, asked.criteria, asked.page) if is_code(code) else None
    if browse is None:
        abort(404)
    return render_page("storefront/category.html", "storefront/_category_body.html", browse=browse)


@bp.route("/town/<code>")
def town(code: str) -> ResponseReturnValue:
    """Products from one town's producers, optionally one village's (`?village=<code>`)."""
    asked = browse_request(request.args)
    browse = catalog_pages.town(clock.today(), code, asked.criteria, asked.page) if is_code(code) else None
    if browse is None:
        abort(404)
    return render_page("storefront/town.html", "storefront/_town_body.html", browse=browse)


@bp.route("/shops")
def shops() -> ResponseReturnValue:
    """The certified outlets, optionally of one kind."""
    listing = catalog_pages.outlets(clock.today(), request.args.get("kind"),
                                    parse_page_number(request.args.get("page")))
    return render_page("storefront/shops.html", "storefront/_shops_body.html", listing=listing)


@bp.route("/shop/<code>")
def shop(code: str) -> ResponseReturnValue:
    """An outlet's shop page (its counter QR code points here): certificate, address and listings."""
    if not is_code(code):
        abort(404)
    page = catalog_detail.shop_page(clock.today(), code, parse_page_number(request.args.get("page")))
    if page is None:
        abort(404)
    return render_page("storefront/shop.html", "storefront/_shop_body.html", shop=page)


@bp.route("/product/<sku>")
def product(sku: str) -> ResponseReturnValue:
    """A product: photos, price per outlet, stock, provenance, certificate, and the buy form."""
    page = catalog_detail.product_page(clock.today(), sku) if is_code(sku) else None
    if page is None:
        abort(404)
    chosen = page.chosen_offer(request.args.get("outlet"))
    return render_page("storefront/product.html", "storefront/_product_body.html", page=page, chosen=chosen)


@bp.route("/privacy")
def privacy() -> ResponseReturnValue:
    """The privacy policy (个人信息保护政策)."""
    return render_template("storefront/privacy.html")


@bp.route("/lang/<code>")
def set_language(code: str) -> ResponseReturnValue:
    """Switch this browser's interface language and go back to the page the visitor was on.

    A plain link that works without JavaScript and keeps pages free of per-visitor tokens, so it
    changes the session only: a saved account language changes on the profile page (a POST with CSRF),
    never through a link another site could make a browser follow."""
    if code in LANGUAGES:
        session["lang"] = code
    return redirect(safe_next(request.args.get("next")))


@bp.route("/healthz")
def healthz() -> ResponseReturnValue:
    """JSON health check: is the database reachable?"""
    try:
        db.session.execute(sa.text("SELECT 1"))
    except sa.exc.SQLAlchemyError:
        db.session.rollback()
        return jsonify(status="error", database="unreachable"), 503
    return jsonify(status="ok", database="ok")
