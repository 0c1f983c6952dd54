"""Institution buyers' area: the institutions the user buys for."""

from __future__ import annotations

from flask import render_template
from flask.typing import ResponseReturnValue

from market.institution import bp
from market.security import acting_user
from market.services import overview


@bp.route("/")
def index() -> ResponseReturnValue:
    """Landing page: the user's institutions, their verification and programme."""
    return render_template("institution/index.html", institutions=overview.institutions_for(acting_user()))
