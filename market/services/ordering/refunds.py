"""Refunds: the buyer asks (whole order or chosen lines), the outlet decides, the provider pays back.

A refund lowers the subsidy base exactly once: the order lines' refunded amounts change only when our
refund succeeds; the provider's later `charge.refunded` event is matched to it and changes nothing more.
"""

from __future__ import annotations

from datetime import datetime

import sqlalchemy as sa
from flask_babel import lazy_gettext as _l

from market.domain.dates import business_date
from market.domain.money import format_yuan
from market.domain.order_flow import Action, Actor, OrderStatus, refundable_now, stock_returns_on_refund
from market.domain.refund_flow import RefundAction, RefundStatus, next_status
from market.domain.stock import StockReason
from market.extensions import db
from market.models import Order, Payment, Refund, RefundLine, User
from market.payments import ProviderError, get_provider
from market.services.errors import ServiceError
from market.services.ordering import order_mail, stock
from market.services.ordering import orders as order_service


def can_request(order: Order) -> bool:
    """Whether the buyer may ask for a refund of this order now."""
    return order.paid_at is not None and refundable_now(order.status)


def request_refund(user: User, order: Order, quantities: dict[int, int], reason: str, now: datetime) -> Refund:
    """Ask for money back for some units of some lines (never more than was paid and not yet refunded)."""
    if not can_request(order):
        raise ServiceError(_l("This order cannot be refunded now."))
    reason = reason.strip()
    if not reason:
        raise ServiceError(_l("Tell the outlet why you want a refund."), "reason")
    lines = {line.id: line for line in order.lines}
    refund_lines = []
    for line_id, quantity in quantities.items():
        line = lines.get(line_id)
        if line is None:
            raise ServiceError(_l("That line is not part of this order."))
        if quantity < 0:
            raise ServiceError(_l("Quantities cannot be negative."))
        if quantity == 0:
            continue
        left = line.quantity - line.refunded_quantity
        if quantity > left:
            raise ServiceError(_l("At most %(n)d of %(name)s can still be refunded.", n=left, name=line.name_zh))
        amount = min(line.unit_price_fen * quantity, line.line_total_fen - line.refunded_fen)
        refund_lines.append(RefundLine(order_line_id=line.id, quantity=quantity, amount_fen=amount))
    if not refund_lines:
        raise ServiceError(_l("Choose at least one item to refund."))
    before = order.status
    order_service.apply(order, Action.REQUEST_REFUND, Actor.BUYER, user, now, note=reason[:200])
    refund = Refund(order_id=order.id, payment_id=order.payment_id, requested_by_id=user.id,
                    status=RefundStatus.REQUESTED,
                    amount_fen=sum(rl.amount_fen for rl in refund_lines), reason=reason[:200],
                    order_status_before=before, lines=refund_lines, created_at=now)
    db.session.add(refund)
    db.session.flush()
    order_mail.refund_requested(order, refund)
    return refund


def open_request(order: Order) -> Refund | None:
    """The order's refund request waiting for the outlet's decision."""
    return db.session.scalar(
        sa.select(Refund).where(Refund.order_id == order.id, Refund.status == RefundStatus.REQUESTED)
    )


def decide(actor: User, order: Order, accept: bool, note: str, now: datetime) -> Refund:
    """The outlet accepts (money goes back through the order's provider) or refuses (with a reason)."""
    refund = open_request(order)
    if refund is None:
        raise ServiceError(_l("There is no refund request to decide."))
    note = note.strip()
    if not accept and not note:
        raise ServiceError(_l("Give the buyer a reason for refusing."), "note")
    refund.decided_at, refund.decision_note = now, note[:200] or None
    if accept:
        _move(refund, RefundAction.ACCEPT)
        db.session.flush()
        if send_refund(refund, now, actor=actor) == RefundStatus.FAILED:
            raise ServiceError(_l("The refund could not be sent: %(reason)s", reason=refund.decision_note or ""))
    else:
        _move(refund, RefundAction.REFUSE)
    refunded = refund.status == RefundStatus.SUCCEEDED
    order_service.close_refund_request(order, refund.order_status_before or OrderStatus.PAID, refunded, actor, now,
                                       note=format_yuan(refund.amount_fen) if refunded else refund.decision_note)
    db.session.flush()
    return refund


def refund_late_payment(payment: Payment, order: Order, now: datetime) -> RefundStatus:
    """Return the whole of an order's payment that came after its hold ended and found no stock: the
    system accepts the refund itself. Returns how sending it went (failed: staff return it by hand)."""
    refund = Refund(order_id=order.id, payment_id=payment.id, status=RefundStatus.REQUESTED,
                    amount_fen=order.total_fen, reason="late payment, stock no longer available",
                    order_status_before=OrderStatus.CANCELLED)
    _move(refund, RefundAction.ACCEPT)
    db.session.add(refund)
    db.session.flush()
    # A key that survives a rolled-back retry of the same event, so the money goes back once.
    return send_refund(refund, now, key=f"market-late-{payment.id}-{order.id}")


def send_refund(refund: Refund, now: datetime, key: str | None = None, actor: User | None = None) -> RefundStatus:
    """Pay the money back through the provider and, once it succeeded, book it against the lines."""
    provider = get_provider(refund.payment.provider if refund.payment else "pickup")
    try:
        refund.provider_ref = provider.refund(refund, key)
    except ProviderError as err:
        refund.decision_note = str(err)[:200]
        return _move(refund, RefundAction.FAIL)
    new, refund.refunded_on = _move(refund, RefundAction.CONFIRM), business_date(now)
    for rl in refund.lines:
        rl.order_line.refunded_quantity += rl.quantity
        rl.order_line.refunded_fen += rl.amount_fen
        if stock_returns_on_refund(refund.order_status_before or "", provider.pay_at_pickup):
            stock.restock(rl.order_line.listing_id, rl.quantity, StockReason.REFUND_RESTOCK, now=now, actor=actor,
                          order=refund.order)
    return new


def _move(refund: Refund, action: RefundAction) -> RefundStatus:
    """The one write of a refund's status, through the refund machine (TransitionRefused otherwise)."""
    refund.status = new = next_status(refund.status, action)
    return new
