"""Applying provider events exactly once: each event is stored by id in the transaction that applies it."""

from __future__ import annotations

from datetime import datetime
from typing import Any

import sqlalchemy as sa

from market.domain.payment_flow import PaymentAction, PaymentIssueKind
from market.domain.refund_flow import RefundStatus
from market.extensions import db
from market.models import Payment, Refund, WebhookEvent
from market.services.ordering import payments


def handle_stripe_event(event: dict[str, Any], now: datetime) -> str:
    """Store the event, then apply it; a replay (same id) changes nothing. Returns the outcome.

    A concurrent duplicate makes the flush fail on the primary key; the caller rolls back and answers 200.
    """
    if db.session.get(WebhookEvent, event["id"]) is not None:
        return "duplicate"
    record = WebhookEvent(id=event["id"], provider="stripe", type=event["type"], payload=event, received_at=now)
    db.session.add(record)
    db.session.flush()
    obj = (event.get("data") or {}).get("object") or {}
    handler = HANDLERS.get(event["type"])
    record.outcome = (handler(obj, now) if handler and isinstance(obj, dict) else "ignored")[:200]
    return record.outcome


def _payment_for_session(session: dict[str, Any]) -> Payment | None:
    """Our payment for a Checkout Session: by the id we put in its metadata, else by the session id."""
    metadata = session.get("metadata") or {}
    payment_id = str(metadata.get("payment_id", ""))
    payment = db.session.get(Payment, int(payment_id)) if payment_id.isdigit() else None
    if payment is None and session.get("id"):
        payment = db.session.scalar(sa.select(Payment).where(Payment.provider_ref == session["id"]))
    return payment if payment is not None and payment.provider == "stripe" else None


def _int(value: Any) -> int:
    return value if isinstance(value, int) and not isinstance(value, bool) else -1


def _completed(session: dict[str, Any], now: datetime) -> str:
    payment = _payment_for_session(session)
    if payment is None:
        return "unknown session"
    if session.get("payment_status") != "paid":  # Stripe's session value, not one of our statuses
        return "awaiting asynchronous payment"
    return payments.confirm_paid(payment, _int(session.get("amount_total")), str(session.get("currency", "")),
                                 session.get("payment_intent"), now)


def _async_failed(session: dict[str, Any], now: datetime) -> str:
    payment = _payment_for_session(session)
    return payments.fail(payment, now, PaymentAction.FAIL) if payment else "unknown session"


def _expired(session: dict[str, Any], now: datetime) -> str:
    payment = _payment_for_session(session)
    if payment is None:
        return "unknown session"
    if session.get("id") != payment.provider_ref:
        return "an earlier attempt expired; the current one goes on"
    return payments.fail(payment, now, PaymentAction.CANCEL)


def _charge_refunded(charge: dict[str, Any], now: datetime) -> str:
    """Match the charge's refunds to ours; anything else was refunded outside the market: flag it."""
    intent = charge.get("payment_intent")
    payment = db.session.scalar(sa.select(Payment).where(Payment.provider_payment_ref == intent)) if intent else None
    ours = {r.provider_ref: r for r in db.session.scalars(
        sa.select(Refund).where(Refund.payment_id == (payment.id if payment else -1), Refund.provider_ref.isnot(None))
    )}
    listed = ((charge.get("refunds") or {}).get("data")) or []
    unknown = []
    for item in listed:
        refund = ours.get(item.get("id"))
        if refund is not None:
            refund.confirmed_by_provider = True
        elif not (item.get("metadata") or {}).get("refund_id"):  # ours carry our id, even if not yet committed
            unknown.append({"refund": item.get("id"), "amount_fen": item.get("amount")})
    if not listed:  # refunds not expanded: compare the totals instead
        booked = sum(r.amount_fen for r in ours.values() if r.status == RefundStatus.SUCCEEDED)
        extra = _int(charge.get("amount_refunded")) - booked
        for refund in ours.values():
            refund.confirmed_by_provider = True
        if extra > 0:
            unknown.append({"refund": None, "amount_fen": extra})
    if unknown:
        payments.flag(PaymentIssueKind.UNKNOWN_REFUND, payment, charge=charge.get("id"), payment_intent=intent,
                      refunds=unknown)
        return f"{len(unknown)} unknown refund(s) flagged"
    return "refunds matched"


HANDLERS = {
    "checkout.session.completed": _completed,
    "checkout.session.async_payment_succeeded": _completed,
    "checkout.session.async_payment_failed": _async_failed,
    "checkout.session.expired": _expired,
    "charge.refunded": _charge_refunded,
}
