"""What happens when a provider confirms, fails or expires a payment; issues flagged for staff."""

from __future__ import annotations

from datetime import datetime
from typing import Any

import sqlalchemy as sa
from flask_babel import gettext
from flask_babel import lazy_gettext as _l

from market.domain.money import format_yuan
from market.domain.order_flow import Action, Actor, OrderStatus
from market.domain.payment_flow import PaymentAction, PaymentIssueKind, PaymentStatus
from market.domain.refund_flow import RefundStatus
from market.domain.stock import StockReason
from market.domain.transitions import TransitionRefused
from market.extensions import db
from market.models import Order, Payment, PaymentIssue, User
from market.payments import get_provider
from market.services.accounts import audit, outbox
from market.services.errors import ServiceError
from market.services.ordering import orders as order_service
from market.services.ordering import payment_status, stock


def flag(kind: PaymentIssueKind, payment: Payment | None, **detail: Any) -> PaymentIssue:
    """Record something about money that staff must look at."""
    issue = PaymentIssue(kind=kind, payment_id=payment.id if payment else None, detail=detail)
    db.session.add(issue)
    db.session.flush()
    return issue


def owned_payment(user: User, payment_id: int) -> Payment | None:
    """The user's own payment (None for anyone else's)."""
    return db.session.scalar(sa.select(Payment).where(Payment.id == payment_id, Payment.user_id == user.id))


def can_pay_online_again(order: Order) -> bool:
    """Whether the buyer may start another online payment attempt for this order."""
    payment = order.payment
    return (payment is not None and not get_provider(payment.provider).pay_at_pickup
            and payment.status == PaymentStatus.PENDING and order.status == OrderStatus.PLACED)


def payable_orders(payment: Payment, now: datetime) -> list[Order]:
    """The orders an online payment can still be (re)started for; ServiceError when none."""
    orders = [o for o in payment.orders if o.status == OrderStatus.PLACED and o.paid_at is None]
    if payment.status != PaymentStatus.PENDING or not orders or len(orders) != len(payment.orders):
        raise ServiceError(_l("This payment can no longer be made."))
    if any(o.hold_until and o.hold_until <= now for o in orders):
        raise ServiceError(_l("The time to pay this order has passed; it will be cancelled."))
    return orders


def confirm_paid(payment: Payment, amount_fen: int, currency: str, provider_payment_ref: str | None,
                 now: datetime) -> str:
    """Mark the payment's orders paid, after checking amount and currency; late payments re-reserve
    stock or are refunded. Returns a short outcome for the event log."""
    if payment.succeeded:
        first = payment.provider_payment_ref
        if provider_payment_ref and first and provider_payment_ref != first:
            # The buyer paid a second Checkout Session of the same orders: staff refund it.
            flag(PaymentIssueKind.DUPLICATE_PAYMENT, payment, provider_payment_ref=provider_payment_ref,
                 amount_fen=amount_fen, first_payment_ref=first)
            return "second payment flagged"
        return "already paid"
    if amount_fen != payment.amount_fen or currency.lower() != payment.currency.lower():
        flag(PaymentIssueKind.AMOUNT_MISMATCH, payment, expected_fen=payment.amount_fen,
             expected_currency=payment.currency, received_fen=amount_fen, received_currency=currency,
             provider_payment_ref=provider_payment_ref)
        return "amount mismatch flagged"
    payment.provider_payment_ref = provider_payment_ref
    late = [o for o in payment.orders if o.status == OrderStatus.CANCELLED and o.paid_at is None]
    payment_status.move(payment, PaymentAction.CONFIRM, now)  # the money is here, whatever the orders' state
    for order in payment.orders:
        if order in late:
            continue
        order_service.apply(order, Action.PAY, Actor.SYSTEM, None, now)
    if late:
        return _late_payment(payment, late, now)
    return OrderStatus.PAID  # the outcome: every order of the payment is now paid


def _late_payment(payment: Payment, late: list[Order], now: datetime) -> str:
    """The money arrived after the hold expired: take the stock again if it is all there, else refund."""
    lines = [line for order in late for line in order.lines]
    taken = []
    for line in lines:
        if not stock.reserve(line.listing_id, line.quantity, StockReason.LATE_PAYMENT, now=now, order=line.order):
            break
        taken.append(line)
    if len(taken) == len(lines):
        for order in late:
            order_service.apply(order, Action.LATE_PAY, Actor.SYSTEM, None, now, note="paid after the hold expired")
        flag(PaymentIssueKind.LATE_PAYMENT_RESERVED, payment, orders=[o.number for o in late])
        return "late payment: stock re-reserved"
    for line in taken:  # give back what was taken before the shortfall
        stock.release(line.listing_id, line.quantity, StockReason.LATE_PAYMENT, now=now, order=line.order)
    from market.services.ordering.refunds import refund_late_payment  # late import: refunds builds on this module

    statuses = []
    for order in late:
        statuses.append(refund_late_payment(payment, order, now))
        db.session.add(order_service.event(order, OrderStatus.CANCELLED, "late_refund", None, now,
                                           note="paid after the hold expired; out of stock, refunded"))
    flag(PaymentIssueKind.LATE_PAYMENT_REFUNDED, payment, orders=[o.number for o in late],
         amount_fen=sum(o.total_fen for o in late), refund_statuses=statuses)
    if RefundStatus.FAILED in statuses:  # the money is still with us: staff must return it by hand
        flag(PaymentIssueKind.REFUND_FAILED, payment, orders=[o.number for o in late])
    _tell_buyer_of_late_refund(late)
    return "late payment refunded"


def _tell_buyer_of_late_refund(late: list[Order]) -> None:
    """Mail the buyer, in their language, that the late payment was returned (an outbox row of this
    transaction: sent once the refund is committed)."""
    buyer = late[0].user
    outbox.queue_to(buyer, "payment.late_refund", lambda: (
        gettext("Your payment has been refunded — Long County market"),
        gettext("Your payment for order(s) %(numbers)s arrived after the time to pay had ended, and the produce "
                "had been sold meanwhile. We have refunded %(amount)s in full; it returns to you the way you paid.",
                numbers=", ".join(o.number for o in late), amount=format_yuan(sum(o.total_fen for o in late)))))


FAILURE_NOTES = {PaymentAction.FAIL: "payment failed", PaymentAction.CANCEL: "checkout session expired"}


def fail(payment: Payment, now: datetime, action: PaymentAction) -> str:
    """The provider says the money will not come (FAIL, or CANCEL when the session expired): the payment
    ends, its unpaid orders are cancelled and their stock returns. Returns the outcome for the event log."""
    try:
        new = payment_status.move(payment, action, now)
    except TransitionRefused:
        return f"ignored ({payment.status})"
    for order in payment.orders:
        if order.awaiting_payment:
            order_service.apply(order, Action.CANCEL, Actor.SYSTEM, None, now, note=FAILURE_NOTES[action])
    return new


def resolve_issue(actor: User, issue: PaymentIssue, note: str, now: datetime) -> None:
    """Staff mark a flagged issue resolved (audited)."""
    if issue.resolved_at is not None:
        raise ServiceError(_l("This issue is already resolved."))
    issue.resolved_at, issue.resolved_by_id, issue.resolution_note = now, actor.id, note.strip()[:200]
    audit.record(actor, "payment_issue.resolve", issue, before={"resolved": False},
                 after={"resolved": True, "note": issue.resolution_note})


def open_issues() -> list[PaymentIssue]:
    """Unresolved issues first, newest first."""
    return list(db.session.scalars(
        sa.select(PaymentIssue).order_by(PaymentIssue.resolved_at.is_not(None), PaymentIssue.id.desc()).limit(200)
    ))

