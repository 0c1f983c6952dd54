"""The payment's one status transition, and how a payment follows its orders.

Its own module so that both the orders service (a payment follows its orders) and the payments service
(provider outcomes) can move a payment without importing each other.
"""

from __future__ import annotations

from datetime import datetime

from market.domain.order_flow import OrderStatus
from market.domain.payment_flow import PaymentAction, PaymentStatus, after_orders, next_status
from market.models import Payment


def move(payment: Payment, action: PaymentAction, now: datetime) -> PaymentStatus:
    """Apply one transition (TransitionRefused when the machine does not allow it); a confirmation is dated."""
    payment.status = new = next_status(payment.status, action)
    if action is PaymentAction.CONFIRM:
        payment.confirmed_at = now
    return new


def follow_orders(payment: Payment | None, now: datetime) -> None:
    """A pending payment succeeds when all its orders are paid, and is cancelled when all are cancelled."""
    if payment is None:
        return
    action = after_orders(payment.status, [o.paid_at is not None for o in payment.orders],
                          [o.status == OrderStatus.CANCELLED for o in payment.orders])
    if action is not None:
        move(payment, action, now)
