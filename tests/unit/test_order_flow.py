"""The order state machine as a table: (state, facts, action, actor) -> next state or refusal."""

from __future__ import annotations

import contextlib
import itertools

import pytest

from market.domain.order_flow import (
    Action,
    Actor,
    OrderFacts,
    OrderStatus,
    TransitionRefused,
    allowed_actions,
    awaiting_payment,
    next_status,
    still_to_collect,
)

B, OUT, S = Actor.BUYER, Actor.OUTLET, Actor.SYSTEM
REFUSED = None


def facts(status: str, *, fulfilment: str = "pickup", cash: bool = True, paid: bool = False) -> OrderFacts:
    return OrderFacts(status=status, fulfilment=fulfilment, pay_at_pickup=cash, paid=paid)


PICKUP_CASH = facts("placed")
READY_CASH = facts("ready_for_pickup")
PAID_CASH = facts("paid", paid=True)
ONLINE_PLACED = facts("placed", fulfilment="delivery", cash=False)
ONLINE_PAID = facts("paid", fulfilment="delivery", cash=False, paid=True)
ONLINE_PACKED = facts("packed", fulfilment="delivery", cash=False, paid=True)
ONLINE_SHIPPED = facts("shipped", fulfilment="delivery", cash=False, paid=True)
ONLINE_PICKUP_PAID = facts("paid", fulfilment="pickup", cash=False, paid=True)

TABLE = [
    # pay at pickup: ready (a code is given), then handed over and paid in one step at the counter
    (PICKUP_CASH, Action.READY, OUT, "ready_for_pickup"),
    (READY_CASH, Action.COLLECT, OUT, "completed"),
    (READY_CASH, Action.COLLECT, B, REFUSED),
    (READY_CASH, Action.COLLECT, S, REFUSED),
    (PICKUP_CASH, Action.COLLECT, OUT, REFUSED),  # not ready yet: nothing to hand over
    (PICKUP_CASH, Action.PAY, OUT, REFUSED),  # cash is taken only by collecting with the code
    (READY_CASH, Action.PAY, OUT, REFUSED),
    (READY_CASH, Action.COMPLETE, OUT, REFUSED),  # the code is always required
    (PAID_CASH, Action.COMPLETE, OUT, "completed"),  # paid on collection before the counter codes: left already
    (PAID_CASH, Action.COLLECT, OUT, REFUSED),
    (PAID_CASH, Action.READY, OUT, REFUSED),  # paid on collection means handed over: no going back
    (PAID_CASH, Action.PACK, OUT, REFUSED),
    (PICKUP_CASH, Action.PAY, S, REFUSED),  # nobody pays cash online
    (PICKUP_CASH, Action.PAY, B, REFUSED),
    (PICKUP_CASH, Action.COMPLETE, OUT, REFUSED),  # not paid yet
    (PICKUP_CASH, Action.PACK, OUT, REFUSED),
    (PICKUP_CASH, Action.SHIP, OUT, REFUSED),
    (facts("completed", paid=True), Action.COLLECT, OUT, REFUSED),  # collected once only
    # cancelling and expiry: only while unpaid
    (PICKUP_CASH, Action.CANCEL, B, "cancelled"),
    (READY_CASH, Action.CANCEL, OUT, "cancelled"),
    (READY_CASH, Action.EXPIRE, S, "cancelled"),
    (PICKUP_CASH, Action.EXPIRE, B, REFUSED),
    (PAID_CASH, Action.CANCEL, B, REFUSED),
    (PAID_CASH, Action.EXPIRE, S, REFUSED),
    (facts("cancelled"), Action.PAY, OUT, REFUSED),
    (facts("cancelled"), Action.CANCEL, B, REFUSED),
    # online payment, delivery: paid by the provider, packed, shipped, received
    (ONLINE_PLACED, Action.PAY, S, "paid"),
    (ONLINE_PLACED, Action.PAY, OUT, REFUSED),
    (ONLINE_PLACED, Action.READY, OUT, REFUSED),
    (ONLINE_PLACED, Action.CANCEL, B, "cancelled"),
    (ONLINE_PLACED, Action.EXPIRE, S, "cancelled"),
    (ONLINE_PAID, Action.PAY, S, REFUSED),  # paid once only
    (ONLINE_PAID, Action.PACK, OUT, "packed"),
    (ONLINE_PAID, Action.PACK, B, REFUSED),
    (ONLINE_PAID, Action.SHIP, OUT, "shipped"),
    (ONLINE_PACKED, Action.SHIP, OUT, "shipped"),
    (ONLINE_PACKED, Action.READY, OUT, REFUSED),
    (ONLINE_SHIPPED, Action.COMPLETE, B, "completed"),
    (ONLINE_SHIPPED, Action.COMPLETE, OUT, "completed"),
    (ONLINE_SHIPPED, Action.COMPLETE, S, REFUSED),
    (ONLINE_PAID, Action.COMPLETE, B, REFUSED),
    (ONLINE_PAID, Action.COMPLETE, OUT, REFUSED),  # shipped first, with carrier and tracking
    (ONLINE_PACKED, Action.COMPLETE, OUT, REFUSED),
    # online payment, pickup
    (ONLINE_PICKUP_PAID, Action.READY, OUT, "ready_for_pickup"),
    (ONLINE_PICKUP_PAID, Action.SHIP, OUT, REFUSED),
    (ONLINE_PICKUP_PAID, Action.COMPLETE, OUT, REFUSED),  # handed over only with the code
    (ONLINE_PICKUP_PAID, Action.COLLECT, OUT, REFUSED),  # made ready (and given a code) first
    (facts("ready_for_pickup", cash=False, paid=True), Action.COLLECT, OUT, "completed"),
    (facts("ready_for_pickup", cash=False, paid=True), Action.COMPLETE, OUT, REFUSED),
    (facts("ready_for_pickup", cash=False), Action.COLLECT, OUT, REFUSED),  # online and not paid: no
    (ONLINE_PAID, Action.COLLECT, OUT, REFUSED),  # delivery orders are shipped, not collected
    # refunds (requested by the buyer of a paid order, made by outlet or provider)
    (ONLINE_PAID, Action.REQUEST_REFUND, B, "refund_requested"),
    (facts("completed", cash=False, paid=True), Action.REQUEST_REFUND, B, "refund_requested"),
    (ONLINE_PLACED, Action.REQUEST_REFUND, B, REFUSED),
    (ONLINE_PAID, Action.REQUEST_REFUND, OUT, REFUSED),
    (facts("refund_requested", cash=False, paid=True), Action.REFUND, OUT, "refunded"),
    (facts("refund_requested", cash=False, paid=True), Action.REFUND, B, REFUSED),
    (facts("refunded", cash=False, paid=True), Action.REFUND, S, REFUSED),
]


@pytest.mark.parametrize(("order", "action", "actor", "expected"), TABLE)
def test_transition_table(order, action, actor, expected):
    if expected is REFUSED:
        with pytest.raises(TransitionRefused):
            next_status(order, action, actor)
    else:
        assert next_status(order, action, actor) == expected


def test_terminal_states_allow_nothing_but_refund_requests_after_completion():
    for status in ("cancelled", "refunded"):
        for actor in Actor:
            assert allowed_actions(facts(status, paid=status == "refunded"), actor) == []


def test_outlet_buttons_for_a_cash_pickup_order_never_take_money_without_the_code():
    among = (Action.PAY, Action.READY, Action.PACK, Action.SHIP, Action.COMPLETE, Action.CANCEL, Action.COLLECT)
    assert allowed_actions(PICKUP_CASH, OUT, among) == [Action.READY, Action.CANCEL]
    assert allowed_actions(READY_CASH, OUT, among) == [Action.CANCEL, Action.COLLECT]
    assert allowed_actions(PAID_CASH, OUT, among) == [Action.COMPLETE]


@pytest.mark.parametrize(("order", "actor", "expected"), [
    (facts("cancelled", fulfilment="delivery", cash=False), S, "paid"),
    (facts("cancelled", fulfilment="delivery", cash=False), OUT, REFUSED),
    (facts("cancelled"), S, REFUSED),  # cash orders are never paid online
    (ONLINE_PLACED, S, REFUSED),
    (ONLINE_PAID, S, REFUSED),
])
def test_a_late_payment_revives_only_an_expired_online_order(order, actor, expected):
    if expected is REFUSED:
        with pytest.raises(TransitionRefused):
            next_status(order, Action.LATE_PAY, actor)
    else:
        assert next_status(order, Action.LATE_PAY, actor) == expected


@pytest.mark.parametrize(("before", "accepted", "fully", "expected"), [
    ("completed", True, True, "refunded"),
    ("completed", True, False, "completed"),
    ("paid", False, False, "paid"),
    ("shipped", False, True, "shipped"),
])
def test_a_refund_decision_returns_the_order_where_it_was_unless_all_money_went_back(before, accepted, fully,
                                                                                        expected):
    from market.domain.order_flow import after_refund_decision

    requested = facts("refund_requested", cash=False, paid=True)
    assert after_refund_decision(requested, before, accepted, fully) == expected
    with pytest.raises(TransitionRefused):
        after_refund_decision(ONLINE_PAID, before, accepted, fully)


@pytest.mark.parametrize(("before", "cash", "returns"), [
    ("paid", False, True), ("packed", False, True), ("ready_for_pickup", False, True), ("shipped", False, False),
    ("completed", False, False), ("paid", True, False), ("completed", True, False),
])
def test_refunded_units_return_to_stock_only_if_not_handed_over(before, cash, returns):
    from market.domain.order_flow import stock_returns_on_refund

    assert stock_returns_on_refund(before, cash) is returns


@pytest.mark.parametrize(("status", "paid", "held"), [
    ("placed", False, True),
    ("ready_for_pickup", False, True),  # a cash order waits ready, unpaid, until it is collected
    ("placed", True, False),
    ("ready_for_pickup", True, False),
    *[(s.value, paid, False) for s in OrderStatus
      if s not in (OrderStatus.PLACED, OrderStatus.READY_FOR_PICKUP) for paid in (False, True)],
])
def test_an_order_awaits_payment_only_while_unpaid_and_open(status, paid, held):
    assert awaiting_payment(status, paid) is held


def test_every_transition_names_its_status_by_the_enum():
    moved = []
    for status, cash, paid, fulfilment in itertools.product(OrderStatus, (True, False), (True, False),
                                                             ("pickup", "delivery")):
        order = facts(status.value, fulfilment=fulfilment, cash=cash, paid=paid)
        for action, actor in itertools.product(Action, Actor):
            with contextlib.suppress(TransitionRefused):
                moved.append(next_status(order, action, actor))
    assert len(moved) > 50 and {type(new) for new in moved} == {OrderStatus}


@pytest.mark.parametrize("status", list(OrderStatus))
@pytest.mark.parametrize("fulfilment", ["pickup", "delivery"])
def test_a_pickup_order_is_still_to_collect_until_handed_over_cancelled_or_refunding(status, fulfilment):
    expected = fulfilment == "pickup" and status in ("placed", "paid", "packed", "ready_for_pickup")
    assert still_to_collect(facts(status, fulfilment=fulfilment)) is expected
