"""The refund state machine as a table: (status, action) -> next status or refusal, for every pair."""

from __future__ import annotations

import pytest

from market.domain.refund_flow import RefundAction, RefundStatus, next_status
from tests.unit.transition_tables import REFUSED, assert_move, assert_names_every_pair, cases

REQUESTED, ACCEPTED, REFUSED_, SUCCEEDED, FAILED = RefundStatus
ACCEPT, REFUSE, CONFIRM, FAIL = RefundAction

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
    assert_names_every_pair(TABLE, RefundStatus, RefundAction)


@pytest.mark.parametrize(("status", "action", "expected"), cases(TABLE))
def test_transition_table(status, action, expected):
    assert_move(next_status, status, action, expected)
