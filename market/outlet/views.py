"""Outlet portal: the outlets the user works for, their certification, listings and stock."""

from __future__ import annotations

from flask import Blueprint, render_template

from market.domain.dates import business_date
from market.security import acting_user, guard_blueprint
from market.services import overview

bp = Blueprint("outlet", __name__)
bp.before_request(guard_blueprint("outlet_staff"))


@bp.route("/")
def index():  # type: ignore[no-untyped-def]
    """Landing page: each of the user's outlets with certificate, listings and stock."""
    today = business_date()
    return render_template("outlet/index.html", outlets=overview.outlets_for(acting_user(), today), today=today)
