"""Institution buyers' area: the institutions the user buys for."""

from __future__ import annotations

from flask import Blueprint, render_template

from market.security import acting_user, guard_blueprint
from market.services import overview

bp = Blueprint("institution", __name__)
bp.before_request(guard_blueprint("institution_buyer"))


@bp.route("/")
def index():  # type: ignore[no-untyped-def]
    """Landing page: the user's institutions, their verification and programme."""
    return render_template("institution/index.html", institutions=overview.institutions_for(acting_user()))
