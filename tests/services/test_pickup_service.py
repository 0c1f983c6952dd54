"""Pickup codes and the counter, called directly: a code when an order becomes ready, unique among the
outlet's waiting orders (also after a refused refund request or a concurrent collision), and collecting with
the code: a wrong code changes nothing, the right one hands over and takes the cash in one step."""

from __future__ import annotations

import re

import pytest
import sqlalchemy as sa

from market.domain.dates import business_date
from market.domain.order_flow import Action, Actor
from market.extensions import db
from market.models import Order, OrderEvent
from market.payments import get_provider
from market.services.errors import ServiceError
from market.services.ordering import cart as carts
from market.services.ordering import counter, payments, pickup, refunds
from market.services.ordering import orders as order_service
from market.services.ordering.checkout import place_orders
from tests.factories import ListingFactory, UserFactory
from tests.services.ordering_setup import PICKUP, buy, fresh, now, place


def staff_user():
    return UserFactory(roles_given=("outlet_staff",))


def ready_cash_order(quantity: int = 2):
    (order,) = place(quantity, provider="pickup")
    staff = staff_user()
    order_service.apply(order, Action.READY, Actor.OUTLET, staff, now())
    return order, staff


def state(order: Order) -> tuple:
    """Everything a refused counter attempt must leave as it was."""
    db.session.expire_all()
    row = db.session.get(Order, order.id)
    events = db.session.scalar(sa.select(sa.func.count()).where(OrderEvent.order_id == order.id))
    return row.status, row.paid_at, row.paid_on, row.payment.status, row.pickup_code, events


def test_a_pickup_order_made_ready_gets_a_six_digit_code(db_session):
    order, _ = ready_cash_order()
    assert order.status == "ready_for_pickup" and re.fullmatch(r"\d{6}", order.pickup_code)


def test_a_wrong_code_is_refused_and_changes_nothing(db_session):
    order, staff = ready_cash_order()
    before = state(order)
    wrong = f"{(int(order.pickup_code) + 1) % 1_000_000:06d}"
    for typed in (wrong, "", "12345", "1234567", "abcdef", order.pickup_code[:5] + " "):
        with pytest.raises(counter.WrongPickupCode) as refused:
            counter.collect(staff, order.outlet, typed, now())
        assert refused.value.field == "code"
    assert state(order) == before


def test_the_right_code_hands_over_and_takes_the_cash_in_one_step(db_session):
    order, staff = ready_cash_order()
    collected = counter.collect(staff, order.outlet, f" {order.pickup_code} ", now())
    db_session.commit()
    fresh(order)
    assert collected.id == order.id
    assert order.status == "completed" and order.paid_at is not None and order.paid_on == business_date(order.paid_at)
    assert order.payment.status == "succeeded"
    assert [(e.status, e.action, e.actor_id) for e in order.events][-1] == ("completed", "collect", staff.id)
    with pytest.raises(counter.WrongPickupCode):  # collected once: the code no longer opens anything
        counter.collect(staff, order.outlet, order.pickup_code, now())


def test_a_code_of_another_outlets_order_is_refused_here(db_session):
    order, staff = ready_cash_order()
    other, _ = ready_cash_order()
    before = state(order)
    if other.pickup_code != order.pickup_code:
        with pytest.raises(counter.WrongPickupCode):
            counter.collect(staff, other.outlet, order.pickup_code, now())
    assert state(order) == before


def test_the_plain_paid_and_completed_steps_are_refused_for_a_waiting_pickup_order(db_session):
    order, staff = ready_cash_order()
    for action in (Action.PAY, Action.COMPLETE):
        with pytest.raises(ServiceError):
            order_service.apply(order, action, Actor.OUTLET, staff, now())
    assert order.status == "ready_for_pickup" and order.paid_at is None


def online_pickup_order(quantity: int = 1):
    """A pickup order paid online (confirmed), at its own outlet."""
    buyer = UserFactory()
    cart = carts.get_or_create_cart(buyer, None)
    carts.add(cart, ListingFactory(stock=5, price_fen=6800).id, quantity, business_date(now()))
    (order,) = place_orders(buyer, cart, PICKUP, get_provider("stripe"), now())
    assert payments.confirm_paid(order.payment, order.payment.amount_fen, "cny", "pi_1", now()) == "paid"
    return order


def test_an_order_paid_online_is_handed_over_with_its_code_and_keeps_its_payment_date(db_session):
    order = online_pickup_order()
    staff = staff_user()
    paid_at = order.paid_at
    order_service.apply(order, Action.READY, Actor.OUTLET, staff, now())
    counter.collect(staff, order.outlet, order.pickup_code, now())
    fresh(order)
    assert order.status == "completed" and order.paid_at == paid_at


def test_codes_are_unique_among_the_outlets_waiting_orders(db_session, monkeypatch):
    first, staff = ready_cash_order(1)
    second = buy(first.lines[0].listing_id, 1)
    draws = iter([int(first.pickup_code), int(first.pickup_code), 424242])
    monkeypatch.setattr(pickup.secrets, "randbelow", lambda _n: next(draws))
    order_service.apply(second, Action.READY, Actor.OUTLET, staff, now())
    assert second.pickup_code == "424242" != first.pickup_code


def test_a_code_taken_by_a_concurrent_order_is_retried_with_another(db_session, monkeypatch):
    first, staff = ready_cash_order(1)
    second = buy(first.lines[0].listing_id, 1)
    offered = iter([first.pickup_code, "135790"])  # the first offer loses to the unique index, as in a race
    monkeypatch.setattr(pickup, "code_for", lambda order, avoid: next(offered))
    order_service.apply(second, Action.READY, Actor.OUTLET, staff, now())
    db_session.commit()
    fresh(first, second)
    assert (second.status, second.pickup_code) == ("ready_for_pickup", "135790")
    assert [e.status for e in second.events] == ["placed", "ready_for_pickup"]


def test_an_order_back_from_a_refused_refund_keeps_its_code_unless_another_order_took_it(db_session, monkeypatch):
    order = online_pickup_order(1)
    staff = staff_user()
    order_service.apply(order, Action.READY, Actor.OUTLET, staff, now())
    code = order.pickup_code
    refunds.request_refund(order.user, order, {order.lines[0].id: 1}, "不想要了", now())
    refunds.decide(staff, order, False, "已备好货", now())
    assert (order.status, order.pickup_code) == ("ready_for_pickup", code)  # nobody took it: the buyer's code holds

    refunds.request_refund(order.user, order, {order.lines[0].id: 1}, "还是不想要", now())
    other = buy(order.lines[0].listing_id, 1)
    draws = iter([int(code), 97531])
    monkeypatch.setattr(pickup.secrets, "randbelow", lambda _n: next(draws))
    order_service.apply(other, Action.READY, Actor.OUTLET, staff, now())
    assert other.pickup_code == code  # free while the first order was out of the waiting ones
    refunds.decide(staff, order, False, "已备好货", now())
    db_session.commit()
    fresh(order, other)
    assert order.status == other.status == "ready_for_pickup"
    assert order.pickup_code == "097531" != other.pickup_code


def test_shipping_needs_the_carrier_and_the_tracking_number(db_session):
    (order,) = place(1)
    payments.confirm_paid(order.payment, order.payment.amount_fen, "cny", "pi_1", now())
    staff = staff_user()
    for carrier, tracking, field in (("", "SF123", "carrier"), ("顺丰", "  ", "tracking_number")):
        with pytest.raises(ServiceError) as refused:
            order_service.ship(order, staff, now(), carrier, tracking)
        assert refused.value.field == field
    order_service.ship(order, staff, now(), " 顺丰速运 ", "SF1234567890")
    fresh(order)
    assert (order.status, order.carrier, order.tracking_number) == ("shipped", "顺丰速运", "SF1234567890")


def test_the_outlet_cancels_only_with_a_reason_which_the_timeline_keeps(db_session):
    (order,) = place(2, provider="pickup", stock=5)
    staff = staff_user()
    for reason in ("   ", "x" * 201):
        with pytest.raises(ServiceError) as refused:
            order_service.cancel_by_outlet(order, staff, now(), reason)
        assert refused.value.field == "reason"
    assert order.status == "placed"
    order_service.cancel_by_outlet(order, staff, now(), " 货品 临期，\n无法出售 ")
    fresh(order)
    assert order.status == "cancelled"
    assert [(e.action, e.note, e.actor_id) for e in order.events][-1] == ("cancel", "货品 临期， 无法出售", staff.id)
