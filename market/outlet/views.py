"""Outlet portal: the outlets the user works for, their certification, listings and stock."""

from __future__ import annotations

from flask import render_template
from flask.typing import ResponseReturnValue

from market import clock
from market.outlet import bp
from market.security import acting_user
from market.services import overview
from market.services.sales import lines
from market.services.sales.wording import STATE_LABELS


@bp.route("/")
def index() -> ResponseReturnValue:
    """Landing page: each of the user's outlets with certificate, listings, stock and this month's counter sales."""
    today = clock.today()
    outlets = overview.outlets_for(acting_user(), today)
    ids = [s.outlet.id for s in outlets]
    return render_template("outlet/index.html", outlets=outlets, today=today, sale_states=STATE_LABELS,
                           month_sales=lines.month_totals(ids, today), waiting_sales=lines.waiting_totals(ids))
