"""Expiring held orders, called directly: which orders are cancelled, their stock and payments, and the filters."""

from __future__ import annotations

from datetime import timedelta

from market.domain.order_flow import Action, Actor
from market.services.ordering import orders as order_service
from market.services.ordering import payments
from tests.factories import UserFactory
from tests.services.ordering_setup import fresh, now, place, stock_left


def test_unpaid_orders_past_their_hold_are_cancelled_and_their_stock_returns(db_session):
    first, second = place(2, 3, stock=5)
    payment = first.payment
    assert stock_left(first) + stock_left(second) == [3, 2]
    assert order_service.expire_overdue(first.hold_until + timedelta(seconds=1)) == 2
    db_session.commit()
    fresh(first, second, payment)
    assert (first.status, second.status, payment.status) == ("cancelled", "cancelled", "cancelled")
    assert stock_left(first) + stock_left(second) == [5, 5]
    assert [(e.action, e.note) for e in first.events][-1] == ("expire", "hold expired")


def test_orders_still_held_or_paid_are_left_alone(db_session):
    (held,) = place(1, provider="pickup")  # held for days
    (paid,) = place(2)  # paid online in time
    payments.confirm_paid(paid.payment, paid.payment.amount_fen, "cny", "pi_1", now())
    assert order_service.expire_overdue(paid.hold_until + timedelta(minutes=1)) == 0
    fresh(held, paid)
    assert (held.status, paid.status) == ("placed", "paid")
    assert stock_left(paid) == [3]


def test_a_pickup_order_made_ready_but_never_collected_expires_after_the_pickup_days(db_session):
    (order,) = place(2, provider="pickup", stock=5)
    order_service.apply(order, Action.READY, Actor.OUTLET, UserFactory(roles_given=("outlet_staff",)), now())
    assert order.hold_until - order.placed_at == timedelta(days=3)
    assert order_service.expire_overdue(order.hold_until - timedelta(seconds=1)) == 0
    assert order_service.expire_overdue(order.hold_until + timedelta(seconds=1)) == 1
    fresh(order)
    assert (order.status, order.payment.status, stock_left(order)) == ("cancelled", "cancelled", [5])


def test_expiry_for_one_buyer_or_some_outlets_touches_only_their_orders(db_session):
    (mine,) = place(1)
    (theirs,) = place(1)
    later = mine.hold_until + timedelta(minutes=1)
    assert order_service.expire_overdue(later, user_id=mine.user_id) == 1
    assert order_service.expire_overdue(later, outlet_ids=[mine.outlet_id]) == 0  # already done
    fresh(mine, theirs)
    assert (mine.status, theirs.status) == ("cancelled", "placed")
    assert order_service.expire_overdue(later, outlet_ids=[theirs.outlet_id]) == 1
    assert order_service.expire_overdue(later) == 0  # running again changes nothing
    fresh(theirs)
    assert theirs.status == "cancelled" and stock_left(theirs) == [5]
