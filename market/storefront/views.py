"""Public pages: home with certified produce, search, privacy policy, language switch, /healthz."""

from __future__ import annotations

import sqlalchemy as sa
from flask import Blueprint, jsonify, redirect, render_template, request, session
from flask_login import current_user

from market.domain.dates import business_date
from market.extensions import db
from market.i18n import LANGUAGES
from market.security import safe_next
from market.services import catalog

bp = Blueprint("storefront", __name__)

MAX_QUERY_LENGTH = 100


@bp.route("/")
def home():  # type: ignore[no-untyped-def]
    """Certified produce on offer today, featured and in-season first."""
    listings = catalog.featured_listings(business_date())
    return render_template("storefront/home.html", listings=listings)


@bp.route("/search")
def search():  # type: ignore[no-untyped-def]
    """Purchasable listings whose product matches the query."""
    query = request.args.get("q", "")
    too_long = len(query) > MAX_QUERY_LENGTH
    listings = catalog.search_listings(business_date(), query[:MAX_QUERY_LENGTH]) if query.strip() else []
    return render_template(
        "storefront/search.html", query=query[:MAX_QUERY_LENGTH], listings=listings, too_long=too_long
    )


@bp.route("/privacy")
def privacy():  # type: ignore[no-untyped-def]
    """The privacy policy (个人信息保护政策)."""
    return render_template("storefront/privacy.html")


@bp.route("/lang/<code>")
def set_language(code: str):  # type: ignore[no-untyped-def]
    """Switch the interface language and go back to the page the visitor was on."""
    if code in LANGUAGES:
        session["lang"] = code
        if current_user.is_authenticated and current_user.locale != code:
            current_user.locale = code
            db.session.commit()
    return redirect(safe_next(request.args.get("next")))


@bp.route("/healthz")
def healthz():  # type: ignore[no-untyped-def]
    """JSON health check: is the database reachable?"""
    try:
        db.session.execute(sa.text("SELECT 1"))
    except sa.exc.SQLAlchemyError:
        db.session.rollback()
        return jsonify(status="error", database="unreachable"), 503
    return jsonify(status="ok", database="ok")
