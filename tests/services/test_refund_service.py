"""Asking for and deciding a refund, called directly: the money booked against the lines, the order's status,
the stock, and what is refused."""

from __future__ import annotations

import pytest

from market.domain.dates import business_date
from market.domain.order_flow import Action, Actor
from market.models import Order, User
from market.services.errors import ServiceError
from market.services.ordering import counter, payments, refunds
from market.services.ordering import orders as order_service
from market.services.ordering.paying import start_online_payment
from tests.factories import UserFactory
from tests.services.ordering_setup import PAGES, fresh, now, place, stock_left


def collected_cash_order(*quantities: int, stock: int = 5) -> tuple[Order, User]:
    """A pickup order paid in cash on collection and completed by the outlet; returns it and the staff user."""
    (order,) = place(*quantities, provider="pickup", stock=stock)
    staff = UserFactory(roles_given=("outlet_staff",))
    order_service.apply(order, Action.READY, Actor.OUTLET, staff, now())
    counter.collect(staff, order.outlet, order.pickup_code, now())  # handed over and paid in one step
    return order, staff


def test_a_partial_refund_of_a_collected_cash_order_is_booked_once_and_keeps_the_stock(db_session):
    order, staff = collected_cash_order(3, stock=5)
    line = order.lines[0]
    refund = refunds.request_refund(order.user, order, {line.id: 1}, " 坏果 ", now())
    assert (refund.status, refund.amount_fen, refund.reason, order.status) == ("requested", 6800, "坏果",
                                                                               "refund_requested")
    decided = refunds.decide(staff, order, True, "", now())
    db_session.commit()
    fresh(order)
    assert decided is refund and refund.status == "succeeded" and refund.refunded_on == business_date(now())
    assert (line.refunded_quantity, line.refunded_fen) == (1, 6800)
    assert order.status == "completed"  # part of the money is back: the order returns where it was
    assert stock_left(order) == [2]  # cash orders are paid on collection: the units have left the outlet
    assert [e.action for e in order.events][-2:] == ["request_refund", "refund"]


def test_refunding_every_unit_marks_the_order_refunded(db_session):
    order, staff = collected_cash_order(2)
    refunds.request_refund(order.user, order, {order.lines[0].id: 1}, "坏果", now())
    refunds.decide(staff, order, True, "", now())
    refunds.request_refund(order.user, order, {order.lines[0].id: 1}, "也坏了", now())  # the rest, later
    refunds.decide(staff, order, True, "", now())
    fresh(order)
    assert order.status == "refunded"
    assert (order.lines[0].refunded_quantity, order.lines[0].refunded_fen) == (2, 13600)


def test_the_outlet_refuses_only_with_a_reason_and_the_order_goes_back(db_session):
    order, staff = collected_cash_order(2)
    refund = refunds.request_refund(order.user, order, {order.lines[0].id: 2}, "坏果", now())
    with pytest.raises(ServiceError) as refused:
        refunds.decide(staff, order, False, "  ", now())
    assert refused.value.field == "note"
    refunds.decide(staff, order, False, "已超过七天", now())
    fresh(order)
    assert (refund.status, refund.decision_note, order.status) == ("refused", "已超过七天", "completed")
    assert order.lines[0].refunded_quantity == 0
    with pytest.raises(ServiceError):  # decided once: nothing is left to decide
        refunds.decide(staff, order, True, "", now())


@pytest.mark.parametrize(("quantities", "reason", "field"), [
    ("too_many", "坏果", None),
    ("negative", "坏果", None),
    ("nothing", "坏果", None),
    ("other_line", "坏果", None),
    ("one", "   ", "reason"),
])
def test_a_request_beyond_what_was_paid_or_without_a_reason_is_refused(db_session, quantities, reason, field):
    order, _ = collected_cash_order(2)
    line_id = order.lines[0].id
    asked = {"too_many": {line_id: 3}, "negative": {line_id: -1}, "nothing": {line_id: 0},
             "other_line": {line_id + 1000: 1}, "one": {line_id: 1}}[quantities]
    with pytest.raises(ServiceError) as refused:
        refunds.request_refund(order.user, order, asked, reason, now())
    assert refused.value.field == field
    assert order.status == "completed" and refunds.open_request(order) is None


def test_an_unpaid_order_cannot_be_refunded(db_session):
    (order,) = place(1, provider="pickup")
    assert not refunds.can_request(order)
    with pytest.raises(ServiceError):
        refunds.request_refund(order.user, order, {order.lines[0].id: 1}, "坏果", now())


def paid_online_order(stripe_fake, quantity: int, stock: int) -> Order:
    """A delivery order paid through the Stripe fake and confirmed, not yet packed."""
    (order,) = place(quantity, stock=stock)
    start_online_payment(order.payment, [order], PAGES, now())
    intent = stripe_fake.complete_session(order.payment.provider_ref)["payment_intent"]
    assert payments.confirm_paid(order.payment, order.payment.amount_fen, "cny", intent, now()) == "paid"
    return order


def test_an_online_order_refunded_before_it_left_the_outlet_puts_its_units_back(db_session, stripe_fake):
    order = paid_online_order(stripe_fake, 2, stock=5)
    staff = UserFactory(roles_given=("outlet_staff",))
    refunds.request_refund(order.user, order, {order.lines[0].id: 2}, "买错了", now())
    refund = refunds.decide(staff, order, True, "", now())
    fresh(order)
    assert (refund.status, order.status, stock_left(order)) == ("succeeded", "refunded", [5])
    assert [(r["id"], r["amount"]) for r in stripe_fake.refunds] == [(refund.provider_ref, 13600)]


def test_a_refund_the_provider_refuses_leaves_the_request_open_after_the_callers_rollback(db_session, stripe_fake):
    order = paid_online_order(stripe_fake, 2, stock=5)
    staff = UserFactory(roles_given=("outlet_staff",))
    refunds.request_refund(order.user, order, {order.lines[0].id: 1}, "买错了", now())
    db_session.commit()
    stripe_fake.fail_next(400, "invalid_request_error", "Charge has been disputed.", code="charge_disputed")
    with pytest.raises(ServiceError):
        refunds.decide(staff, order, True, "", now())
    db_session.rollback()  # what the view does on a ServiceError
    fresh(order)
    assert order.status == "refund_requested" and refunds.open_request(order).status == "requested"
    assert order.lines[0].refunded_quantity == 0 and stock_left(order) == [3]
