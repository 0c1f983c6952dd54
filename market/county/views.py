"""County back-office: certification and household-register figures."""

from __future__ import annotations

from flask import render_template
from flask.typing import ResponseReturnValue

from market import clock
from market.county import bp
from market.services import overview


@bp.route("/")
def index() -> ResponseReturnValue:
    """Landing page: certified outlets and products, the household register, expiring certificates."""
    today = clock.today()
    return render_template("county/index.html", figures=overview.county_figures(today), today=today)
