"""Outlet portal: the outlets the user works for, their certification, listings and stock."""

from __future__ import annotations

from flask import render_template
from flask.typing import ResponseReturnValue

from market import clock
from market.outlet import bp
from market.security import acting_user
from market.services import overview


@bp.route("/")
def index() -> ResponseReturnValue:
    """Landing page: each of the user's outlets with certificate, listings and stock."""
    today = clock.today()
    return render_template("outlet/index.html", outlets=overview.outlets_for(acting_user(), today), today=today)
