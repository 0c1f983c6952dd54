"""Applying for outlet certification from one's account: the form (save a draft, submit with the pledge), edit a
draft or returned application, withdraw, the list with status and outlet code, a page per application with its
history, and its private premises photos. Another user's application answers 404, like a missing one."""

from __future__ import annotations

from flask import abort, flash, redirect, render_template, request, url_for
from flask.typing import ResponseReturnValue
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_login import login_required

from market import clock, storage
from market.account import bp
from market.account.application_forms import ApplicationForm, WithdrawForm
from market.domain.outlet_application import (
    MAX_PHOTOS,
    ApplicationAction,
    ApplicationActor,
    ApplicationPurpose,
    ApplicationStatus,
    allowed_actions,
)
from market.extensions import db
from market.forms import apply_service_error, commit_or_flash, render_form_page
from market.models import OutletApplication
from market.security import acting_user
from market.services.errors import ServiceError
from market.services.outlets import applications, filing
from market.templating import localized

STATUSES = {
    ApplicationStatus.DRAFT: _l("Draft"),
    ApplicationStatus.SUBMITTED: _l("Submitted"),
    ApplicationStatus.REVIEWED: _l("Reviewed by the county"),
    ApplicationStatus.ON_NOTICE: _l("On public notice"),
    ApplicationStatus.CERTIFIED: _l("Certified"),
    ApplicationStatus.RETURNED: _l("Returned for changes"),
    ApplicationStatus.REJECTED: _l("Rejected"),
    ApplicationStatus.WITHDRAWN: _l("Withdrawn"),
}
_WITH_COUNTY = _l("The county is handling your application. You will be mailed at each decision.")
HINTS = {  # what the applicant can expect next, by status
    ApplicationStatus.DRAFT: _l("The county sees this application only once you submit it."),
    ApplicationStatus.RETURNED: _l("Change what the county asked for and submit the application again."),
    ApplicationStatus.SUBMITTED: _WITH_COUNTY,
    ApplicationStatus.REVIEWED: _WITH_COUNTY,
    ApplicationStatus.ON_NOTICE: _WITH_COUNTY,
    ApplicationStatus.CERTIFIED: _l("Your outlet is certified. Its pages are in the outlet area."),
}
PURPOSES = {
    ApplicationPurpose.NEW: _l("New outlet"),
    ApplicationPurpose.RENEWAL: _l("Renewal"),
    ApplicationPurpose.CHANGE: _l("Change of certified details"),
}
EVENTS = {
    "create": _l("Draft started"),
    ApplicationAction.SUBMIT: _l("Submitted"),
    ApplicationAction.WITHDRAW: _l("Withdrawn by the applicant"),
    ApplicationAction.REVIEW: _l("Reviewed by the county"),
    ApplicationAction.PUT_ON_NOTICE: _l("Approved: on public notice"),
    ApplicationAction.RETURN: _l("Returned for changes"),
    ApplicationAction.REJECT: _l("Rejected"),
    ApplicationAction.CERTIFY: _l("Certified"),
    ApplicationAction.UPHOLD_OBJECTION: _l("Withdrawn: an objection was upheld"),
}


def _page(template: str, form: ApplicationForm, **context: object) -> ResponseReturnValue:
    """Render the form page (422 when a POST was refused)."""
    return render_form_page(template, form=form, max_photos=MAX_PHOTOS, statuses=STATUSES, purposes=PURPOSES,
                            returned=ApplicationStatus.RETURNED, **context)


def _towns(form: ApplicationForm) -> None:
    """The town choices, from the register."""
    form.town_id.choices = [(t.id, localized(t)) for t in applications.towns()]


def _save(form: ApplicationForm, **where: object) -> OutletApplication | None:
    """File the posted form (one service call, one commit); None when it was refused (errors on the form)."""
    try:
        saved = filing.file_application(
            acting_user(), form.details(), request.files.getlist(form.photos.name), submit=bool(form.submit.data),
            pledged=bool(form.pledge.data), now=clock.now(), today=clock.today(), **where)  # type: ignore[arg-type]
    except ServiceError as err:
        db.session.rollback()
        apply_service_error(form, err)
        return None
    db.session.commit()
    flash(_("Your application has been submitted.") if form.submit.data else _("Your draft has been saved."),
          "success")
    return saved


@bp.route("/applications")
@login_required
def applications_list() -> ResponseReturnValue:
    """The user's applications with status and outlet code, and what they may file for outlets they own."""
    user = acting_user()
    return render_template("account/applications.html", applications=applications.applicant_applications(user),
                           owned=applications.owned_outlets(user, clock.today()), statuses=STATUSES,
                           purposes=PURPOSES)


@bp.route("/applications/new", methods=["GET", "POST"])
@login_required
def application_new() -> ResponseReturnValue:
    """The application form: a new outlet, or (?outlet=CODE&purpose=renewal|change) one the user owns."""
    try:
        outlet, purpose = filing.applicant_outlet(acting_user(), request.args.get("outlet"),
                                                  request.args.get("purpose"))
    except ServiceError as err:
        flash(err.message, "error")
        return redirect(url_for("account.applications_list"))
    form = ApplicationForm(data=applications.details_of(outlet) if outlet and request.method == "GET" else None)
    _towns(form)
    if form.validate_on_submit():
        saved = _save(form, outlet=outlet, purpose=purpose)
        if saved is not None:
            return redirect(url_for("account.application", application_id=saved.id))
    return _page("account/application_form.html", form, outlet=outlet, purpose=purpose, application=None)


def _own(application_id: int) -> OutletApplication:
    """The user's application, or 404."""
    return applications.applicant_application(acting_user(), application_id) or abort(404)


@bp.route("/applications/<int:application_id>")
@login_required
def application(application_id: int) -> ResponseReturnValue:
    """One application: its status, outlet code, what it says, photos, and the history of decisions."""
    found = _own(application_id)
    return render_template("account/application.html", application=found, statuses=STATUSES, purposes=PURPOSES,
                           hint=HINTS.get(found.status), events=EVENTS,
                           actions=allowed_actions(found.status, ApplicationActor.APPLICANT),
                           withdraw_form=WithdrawForm())


@bp.route("/applications/<int:application_id>/edit", methods=["GET", "POST"])
@login_required
def application_edit(application_id: int) -> ResponseReturnValue:
    """Edit a draft or returned application, then save it or (re)submit it."""
    found = _own(application_id)
    if ApplicationAction.EDIT not in allowed_actions(found.status, ApplicationActor.APPLICANT):
        flash(_("This application can no longer be changed."), "error")
        return redirect(url_for("account.application", application_id=found.id))
    form = ApplicationForm(data=applications.details_of(found) if request.method == "GET" else None)
    _towns(form)
    if form.validate_on_submit():
        saved = _save(form, application=found)
        if saved is not None:
            return redirect(url_for("account.application", application_id=saved.id))
    return _page("account/application_form.html", form, outlet=found.outlet,
                 purpose=ApplicationPurpose(found.purpose), application=found)


@bp.route("/applications/<int:application_id>/withdraw", methods=["POST"])
@login_required
def application_withdraw(application_id: int) -> ResponseReturnValue:
    """Withdraw one's own draft or submitted application."""
    found = _own(application_id)
    if WithdrawForm().validate_on_submit():
        commit_or_flash(lambda: applications.withdraw(found, acting_user()),
                        _("Application %(code)s withdrawn.", code=found.outlet.code))
    return redirect(url_for("account.application", application_id=found.id))


@bp.route("/applications/<int:application_id>/photos/<int:photo_id>/remove", methods=["POST"])
@login_required
def application_photo_remove(application_id: int, photo_id: int) -> ResponseReturnValue:
    """Remove a photo from a draft or returned application."""
    found = _own(application_id)
    if WithdrawForm().validate_on_submit():  # a CSRF-checked button
        commit_or_flash(lambda: applications.remove_photo(found, acting_user(), photo_id), _("Photo removed."))
    return redirect(url_for("account.application_edit", application_id=found.id))


@bp.route("/applications/<int:application_id>/photos/<int:photo_id>", defaults={"size": "full"})
@bp.route("/applications/<int:application_id>/photos/<int:photo_id>/<any(thumb):size>")
@login_required
def application_photo(application_id: int, photo_id: int, size: str) -> ResponseReturnValue:
    """A private premises photo, for the applicant, the outlet's staff and county staff only (others: 404)."""
    photo = applications.visible_photo(acting_user(), application_id, photo_id) or abort(404)
    return storage.send(photo.thumb_key if size == "thumb" else photo.key)
