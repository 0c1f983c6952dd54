"""Accepting an invitation to an outlet's staff: reachable by anyone holding the mailed link, before they
have the outlet_staff role (so it lives under /account/, not the guarded /outlet/ area)."""

from __future__ import annotations

from flask import flash, redirect, render_template, request, url_for
from flask.typing import ResponseReturnValue
from flask_babel import gettext as _
from flask_login import current_user
from flask_wtf import FlaskForm
from wtforms import SubmitField

from market import clock
from market.account import bp
from market.extensions import db
from market.security import acting_user, login_redirect
from market.services.errors import ServiceError
from market.services.outlets import staff as staffing


class AcceptForm(FlaskForm):
    """One button: accept the invitation."""

    submit = SubmitField()


@bp.route("/invitations/<token>", methods=["GET", "POST"])
def invitation(token: str) -> ResponseReturnValue:
    """Show the invitation (which outlet, for which address); a logged-in user with that address accepts it.

    A visitor without an account registers or logs in first and comes back here; a bad, used, cancelled
    or expired link is said at once (410)."""
    try:
        found = staffing.open_invitation(token, clock.now())
    except ServiceError as err:
        return render_template("account/invitation.html", error=err.message, invitation=None, form=None), 410
    form = AcceptForm()
    if request.method == "POST":
        if not current_user.is_authenticated:
            return login_redirect()
        if form.validate_on_submit():
            try:
                membership = staffing.accept(acting_user(), token, clock.now(), clock.today())
            except ServiceError as err:
                db.session.rollback()
                flash(err.message, "error")
            else:
                db.session.commit()
                flash(_("You now work for %(outlet)s.", outlet=membership.outlet.name), "success")
                if current_user.has_role("outlet_staff"):
                    return redirect(url_for("outlet.index"))
                return redirect(url_for("account.profile"))
    return render_template("account/invitation.html", invitation=found, form=form, error=None)
