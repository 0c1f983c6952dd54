"""The payment state machine, and the kinds of money issues staff look at. Pure.

States: pending -> succeeded (the provider confirmed the money), failed (it will not come) or cancelled
(the checkout session expired, or every order of the payment was cancelled). Money confirmed after a
payment failed or was cancelled is still taken (a late payment): it is never lost, the services re-reserve
its stock or refund it.
"""

from __future__ import annotations

from enum import StrEnum

from market.domain.transitions import TransitionRefused


class PaymentStatus(StrEnum):
    """Where a payment stands. The members' order is the order of the database CHECK constraint."""

    PENDING = "pending"
    SUCCEEDED = "succeeded"
    FAILED = "failed"
    CANCELLED = "cancelled"


ENDED_UNPAID = (PaymentStatus.FAILED, PaymentStatus.CANCELLED)


class PaymentAction(StrEnum):
    """What can happen to a payment."""

    CONFIRM = "confirm"  # the provider confirmed the money (or all its orders were paid at the outlet)
    FAIL = "fail"  # the provider says the money will not come
    CANCEL = "cancel"  # the session expired, or all its orders were cancelled


MOVES = {
    (PaymentStatus.PENDING, PaymentAction.CONFIRM): PaymentStatus.SUCCEEDED,
    (PaymentStatus.FAILED, PaymentAction.CONFIRM): PaymentStatus.SUCCEEDED,  # late: the money is taken
    (PaymentStatus.CANCELLED, PaymentAction.CONFIRM): PaymentStatus.SUCCEEDED,  # late: the money is taken
    (PaymentStatus.PENDING, PaymentAction.FAIL): PaymentStatus.FAILED,
    (PaymentStatus.PENDING, PaymentAction.CANCEL): PaymentStatus.CANCELLED,
}


def next_status(status: str, action: PaymentAction) -> PaymentStatus:
    """The status after `action`, or TransitionRefused with the reason."""
    new = MOVES.get((status, action))  # a StrEnum member and its value are the same key
    if new is None:
        if action is PaymentAction.CONFIRM:
            raise TransitionRefused("this payment is already confirmed")
        raise TransitionRefused("only a pending payment can fail or be cancelled")
    return new


def after_orders(status: str, orders_paid: list[bool], orders_cancelled: list[bool]) -> PaymentAction | None:
    """How a pending payment follows its orders: confirmed when all are paid, cancelled when all are
    cancelled, otherwise unchanged (None)."""
    if status != PaymentStatus.PENDING:
        return None
    if all(orders_paid):
        return PaymentAction.CONFIRM
    if all(orders_cancelled):
        return PaymentAction.CANCEL
    return None


class PaymentIssueKind(StrEnum):
    """Something about money that staff must look at. The members' order is the CHECK constraint's."""

    AMOUNT_MISMATCH = "amount_mismatch"
    UNKNOWN_REFUND = "unknown_refund"
    LATE_PAYMENT_RESERVED = "late_payment_reserved"
    LATE_PAYMENT_REFUNDED = "late_payment_refunded"
    REFUND_FAILED = "refund_failed"
    DUPLICATE_PAYMENT = "duplicate_payment"
