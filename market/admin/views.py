"""Administration: list users, grant and revoke roles (audited), attach users to outlets, recent audit events."""

from __future__ import annotations

from flask import abort, flash, redirect, render_template, request, url_for
from flask.typing import ResponseReturnValue
from flask_babel import gettext as _

from market import clock
from market.admin import bp
from market.admin.forms import AttachStaffForm, RoleForm
from market.domain.paging import parse_page_number
from market.extensions import db
from market.models import User
from market.security import acting_user
from market.services.accounts import directory
from market.services.accounts import users as accounts
from market.services.errors import ServiceError
from market.services.outlets import staff as outlet_staff


@bp.route("/")
def index() -> ResponseReturnValue:
    """Users with their roles (paged, searchable by email), role counts, latest audit events."""
    view = directory.admin_overview(request.args.get("q", ""), parse_page_number(request.args.get("page")))
    return render_template("admin/index.html", users=view.users, q=view.email_part, role_counts=view.role_counts,
                           events=view.events, form=RoleForm(), attach_form=AttachStaffForm())


@bp.route("/users/<int:user_id>/roles", methods=["POST"])
def change_role(user_id: int) -> ResponseReturnValue:
    """Grant or revoke a role; every change is audited."""
    user = db.session.get(User, user_id) or abort(404)
    form = RoleForm()
    if not form.validate_on_submit():
        flash(_("Choose a known role."), "error")
        return redirect(url_for("admin.index"))
    try:
        if form.action.data == "grant":
            changed = accounts.grant_role(acting_user(), user, form.role.data)
        else:
            changed = accounts.revoke_role(acting_user(), user, form.role.data)
    except ServiceError as err:
        db.session.rollback()
        flash(err.message, "error")
        return redirect(url_for("admin.index"))
    db.session.commit()
    if changed:
        flash(_("Roles of %(email)s updated.", email=user.email), "success")
    else:
        flash(_("Nothing changed for %(email)s.", email=user.email), "info")
    return redirect(url_for("admin.index"))


@bp.route("/outlet-staff", methods=["POST"])
def attach_outlet_staff() -> ResponseReturnValue:
    """Attach an existing user to an outlet by its code (audited; the outlet_staff role follows)."""
    form = AttachStaffForm()
    if form.validate_on_submit():
        try:
            outlet_staff.attach_by_admin(acting_user(), form.outlet_code.data or "", form.email.data or "",
                                         form.role.data == "owner", clock.today())
        except ServiceError as err:
            db.session.rollback()
            flash(err.message, "error")
        else:
            db.session.commit()
            flash(_("%(email)s now works for outlet %(code)s.", email=form.email.data, code=form.outlet_code.data),
                  "success")
    else:
        flash(" ".join(str(e) for errors in form.errors.values() for e in errors), "error")
    return redirect(url_for("admin.index"))
