"""The outlet staff page: owners add colleagues by email or invite new addresses, set owner or staff, remove."""

from __future__ import annotations

from flask import abort, current_app, flash, redirect, request, url_for
from flask.typing import ResponseReturnValue
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import EmailField, RadioField, SubmitField

from market import clock
from market.extensions import db
from market.forms import apply_service_error, commit_or_flash, length, render_form_page, required, valid_email
from market.models import Outlet
from market.outlet import bp
from market.security import acting_user
from market.services.accounts import outbox
from market.services.errors import ServiceError
from market.services.outlets import access
from market.services.outlets import staff as staffing

ROLE_CHOICES = [("staff", _l("Staff")), ("owner", _l("Owner"))]


class AddStaffForm(FlaskForm):
    """A colleague's email (added at once if they have an account, else invited) and owner or staff."""

    email = EmailField(_l("Email"), validators=[required(), valid_email(), length(254)])
    role = RadioField(_l("Role at the outlet"), choices=ROLE_CHOICES, default="staff", validators=[required()])
    submit = SubmitField(_l("Add or invite"))


class MemberRoleForm(FlaskForm):
    """Owner or staff, for one member."""

    role = RadioField(_l("Role at the outlet"), choices=ROLE_CHOICES, validators=[required()])


def _owned(code: str) -> Outlet:
    """The outlet if the user owns it: 404 when they do not work there, 403 when they are staff only."""
    user = acting_user()
    outlet = access.staff_outlet(user, code) or abort(404)
    if access.owned_outlet(user, code) is None:
        abort(403)
    return outlet


def _render(outlet: Outlet, form: AddStaffForm, owner: bool) -> ResponseReturnValue:
    page = staffing.staff_page(outlet, clock.now())
    return render_form_page("outlet/staff.html", outlet=outlet, form=form, owner=owner, page=page,
                            role_form=MemberRoleForm(), me=acting_user())


@bp.route("/<code>/staff", methods=["GET", "POST"])
def staff(code: str) -> ResponseReturnValue:
    """The outlet's members and open invitations; owners get the forms to change them. Posted by an owner: add
    an existing user by email at once, or mail an invitation to a new address (after the commit)."""
    user = acting_user()
    form = AddStaffForm()
    if request.method == "GET":
        outlet = access.staff_outlet(user, code) or abort(404)
        return _render(outlet, form, access.owned_outlet(user, code) is not None)
    outlet = _owned(code)
    if form.validate_on_submit():
        try:
            added = staffing.add_or_invite(acting_user(), outlet, form.email.data or "", form.role.data == "owner",
                                           clock.now(), clock.today())
        except ServiceError as err:
            db.session.rollback()
            apply_service_error(form, err)
        else:
            if added.token is not None:  # the mail is an outbox row of the invitation's own transaction
                _mail_invitation(outlet, added.email, added.token)
            db.session.commit()
            if added.token is not None:
                flash(_("%(email)s has no account yet: an invitation valid for 7 days has been sent.",
                        email=added.email), "success")
            else:
                flash(_("%(email)s now works for this outlet.", email=added.email), "success")
            return redirect(url_for("outlet.staff", code=outlet.code))
    return _render(outlet, form, True)


def _mail_invitation(outlet: Outlet, email: str, token: str) -> None:
    """Queue the invitation link (the database keeps the token's digest; the token itself is only in the mail,
    whose outbox row loses its body once sent)."""
    link = current_app.config["MARKET_PUBLIC_URL"] + url_for("account.invitation", token=token)
    outbox.queue(email, _("Invitation to work for %(outlet)s — Long County market", outlet=outlet.name),
                 _("You are invited to work for %(outlet)s (%(code)s) on the Long County market.\n\n"
                   "Open this link within 7 days, register or log in with this email address, and accept:\n\n"
                   "%(link)s\n\nIf you do not expect this, ignore this mail.",
                   outlet=outlet.name, code=outlet.code, link=link), "outlet.invitation")


@bp.route("/<code>/staff/<int:membership_id>/role", methods=["POST"])
def staff_role(code: str, membership_id: int) -> ResponseReturnValue:
    """Make a member an owner or staff (the last owner stays an owner)."""
    outlet = _owned(code)
    form = MemberRoleForm()
    if not form.validate_on_submit():
        abort(400)
    try:
        commit_or_flash(lambda: staffing.set_owner(acting_user(), outlet, membership_id, form.role.data == "owner"),
                        _("Role changed."))
    except LookupError:
        abort(404)
    return redirect(url_for("outlet.staff", code=outlet.code))


@bp.route("/<code>/staff/<int:membership_id>/remove", methods=["POST"])
def staff_remove(code: str, membership_id: int) -> ResponseReturnValue:
    """Remove a member from the outlet (never the last owner)."""
    outlet = _owned(code)
    try:
        commit_or_flash(lambda: staffing.remove(acting_user(), outlet, membership_id, clock.today()),
                        _("Removed from the outlet's staff."))
    except LookupError:
        abort(404)
    return redirect(url_for("outlet.staff", code=outlet.code))


@bp.route("/<code>/invitations/<int:invitation_id>/cancel", methods=["POST"])
def invitation_cancel(code: str, invitation_id: int) -> ResponseReturnValue:
    """Cancel an open invitation: its link stops working."""
    outlet = _owned(code)
    try:
        commit_or_flash(lambda: staffing.cancel_invitation(acting_user(), outlet, invitation_id, clock.now()),
                        _("Invitation cancelled."))
    except LookupError:
        abort(404)
    return redirect(url_for("outlet.staff", code=outlet.code))
