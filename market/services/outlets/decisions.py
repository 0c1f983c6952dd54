"""The county's side of an outlet application: review (初审), decision by a second person (审批), and the close of
the public notice (公示), which alone writes the certification. Every step is audited and mailed to the applicant.

The county's screens come in a later issue; these are the use cases they will call.
"""

from __future__ import annotations

from datetime import date, datetime

from flask_babel import lazy_gettext as _l

from market.domain.outlet_application import (
    ApplicationAction,
    ApplicationActor,
    ApplicationPurpose,
    certificate_starts_on,
    second_person_refusal,
)
from market.extensions import db
from market.models import OutletApplication, OutletCertification, OutletMembership, User
from market.services.accounts import audit
from market.services.errors import ServiceError
from market.services.outlets import codes, staff
from market.services.outlets.applications import event, move
from market.services.outlets.notify import tell_applicant

DECISIONS = (ApplicationAction.PUT_ON_NOTICE, ApplicationAction.RETURN, ApplicationAction.REJECT)


def _record(actor: User | None, application: OutletApplication, before: str, **after: object) -> None:
    """Audit the step: who, the status before and after, and what was decided."""
    details = {k: (v.isoformat() if isinstance(v, date) else v) for k, v in after.items() if v is not None}
    audit.record(actor, f"outlet_application.{application.events[-1].action}", application,
                 before={"status": before}, after={"status": application.status, "outlet": application.outlet.code,
                                                   **details})


def review(actor: User, application: OutletApplication, opinion: str, now: datetime) -> None:
    """The first county opinion on a submitted application. County staff only: an administrator may act only as
    the second person, and nobody reviews their own application."""
    if "county_staff" not in actor.role_names:
        raise ServiceError(_l("Only county staff review applications; an administrator may only decide."))
    if actor.id == application.applicant_id:
        raise ServiceError(_l("Nobody reviews their own application."))
    opinion = (opinion or "").strip()
    if not opinion:
        raise ServiceError(_l("Write the review opinion."), "reason")
    before = application.status
    move(application, ApplicationAction.REVIEW, ApplicationActor.REVIEWER)
    application.reviewer_id = actor.id
    event(application, ApplicationAction.REVIEW, actor, opinion)
    _record(actor, application, before, opinion=opinion)
    tell_applicant(application, opinion)


def decide(actor: User, application: OutletApplication, outcome: ApplicationAction, reason: str, now: datetime,
           today: date, *, starts_on: date | None = None, ends_on: date | None = None,
           notice_until: date | None = None) -> None:
    """The second person's decision on a reviewed application: put it on public notice until `notice_until` (with
    the certificate's chosen first and last days, except for a change), return it with what to change, or reject
    it with a reason. County staff or an administrator, never the reviewer or the applicant."""
    if not actor.has_role("county_staff"):
        raise ServiceError(_l("Only county staff or an administrator decide applications."))
    refused = second_person_refusal(application.applicant_id, application.reviewer_id, actor.id)
    if refused is not None:
        raise ServiceError(_l("A second person must decide (%(why)s).", why=refused))
    if outcome not in DECISIONS:
        raise ServiceError(_l("Put the application on notice, return it or reject it."))
    reason = (reason or "").strip()
    if outcome is not ApplicationAction.PUT_ON_NOTICE and not reason:
        raise ServiceError(_l("Say what to change, or why the application is rejected."), "reason")
    if outcome is ApplicationAction.PUT_ON_NOTICE:
        _check_notice(application, today, starts_on, ends_on, notice_until)
        application.starts_on, application.ends_on, application.notice_until = starts_on, ends_on, notice_until
    before = application.status
    move(application, outcome, ApplicationActor.APPROVER)
    application.approver_id, application.decided_at = actor.id, now
    event(application, outcome, actor, reason or None)
    _record(actor, application, before, reason=reason or None, starts_on=starts_on, ends_on=ends_on,
            notice_until=notice_until)
    tell_applicant(application, reason or None)


def _check_notice(application: OutletApplication, today: date, starts_on: date | None, ends_on: date | None,
                  notice_until: date | None) -> None:
    """A notice needs its last day (today or later) and, for a certificate, a first day before its last."""
    if notice_until is None or notice_until < today:
        raise ServiceError(_l("Choose the last day of the public notice (today or later)."), "notice_until")
    if application.purpose == ApplicationPurpose.CHANGE:
        return
    if starts_on is None or ends_on is None or ends_on <= starts_on:
        raise ServiceError(_l("Choose the certificate's first and last days, the last after the first."),
                           "ends_on")
    if ends_on <= notice_until:
        raise ServiceError(_l("The certificate must end after the notice closes."), "ends_on")


def close_notice(application: OutletApplication, today: date, *, open_objection: bool = False,
                 objection_upheld: bool = False, reason: str | None = None) -> OutletCertification | None:
    """Close the public notice once it has run (after `notice_until`). An objection still open stops it; one
    upheld withdraws the application. Otherwise the application is certified: a new or renewed certificate is
    written (from the later of the chosen day and tomorrow), the outlet takes the certified details, and the
    applicant becomes an owner with the outlet_staff role (audited, actor: the system). Returns the certificate
    written, if any. Objections arrive with the notice issue: until then the caller says whether one is open or
    upheld."""
    if application.notice_until is not None and today <= application.notice_until:
        raise ServiceError(_l("The notice runs until %(day)s.", day=application.notice_until.isoformat()))
    if open_objection:
        raise ServiceError(_l("An objection is still open: record its outcome first."))
    before = application.status
    if objection_upheld:
        if not (reason or "").strip():
            raise ServiceError(_l("Say which objection was upheld."), "reason")
        move(application, ApplicationAction.UPHOLD_OBJECTION, ApplicationActor.NOTICE)
        event(application, ApplicationAction.UPHOLD_OBJECTION, None, reason)
        _record(None, application, before, reason=reason)
        tell_applicant(application, reason)
        return None
    move(application, ApplicationAction.CERTIFY, ApplicationActor.NOTICE)
    certificate = _certify(application, today)
    event(application, ApplicationAction.CERTIFY, None,
          None if certificate is None else f"{certificate.number}: {certificate.valid_from} – {certificate.valid_to}")
    _record(None, application, before, number=certificate.number if certificate else None,
            valid_from=certificate.valid_from if certificate else None,
            valid_to=certificate.valid_to if certificate else None)
    tell_applicant(application, None if certificate is None else certificate.number)
    return certificate


def _certify(application: OutletApplication, today: date) -> OutletCertification | None:
    """Write what a certified application changes: the certificate (not for a change), the outlet's certified
    details, the applicant's ownership and role."""
    outlet = application.outlet
    certificate = None
    if application.purpose != ApplicationPurpose.CHANGE:
        assert application.starts_on is not None and application.ends_on is not None  # set when put on notice
        valid_from = certificate_starts_on(application.starts_on, today)
        if application.ends_on < valid_from:
            raise ServiceError(_l("The chosen certificate would end before it starts: return the application."))
        certificate = OutletCertification(number=codes.next_certificate_number(valid_from.year),
                                          valid_from=valid_from, valid_to=application.ends_on)
        outlet.certifications.append(certificate)
        db.session.flush()
        application.certification_id = certificate.id
    outlet.kind, outlet.name, outlet.address = application.kind, application.name_zh, application.address
    outlet.town_id, outlet.operator, outlet.credit_code = application.town_id, application.operator, \
        application.credit_code
    outlet.contact_phone = application.contact_phone
    outlet.bank_name, outlet.bank_account_name = application.bank_name, application.bank_account_name
    outlet.bank_account_number = application.bank_account_number
    # The shop page's hours and phone start as the application's; the owner edits them in the profile after.
    outlet.opening_hours = outlet.opening_hours or application.opening_hours
    outlet.shop_phone = outlet.shop_phone or application.contact_phone
    membership = next((m for m in outlet.memberships if m.user_id == application.applicant_id), None)
    if membership is None:
        outlet.memberships.append(OutletMembership(user_id=application.applicant_id, is_owner=True))
    else:
        membership.is_owner = True
    db.session.flush()
    first_day = min(c.valid_from for c in outlet.certifications)
    # The role follows membership of an outlet whose first certificate has taken effect: judged on that first
    # day, so it is granted now, when the notice closes, and never earlier.
    staff.sync_outlet_role(application.applicant, max(first_day, today))
    return certificate
