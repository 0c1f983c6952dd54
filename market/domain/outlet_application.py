"""The outlet certification application (认定申请) state machine, and the dates and people rules around it. Pure.

draft -> submitted -> reviewed (初审, a first county opinion) -> on_notice (公示) -> certified; from reviewed the
approver (审批, a second person) may instead return it (what to change: the applicant edits and resubmits) or
reject it (with a reason). The applicant may withdraw a draft or a submitted application; an objection upheld on
notice withdraws it too. The same machine serves new outlets, renewals and changes of certified fields.
"""

from __future__ import annotations

from datetime import date, timedelta
from enum import StrEnum

from market.domain.transitions import ActorTable, TransitionRefused  # noqa: F401 - re-exported for callers

RENEWAL_OPENS_DAYS = 60  # the owner may apply to renew from this many days before the certificate expires
MAX_PHOTOS = 5


class ApplicationStatus(StrEnum):
    """Where an application stands. The members' order is the order of the database CHECK constraint."""

    DRAFT = "draft"
    SUBMITTED = "submitted"
    REVIEWED = "reviewed"
    ON_NOTICE = "on_notice"
    CERTIFIED = "certified"
    RETURNED = "returned"
    REJECTED = "rejected"
    WITHDRAWN = "withdrawn"


OPEN_STATUSES = (  # an outlet has at most one application in these states
    ApplicationStatus.DRAFT, ApplicationStatus.SUBMITTED, ApplicationStatus.REVIEWED, ApplicationStatus.ON_NOTICE,
    ApplicationStatus.RETURNED,
)
EDITABLE_STATUSES = (ApplicationStatus.DRAFT, ApplicationStatus.RETURNED)


class ApplicationPurpose(StrEnum):
    """What the application asks for: a new outlet, a renewed certificate, or a change of certified fields."""

    NEW = "new"
    RENEWAL = "renewal"
    CHANGE = "change"


class ApplicationActor(StrEnum):
    """Who asks for a transition."""

    APPLICANT = "applicant"
    REVIEWER = "reviewer"  # county staff, first opinion
    APPROVER = "approver"  # county staff or an admin, a second person
    NOTICE = "notice"  # the system, when the public notice closes


class ApplicationAction(StrEnum):
    """What can be done to an application."""

    EDIT = "edit"
    SUBMIT = "submit"
    WITHDRAW = "withdraw"
    REVIEW = "review"
    PUT_ON_NOTICE = "put_on_notice"
    RETURN = "return"
    REJECT = "reject"
    CERTIFY = "certify"
    UPHOLD_OBJECTION = "uphold_objection"


S, A, R = ApplicationStatus, ApplicationAction, ApplicationActor
# (action) -> (who may do it, from which states, to which state; None keeps the state)
MACHINE = ActorTable("an application", ApplicationStatus, {
    A.EDIT: (R.APPLICANT, EDITABLE_STATUSES, None),
    A.SUBMIT: (R.APPLICANT, EDITABLE_STATUSES, S.SUBMITTED),
    A.WITHDRAW: (R.APPLICANT, (S.DRAFT, S.SUBMITTED), S.WITHDRAWN),
    A.REVIEW: (R.REVIEWER, (S.SUBMITTED,), S.REVIEWED),
    A.PUT_ON_NOTICE: (R.APPROVER, (S.REVIEWED,), S.ON_NOTICE),
    A.RETURN: (R.APPROVER, (S.REVIEWED,), S.RETURNED),
    A.REJECT: (R.APPROVER, (S.REVIEWED,), S.REJECTED),
    A.CERTIFY: (R.NOTICE, (S.ON_NOTICE,), S.CERTIFIED),
    A.UPHOLD_OBJECTION: (R.NOTICE, (S.ON_NOTICE,), S.WITHDRAWN),
})


def next_status(status: str, action: ApplicationAction, actor: ApplicationActor) -> ApplicationStatus:
    """The status after `action` by `actor`, or TransitionRefused with the reason."""
    return MACHINE.next(status, action, actor)


def allowed_actions(status: str, actor: ApplicationActor) -> list[ApplicationAction]:
    """The actions `actor` may take now, in the enum's order (for buttons)."""
    return MACHINE.allowed(status, actor)


def is_open(status: str) -> bool:
    """Whether the application is still in progress (not certified, rejected or withdrawn)."""
    return status in OPEN_STATUSES


def second_person_refusal(applicant_id: int, reviewer_id: int | None, approver_id: int) -> str | None:
    """Why this approver may not decide (None when they may): the decision needs a reviewer first, and a
    person other than the reviewer and the applicant (maker-checker)."""
    if reviewer_id is None:
        return "the application has not been reviewed"
    if approver_id == reviewer_id:
        return "the reviewer cannot also decide"
    if approver_id == applicant_id:
        return "nobody decides their own application"
    return None


def renewal_opens_on(valid_to: date) -> date:
    """The first day the owner may apply to renew a certificate that ends on `valid_to`."""
    return valid_to - timedelta(days=RENEWAL_OPENS_DAYS)


def may_renew(valid_to: date | None, revoked_on: date | None, today: date) -> bool:
    """From 60 days before expiry (and after it, when the renewal is a second certification after a gap);
    never for an open-ended or revoked certificate."""
    return valid_to is not None and revoked_on is None and today >= renewal_opens_on(valid_to)


def certificate_starts_on(chosen: date, notice_closed_on: date) -> date:
    """The certificate's first day: the later of the chosen date and the day after the notice closes."""
    return max(chosen, notice_closed_on + timedelta(days=1))


def outlet_code(sequence: int) -> str:
    """The outlet code for a sequence number: LX-O-001 (more digits once past 999)."""
    return f"LX-O-{sequence:03d}"


def code_sequence(code: str, prefix: str) -> int | None:
    """The sequence number in a code such as LX-O-007 (prefix "LX-O-"), or None for a code not of that shape."""
    tail = code.removeprefix(prefix)
    if tail == code or not tail.isascii() or not tail.isdigit():
        return None
    return int(tail)


def certificate_number(year: int, sequence: int) -> str:
    """The outlet certificate number: LXXF-2026-001."""
    return f"LXXF-{year}-{sequence:03d}"


def keeps_staff_role(memberships_of_certified_outlets: int) -> bool:
    """The outlet_staff role follows an active membership of an outlet whose first certificate took effect:
    with the last such membership gone, the role goes too."""
    return memberships_of_certified_outlets > 0
