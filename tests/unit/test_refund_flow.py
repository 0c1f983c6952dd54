"""The refund state machine as a table: (status, action) -> next status or refusal, for every pair."""

from __future__ import annotations

import itertools

import pytest

from market.domain.refund_flow import RefundAction, RefundStatus, next_status
from market.domain.transitions import TransitionRefused

REQUESTED, ACCEPTED, REFUSED_, SUCCEEDED, FAILED = RefundStatus
ACCEPT, REFUSE, CONFIRM, FAIL = RefundAction
REFUSED = None

TABLE = {
    (REQUESTED, ACCEPT): ACCEPTED,
    (REQUESTED, REFUSE): REFUSED_,
    (REQUESTED, CONFIRM): REFUSED,  # nothing is paid back before the outlet accepts
    (REQUESTED, FAIL): REFUSED,
    (ACCEPTED, ACCEPT): REFUSED,
    (ACCEPTED, REFUSE): REFUSED,  # accepted is accepted: the money is on its way
    (ACCEPTED, CONFIRM): SUCCEEDED,
    (ACCEPTED, FAIL): FAILED,
    **{(final, action): REFUSED for final in (REFUSED_, SUCCEEDED, FAILED) for action in RefundAction},
}


def test_the_table_names_every_status_and_action():
    assert set(TABLE) == set(itertools.product(RefundStatus, RefundAction))


@pytest.mark.parametrize(("status", "action", "expected"), [(s, a, e) for (s, a), e in TABLE.items()])
def test_transition_table(status, action, expected):
    for stored in (status, status.value):  # a status read back from the database is a plain string
        if expected is REFUSED:
            with pytest.raises(TransitionRefused):
                next_status(stored, action)
        else:
            assert next_status(stored, action) is expected
