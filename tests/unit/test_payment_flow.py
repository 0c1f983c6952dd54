"""The payment state machine as a table: (status, action) -> next status or refusal, for every pair."""

from __future__ import annotations

import pytest

from market.domain.payment_flow import PaymentAction, PaymentStatus, after_orders, next_status
from tests.unit.transition_tables import REFUSED, assert_move, assert_names_every_pair, cases

PENDING, SUCCEEDED, FAILED, CANCELLED = PaymentStatus
CONFIRM, FAIL, CANCEL = PaymentAction.CONFIRM, PaymentAction.FAIL, PaymentAction.CANCEL

TABLE = {
    (PENDING, CONFIRM): SUCCEEDED,
    (PENDING, FAIL): FAILED,
    (PENDING, CANCEL): CANCELLED,
    (SUCCEEDED, CONFIRM): REFUSED,  # confirmed once; a second payment is flagged by the service
    (SUCCEEDED, FAIL): REFUSED,
    (SUCCEEDED, CANCEL): REFUSED,
    (FAILED, CONFIRM): SUCCEEDED,  # money that comes late is still taken (then re-reserved or refunded)
    (FAILED, FAIL): REFUSED,
    (FAILED, CANCEL): REFUSED,
    (CANCELLED, CONFIRM): SUCCEEDED,  # paid after the hold expired
    (CANCELLED, FAIL): REFUSED,
    (CANCELLED, CANCEL): REFUSED,
}


def test_the_table_names_every_status_and_action():
    assert_names_every_pair(TABLE, PaymentStatus, PaymentAction)


@pytest.mark.parametrize(("status", "action", "expected"), cases(TABLE))
def test_transition_table(status, action, expected):
    assert_move(next_status, status, action, expected)


@pytest.mark.parametrize(("status", "paid", "cancelled", "expected"), [
    (PENDING, [True], [False], CONFIRM),
    (PENDING, [True, True], [False, False], CONFIRM),
    (PENDING, [False], [True], CANCEL),
    (PENDING, [False, False], [True, True], CANCEL),
    (PENDING, [True, False], [False, False], None),  # one order still unpaid
    (PENDING, [False, False], [True, False], None),  # one order still open
    (PENDING, [False], [False], None),
    (SUCCEEDED, [True], [False], None),  # only a pending payment follows its orders
    (CANCELLED, [False], [True], None),
    (FAILED, [False], [True], None),
])
def test_a_pending_payment_follows_its_orders(status, paid, cancelled, expected):
    assert after_orders(status, paid, cancelled) is expected
