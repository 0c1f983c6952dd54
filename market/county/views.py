"""County back-office: certification and household-register figures."""

from __future__ import annotations

from flask import Blueprint, render_template

from market.domain.dates import business_date
from market.security import guard_blueprint
from market.services import overview

bp = Blueprint("county", __name__)
bp.before_request(guard_blueprint("county_staff"))


@bp.route("/")
def index():  # type: ignore[no-untyped-def]
    """Landing page: certified outlets and products, the household register, expiring certificates."""
    today = business_date()
    return render_template("county/index.html", figures=overview.county_figures(today), today=today)
