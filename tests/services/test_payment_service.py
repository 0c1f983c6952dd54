"""Confirming and failing a payment, called directly: what the orders, the stock and the flagged issues become."""

from __future__ import annotations

from datetime import timedelta

import pytest
import sqlalchemy as sa

from market.domain.dates import business_date
from market.domain.payment_flow import PaymentAction
from market.extensions import db
from market.models import Refund
from market.services.ordering import orders as order_service
from market.services.ordering import payments
from market.services.ordering.paying import start_online_payment
from tests.services.ordering_setup import PAGES, buy, fresh, issues, now, place, stock_left


def test_confirming_the_right_amount_pays_every_order_of_the_payment(db_session):
    at = now()
    first, second = place(2, 1, price_fen=6800)
    payment = first.payment
    assert second.payment is payment and payment.amount_fen == 3 * 6800
    assert payments.confirm_paid(payment, 3 * 6800, "cny", "pi_1", at) == "paid"
    db_session.commit()
    fresh(first, second, payment)
    assert [first.status, second.status] == ["paid", "paid"]
    assert first.paid_at == at and first.paid_on == business_date(at)
    assert (payment.status, payment.confirmed_at, payment.provider_payment_ref) == ("succeeded", at, "pi_1")
    assert stock_left(first) + stock_left(second) == [3, 4]  # the reserved units stay taken
    assert issues() == []


def test_a_replayed_confirmation_changes_nothing_and_a_second_payment_is_flagged(db_session):
    at = now()
    (order,) = place(2)
    payment = order.payment
    payments.confirm_paid(payment, payment.amount_fen, "CNY", "pi_1", at)
    replayed = payments.confirm_paid(payment, payment.amount_fen, "CNY", "pi_1", at + timedelta(minutes=1))
    assert replayed == "already paid"
    assert issues() == []
    assert payments.confirm_paid(payment, payment.amount_fen, "CNY", "pi_2", at) == "second payment flagged"
    assert issues() == [("duplicate_payment", payment.id)]
    fresh(order, payment)
    assert (order.status, payment.provider_payment_ref) == ("paid", "pi_1")


@pytest.mark.parametrize(("amount_delta", "currency"), [(-1, "cny"), (100, "cny"), (0, "usd")])
def test_a_wrong_amount_or_currency_is_flagged_and_pays_nothing(db_session, amount_delta, currency):
    (order,) = place(2)
    payment = order.payment
    outcome = payments.confirm_paid(payment, payment.amount_fen + amount_delta, currency, "pi_1", now())
    assert outcome == "amount mismatch flagged"
    fresh(order, payment)
    assert (order.status, order.paid_at, payment.status) == ("placed", None, "pending")
    assert issues() == [("amount_mismatch", payment.id)]


def test_money_arriving_after_the_hold_takes_the_stock_again_when_it_is_still_there(db_session):
    (order,) = place(2, stock=5)
    late = order.hold_until + timedelta(minutes=1)
    assert order_service.expire_overdue(late) == 1
    fresh(order)
    assert order.status == "cancelled" and stock_left(order) == [5]
    outcome = payments.confirm_paid(order.payment, order.payment.amount_fen, "cny", "pi_1", late)
    assert outcome == "late payment: stock re-reserved"
    fresh(order, order.payment)
    assert (order.status, order.paid_on, order.payment.status) == ("paid", business_date(late), "succeeded")
    assert stock_left(order) == [3]
    assert issues() == [("late_payment_reserved", order.payment.id)]


def test_money_arriving_after_the_stock_was_sold_is_refunded_and_flagged(db_session, stripe_fake):
    (order,) = place(2, stock=2)
    payment = order.payment
    assert start_online_payment(payment, [order], PAGES, now())  # a Checkout Session at the fake
    late = order.hold_until + timedelta(minutes=1)
    order_service.expire_overdue(late)
    buy(order.lines[0].listing_id, 2, late)  # someone else takes the units that came back
    intent = stripe_fake.complete_session(payment.provider_ref)["payment_intent"]
    outcome = payments.confirm_paid(payment, payment.amount_fen, "cny", intent, late)
    assert outcome == "late payment refunded"
    fresh(order, payment)
    assert (order.status, payment.status, stock_left(order)) == ("cancelled", "succeeded", [0])
    (refund,) = db.session.scalars(sa.select(Refund))
    assert (refund.status, refund.amount_fen) == ("succeeded", payment.amount_fen)
    assert [(r["payment_intent"], r["amount"]) for r in stripe_fake.refunds] == [(intent, payment.amount_fen)]
    assert issues() == [("late_payment_refunded", payment.id)]


@pytest.mark.parametrize(("action", "status"), [(PaymentAction.FAIL, "failed"), (PaymentAction.CANCEL, "cancelled")])
def test_a_failed_or_expired_payment_cancels_its_orders_and_returns_their_stock(db_session, action, status):
    first, second = place(2, 3, stock=5)
    payment = first.payment
    assert payments.fail(payment, now(), action) == status
    db_session.commit()
    fresh(first, second, payment)
    assert (first.status, second.status, payment.status) == ("cancelled", "cancelled", status)
    assert stock_left(first) + stock_left(second) == [5, 5]


def test_a_failure_reported_after_the_payment_succeeded_is_ignored(db_session):
    (order,) = place(2, stock=5)
    payment = order.payment
    payments.confirm_paid(payment, payment.amount_fen, "cny", "pi_1", now())
    assert payments.fail(payment, now(), PaymentAction.FAIL) == "ignored (succeeded)"
    fresh(order, payment)
    assert (order.status, payment.status, stock_left(order)) == ("paid", "succeeded", [3])
