"""The outlet application state machine as a full table: every (status, action, actor) -> next status or refusal."""

from __future__ import annotations

import itertools
from datetime import date

import pytest

from market.domain.outlet_application import (
    ApplicationAction,
    ApplicationActor,
    ApplicationStatus,
    TransitionRefused,
    allowed_actions,
    certificate_number,
    certificate_starts_on,
    code_sequence,
    is_open,
    keeps_staff_role,
    may_renew,
    next_status,
    outlet_code,
    renewal_opens_on,
    second_person_refusal,
)

S, A, R = ApplicationStatus, ApplicationAction, ApplicationActor

ALLOWED = {  # (status, action, actor) -> next status; every other triple is refused
    (S.DRAFT, A.EDIT, R.APPLICANT): S.DRAFT,
    (S.RETURNED, A.EDIT, R.APPLICANT): S.RETURNED,
    (S.DRAFT, A.SUBMIT, R.APPLICANT): S.SUBMITTED,
    (S.RETURNED, A.SUBMIT, R.APPLICANT): S.SUBMITTED,
    (S.DRAFT, A.WITHDRAW, R.APPLICANT): S.WITHDRAWN,
    (S.SUBMITTED, A.WITHDRAW, R.APPLICANT): S.WITHDRAWN,
    (S.SUBMITTED, A.REVIEW, R.REVIEWER): S.REVIEWED,
    (S.REVIEWED, A.PUT_ON_NOTICE, R.APPROVER): S.ON_NOTICE,
    (S.REVIEWED, A.RETURN, R.APPROVER): S.RETURNED,
    (S.REVIEWED, A.REJECT, R.APPROVER): S.REJECTED,
    (S.ON_NOTICE, A.CERTIFY, R.NOTICE): S.CERTIFIED,
    (S.ON_NOTICE, A.UPHOLD_OBJECTION, R.NOTICE): S.WITHDRAWN,
}

TABLE = [(status, action, actor, ALLOWED.get((status, action, actor)))
         for status, action, actor in itertools.product(S, A, R)]


def test_the_table_covers_every_status_action_and_actor():
    assert len(TABLE) == len(S) * len(A) * len(R) == 288
    assert sum(1 for row in TABLE if row[3] is not None) == len(ALLOWED)


@pytest.mark.parametrize(("status", "action", "actor", "expected"), TABLE,
                         ids=[f"{s}-{a}-{r}" for s, a, r, _e in TABLE])
def test_transition_table(status, action, actor, expected):
    if expected is None:
        with pytest.raises(TransitionRefused):
            next_status(status, action, actor)
    else:
        moved = next_status(status, action, actor)
        assert moved == expected and type(moved) is ApplicationStatus


@pytest.mark.parametrize("status", [S.CERTIFIED, S.REJECTED, S.WITHDRAWN])
def test_an_ended_application_allows_nothing(status):
    assert not is_open(status)
    assert all(allowed_actions(status, actor) == [] for actor in R)


@pytest.mark.parametrize(("status", "actor", "buttons"), [
    (S.DRAFT, R.APPLICANT, [A.EDIT, A.SUBMIT, A.WITHDRAW]),
    (S.RETURNED, R.APPLICANT, [A.EDIT, A.SUBMIT]),  # returned: edit and resubmit, not withdraw
    (S.SUBMITTED, R.APPLICANT, [A.WITHDRAW]),
    (S.REVIEWED, R.APPLICANT, []),
    (S.SUBMITTED, R.REVIEWER, [A.REVIEW]),
    (S.REVIEWED, R.APPROVER, [A.PUT_ON_NOTICE, A.RETURN, A.REJECT]),
    (S.ON_NOTICE, R.NOTICE, [A.CERTIFY, A.UPHOLD_OBJECTION]),
])
def test_the_buttons_each_actor_sees(status, actor, buttons):
    assert is_open(status)
    assert allowed_actions(status, actor) == buttons


@pytest.mark.parametrize(("applicant", "reviewer", "approver", "refused"), [
    (1, 2, 3, False),
    (1, None, 3, True),  # nobody reviewed it yet
    (1, 2, 2, True),  # the reviewer cannot also decide
    (1, 2, 1, True),  # nor the applicant
])
def test_a_decision_needs_a_second_person(applicant, reviewer, approver, refused):
    assert (second_person_refusal(applicant, reviewer, approver) is not None) is refused


@pytest.mark.parametrize(("valid_to", "revoked_on", "today", "may"), [
    (date(2027, 1, 31), None, date(2026, 12, 2), True),  # exactly 60 days before
    (date(2027, 2, 1), None, date(2026, 12, 2), False),  # 61 days before
    (date(2026, 11, 30), None, date(2026, 12, 2), True),  # expired: a second certification after a gap
    (None, None, date(2026, 12, 2), False),  # open-ended: nothing to renew
    (date(2027, 1, 1), date(2026, 11, 1), date(2026, 12, 2), False),  # revoked
])
def test_renewal_opens_sixty_days_before_expiry(valid_to, revoked_on, today, may):
    assert may_renew(valid_to, revoked_on, today) is may


def test_renewal_opening_day():
    assert renewal_opens_on(date(2027, 3, 1)) == date(2026, 12, 31)


@pytest.mark.parametrize(("chosen", "closed", "starts"), [
    (date(2027, 1, 1), date(2026, 12, 10), date(2027, 1, 1)),  # chosen date after the notice
    (date(2026, 12, 1), date(2026, 12, 10), date(2026, 12, 11)),  # the day after the notice closes
    (date(2026, 12, 11), date(2026, 12, 10), date(2026, 12, 11)),
])
def test_a_certificate_starts_on_the_later_of_the_chosen_date_and_the_day_after_the_notice(chosen, closed, starts):
    assert certificate_starts_on(chosen, closed) == starts


@pytest.mark.parametrize(("code", "sequence"), [
    ("LX-O-001", 1), ("LX-O-042", 42), ("LX-O-1234", 1234), ("LX-P-001", None), ("LX-O-", None),
    ("LX-O-0a1", None), ("LX-O-１２", None), ("XLX-O-001", None),
])
def test_codes_and_their_sequence_numbers(code, sequence):
    assert code_sequence(code, "LX-O-") == sequence
    if sequence is not None:
        assert outlet_code(sequence) == code


def test_certificate_numbers():
    assert certificate_number(2027, 7) == "LXXF-2027-007"


@pytest.mark.parametrize(("memberships", "keeps"), [(0, False), (1, True), (3, True)])
def test_the_staff_role_follows_memberships_of_certified_outlets(memberships, keeps):
    assert keeps_staff_role(memberships) is keeps
