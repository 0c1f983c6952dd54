"""Applying for outlet certification (认定申请), as the applicant: start (new outlet, renewal, change), edit,
submit with the truthfulness pledge, withdraw, premises photos; and reading one's applications.

The outlet and its code are made when a new application is started (the code is never handed out again,
even if the application is withdrawn); renewals and changes are filed by an owner for the same outlet and code.
The outlet_staff role and the owner membership come only when the county certifies (decisions.py).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, fields
from datetime import date, datetime

import sqlalchemy as sa
from flask_babel import lazy_gettext as _l
from werkzeug.datastructures import FileStorage

from market import storage
from market.domain.outlet_application import (
    MAX_PHOTOS,
    OPEN_STATUSES,
    ApplicationAction,
    ApplicationActor,
    ApplicationPurpose,
    ApplicationStatus,
    TransitionRefused,
    may_renew,
    next_status,
)
from market.extensions import db
from market.models import (
    Outlet,
    OutletApplication,
    OutletApplicationEvent,
    OutletApplicationPhoto,
    OutletMembership,
    Town,
    User,
)
from market.services import uploads
from market.services.errors import ServiceError
from market.services.outlets import codes
from market.services.outlets.details import ApplicationDetails, check_details

PHOTO_FOLDER = "premises"


def event(application: OutletApplication, action: ApplicationAction | str, actor: User | None,
          reason: str | None = None) -> OutletApplicationEvent:
    """Append one step to the application's history (the status it is in now)."""
    step = OutletApplicationEvent(action=str(action), status=application.status,
                                  actor_id=actor.id if actor is not None else None, reason=reason)
    application.events.append(step)
    return step


def move(application: OutletApplication, action: ApplicationAction, actor: ApplicationActor) -> ApplicationStatus:
    """Change the status through the state machine; ServiceError with the reason when it refuses."""
    try:
        application.status = next_status(application.status, action, actor)
    except TransitionRefused as refused:
        raise ServiceError(
            _l("This application cannot be changed that way now (%(why)s).", why=str(refused))) from refused
    return ApplicationStatus(application.status)


def _fill(application: OutletApplication, details: ApplicationDetails) -> None:
    """Copy the form's values onto the application."""
    for f in fields(details):
        setattr(application, f.name, getattr(details, f.name))


def open_application(outlet: Outlet) -> OutletApplication | None:
    """The outlet's application still in progress, if any (an outlet has at most one)."""
    return db.session.scalar(sa.select(OutletApplication).where(
        OutletApplication.outlet_id == outlet.id, OutletApplication.status.in_(OPEN_STATUSES)))


def start_new(applicant: User, details: ApplicationDetails) -> OutletApplication:
    """A draft application for a new outlet; the outlet row and its code are made now."""
    details = check_details(details)
    outlet = Outlet(code=codes.next_outlet_code(), kind=details.kind, name=details.name_zh,
                    address=details.address, town_id=details.town_id, operator=details.operator,
                    credit_code=details.credit_code, contact_phone=details.contact_phone,
                    bank_name=details.bank_name, bank_account_name=details.bank_account_name,
                    bank_account_number=details.bank_account_number)
    application = OutletApplication(outlet=outlet, applicant_id=applicant.id, purpose=ApplicationPurpose.NEW,
                                    status=ApplicationStatus.DRAFT)
    _fill(application, details)
    db.session.add(application)
    event(application, "create", applicant)
    db.session.flush()
    return application


def _owns(user: User, outlet: Outlet) -> bool:
    """Whether the user is one of the outlet's owners."""
    return db.session.scalar(sa.select(sa.func.count()).select_from(OutletMembership).where(
        OutletMembership.outlet_id == outlet.id, OutletMembership.user_id == user.id,
        OutletMembership.is_owner.is_(True))) > 0


def refusal_to_file(user: User, outlet: Outlet, purpose: ApplicationPurpose, today: date) -> str | None:
    """Why this user may not file a renewal or change for the outlet today (None when they may)."""
    if not _owns(user, outlet):
        return str(_l("Only an owner of the outlet may apply for it."))
    if open_application(outlet) is not None:
        return str(_l("The outlet already has an application in progress."))
    latest = max(outlet.certifications, key=lambda c: c.valid_from, default=None)
    if purpose is ApplicationPurpose.RENEWAL:
        if latest is None or not may_renew(latest.valid_to, latest.revoked_on, today):
            return str(_l("Renewal opens 60 days before the certificate expires."))
    elif purpose is ApplicationPurpose.CHANGE and not outlet.certified_on(today):
        return str(_l("Only a certified outlet can apply to change its certified details."))
    return None


def start_for_outlet(applicant: User, outlet: Outlet, purpose: ApplicationPurpose, details: ApplicationDetails,
                     today: date) -> OutletApplication:
    """A draft renewal or change application by an owner, for the same outlet and code."""
    if purpose is ApplicationPurpose.NEW:
        raise ServiceError(_l("A new outlet is applied for without naming an outlet."))
    refused = refusal_to_file(applicant, outlet, purpose, today)
    if refused is not None:
        raise ServiceError(refused)
    details = check_details(details)
    application = OutletApplication(outlet=outlet, applicant_id=applicant.id, purpose=purpose,
                                    status=ApplicationStatus.DRAFT)
    _fill(application, details)
    db.session.add(application)
    event(application, "create", applicant)
    db.session.flush()
    return application


def details_of(source: Outlet | OutletApplication) -> dict[str, object]:
    """The form's starting values: the last application's, or the outlet's certified fields."""
    if isinstance(source, OutletApplication):
        return {f.name: getattr(source, f.name) for f in fields(ApplicationDetails)}
    return {"kind": source.kind, "name_zh": source.name, "address": source.address, "town_id": source.town_id,
            "operator": source.operator, "credit_code": source.credit_code, "contact_phone": source.contact_phone,
            "bank_name": source.bank_name, "bank_account_name": source.bank_account_name,
            "bank_account_number": source.bank_account_number}


def _own(application: OutletApplication, applicant: User) -> None:
    """Refuse anyone but the applicant (views find applications through the applicant already)."""
    if application.applicant_id != applicant.id:
        raise ServiceError(_l("Only the applicant may change this application."))


def update(application: OutletApplication, applicant: User, details: ApplicationDetails) -> None:
    """Save new values on a draft or returned application."""
    _own(application, applicant)
    move(application, ApplicationAction.EDIT, ApplicationActor.APPLICANT)
    _fill(application, check_details(details))
    if application.purpose == ApplicationPurpose.NEW and application.outlet.certifications == []:
        outlet = application.outlet  # not certified yet: its row follows the form
        outlet.kind, outlet.name, outlet.address = application.kind, application.name_zh, application.address
        outlet.town_id, outlet.operator = application.town_id, application.operator
    db.session.flush()


def submit(application: OutletApplication, applicant: User, pledged: bool, now: datetime) -> None:
    """Send a draft (or a returned application, edited) to the county; the pledge must be ticked."""
    _own(application, applicant)
    if not pledged:
        raise ServiceError(_l("Tick the truthfulness pledge to submit the application."), "pledge")
    if application.purpose != ApplicationPurpose.CHANGE and not application.photos:
        raise ServiceError(_l("Add at least one photo of the premises."), "photos")
    move(application, ApplicationAction.SUBMIT, ApplicationActor.APPLICANT)
    application.pledged_at = application.submitted_at = now
    event(application, ApplicationAction.SUBMIT, applicant)
    db.session.flush()


def withdraw(application: OutletApplication, applicant: User) -> None:
    """The applicant withdraws their own draft or submitted application (its outlet code is not reused)."""
    _own(application, applicant)
    move(application, ApplicationAction.WITHDRAW, ApplicationActor.APPLICANT)
    event(application, ApplicationAction.WITHDRAW, applicant)
    db.session.flush()


def add_photos(application: OutletApplication, applicant: User, files: Sequence[FileStorage]) -> int:
    """Store premises photos (re-encoded, private) on an editable application, at most 5 in all; if one is
    refused, none of this batch is kept. Returns how many were added."""
    _own(application, applicant)
    move(application, ApplicationAction.EDIT, ApplicationActor.APPLICANT)
    files = [f for f in files if f and f.filename]
    if len(application.photos) + len(files) > MAX_PHOTOS:
        raise ServiceError(_l("At most %(n)d photos of the premises.", n=MAX_PHOTOS), "photos")
    stored: list[uploads.StoredImage] = []
    try:
        for upload in files:
            stored.append(uploads.store_image(upload, folder=PHOTO_FOLDER, field="photos"))
    except ServiceError:
        for image in stored:  # none of the batch is kept, whether the caller rolls back or not
            storage.delete(image.key)
            storage.delete(image.thumb_key)
        raise
    for image in stored:
        application.photos.append(OutletApplicationPhoto(
            key=image.key, thumb_key=image.thumb_key, width=image.width, height=image.height,
            content_type=image.content_type))
    db.session.flush()
    return len(stored)


def remove_photo(application: OutletApplication, applicant: User, photo_id: int) -> None:
    """Remove one photo of an editable application (its files go once the removal is committed)."""
    _own(application, applicant)
    move(application, ApplicationAction.EDIT, ApplicationActor.APPLICANT)
    photo = next((p for p in application.photos if p.id == photo_id), None)
    if photo is None:
        raise ServiceError(_l("That photo is not part of this application."))
    application.photos.remove(photo)
    uploads.delete_after_commit(db.session(), [photo.key, photo.thumb_key])
    db.session.flush()


def applicant_applications(user: User) -> list[OutletApplication]:
    """The user's applications, newest first."""
    return list(db.session.scalars(sa.select(OutletApplication).where(OutletApplication.applicant_id == user.id)
                                   .order_by(OutletApplication.id.desc())))


def applicant_application(user: User, application_id: int) -> OutletApplication | None:
    """One of the user's applications; None for anyone else's (so it answers like a missing one)."""
    return db.session.scalar(sa.select(OutletApplication).where(
        OutletApplication.id == application_id, OutletApplication.applicant_id == user.id))


def may_see(user: User, application: OutletApplication) -> bool:
    """Who may see an application and its premises photos: the applicant, the outlet's staff, county staff."""
    if application.applicant_id == user.id or user.has_role("county_staff"):
        return True
    return db.session.scalar(sa.select(sa.func.count()).select_from(OutletMembership).where(
        OutletMembership.outlet_id == application.outlet_id, OutletMembership.user_id == user.id)) > 0


def visible_photo(user: User, application_id: int, photo_id: int) -> OutletApplicationPhoto | None:
    """A premises photo, looked up within its application, if this user may see it; None otherwise."""
    photo = db.session.scalar(sa.select(OutletApplicationPhoto).where(
        OutletApplicationPhoto.id == photo_id, OutletApplicationPhoto.application_id == application_id))
    if photo is None or not may_see(user, photo.application):
        return None
    return photo


@dataclass(frozen=True)
class OwnedOutlet:
    """An outlet the user owns and what they may file for it today."""

    outlet: Outlet
    may_renew: bool
    may_change: bool


def owned_outlets(user: User, today: date) -> list[OwnedOutlet]:
    """The outlets the user owns, with whether a renewal or a change may be filed today."""
    outlets = db.session.scalars(sa.select(Outlet).join(OutletMembership).where(
        OutletMembership.user_id == user.id, OutletMembership.is_owner.is_(True)).order_by(Outlet.code))
    return [OwnedOutlet(o, refusal_to_file(user, o, ApplicationPurpose.RENEWAL, today) is None,
                        refusal_to_file(user, o, ApplicationPurpose.CHANGE, today) is None) for o in outlets]


def towns() -> list[Town]:
    """The county's towns, for the form's choice."""
    return list(db.session.scalars(sa.select(Town).order_by(Town.code)))
