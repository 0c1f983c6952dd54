"""Moving orders through their states (exactly once, even under concurrency), and reading them."""

from __future__ import annotations

from datetime import datetime

import sqlalchemy as sa
from flask_babel import lazy_gettext as _l
from sqlalchemy import orm as so

from market.domain.dates import business_date
from market.domain.order_flow import (
    Action,
    Actor,
    OrderFacts,
    OrderStatus,
    TransitionRefused,
    after_refund_decision,
    allowed_actions,
    next_status,
)
from market.domain.stock import StockReason
from market.extensions import db
from market.models import Order, OrderEvent, OutletMembership, User
from market.payments import get_provider
from market.services.errors import ServiceError
from market.services.ordering import order_mail, payment_status, pickup, stock

# What outlet staff may do from an order page: one-button steps, shipping (carrier and tracking number),
# cancelling (with a reason), and collecting at the counter (with the pickup code). Never a bare "paid".
OUTLET_ACTIONS = (Action.READY, Action.PACK, Action.SHIP, Action.COMPLETE, Action.CANCEL, Action.COLLECT)
REASON_MAX = 200  # OrderEvent.note: the buyer reads the cancel reason there
BUYER_ACTIONS = (Action.CANCEL, Action.COMPLETE)
RELEASE_REASONS = {Action.CANCEL: StockReason.ORDER_CANCELLED, Action.EXPIRE: StockReason.HOLD_EXPIRED}
REFUSE_REFUND = "refuse_refund"  # the timeline entry of a refused request (a refund's is Action.REFUND)


def facts(order: Order) -> OrderFacts:
    """What the state machine needs to know about an order."""
    provider = get_provider(order.payment.provider) if order.payment else None
    return OrderFacts(
        status=order.status, fulfilment=order.fulfilment,
        pay_at_pickup=bool(provider and provider.pay_at_pickup), paid=order.paid_at is not None,
    )


def apply(order: Order, action: Action, actor: Actor, user: User | None, now: datetime,
          note: str | None = None, values: dict[str, object] | None = None) -> OrderStatus:
    """Apply one transition of the order machine, exactly once; stock and payment follow. A pay-at-pickup
    order collected at the counter is paid in the same write. `values`: columns the step records with it."""
    before = facts(order)
    try:
        new = next_status(before, action, actor)
    except TransitionRefused:
        raise ServiceError(_l("This order cannot be changed that way now.")) from None
    values = dict(values or {})
    if action in (Action.PAY, Action.LATE_PAY) or (action is Action.COLLECT and not before.paid):
        values.update(paid_at=now, paid_on=business_date(now))
    _move(order, new, action.value, user, now, note, values)
    if new is OrderStatus.CANCELLED:
        for line in order.lines:
            stock.release(line.listing_id, line.quantity, RELEASE_REASONS[action], now=now, actor=user, order=order)
    payment_status.follow_orders(order.payment, now)
    db.session.flush()
    return new


def ship(order: Order, user: User, now: datetime, carrier: str, tracking_number: str) -> OrderStatus:
    """Ship a delivery order, recording its carrier and tracking number (both required)."""
    carrier, tracking_number = carrier.strip(), tracking_number.strip()
    if not carrier:
        raise ServiceError(_l("Name the carrier."), "carrier")
    if not tracking_number:
        raise ServiceError(_l("Enter the tracking number."), "tracking_number")
    if len(carrier) > 40 or len(tracking_number) > 60:
        raise ServiceError(_l("The carrier or tracking number is too long."))
    return apply(order, Action.SHIP, Actor.OUTLET, user, now,
                 values={"carrier": carrier, "tracking_number": tracking_number})


def cancel_by_outlet(order: Order, user: User, now: datetime, reason: str) -> OrderStatus:
    """The outlet cancels an unpaid order, saying why (the buyer reads the reason on the order and in the mail)."""
    reason = " ".join(reason.split())
    if not reason:
        raise ServiceError(_l("Tell the buyer why the order is cancelled."), "reason")
    if len(reason) > REASON_MAX:
        raise ServiceError(_l("Use at most %(max)d characters.", max=REASON_MAX), "reason")
    return apply(order, Action.CANCEL, Actor.OUTLET, user, now, note=reason)


def close_refund_request(order: Order, status_before: str, refunded: bool, user: User, now: datetime,
                         note: str | None) -> OrderStatus:
    """The outlet's decision closes the request: the order is refunded when all its money went back,
    otherwise it returns where it was before the request (order_flow.after_refund_decision)."""
    fully = all(line.refunded_quantity == line.quantity for line in order.lines)
    try:
        new = after_refund_decision(facts(order), status_before, refunded, fully)
    except TransitionRefused:
        raise ServiceError(_l("This order cannot be changed that way now.")) from None
    _move(order, new, Action.REFUND.value if refunded else REFUSE_REFUND, user, now, note, {})
    return new


def _move(order: Order, new: OrderStatus, action: str, user: User | None, now: datetime, note: str | None,
          values: dict[str, object]) -> None:
    """The one write of an order's status: a compare-and-set on the status, so a transition happens once
    even when two requests race (every transition changes the status); then the timeline entry. A pickup
    order becoming ready (again) gets a pickup code free among its outlet's waiting orders."""

    def write(**more: object) -> int:
        return db.session.execute(
            sa.update(Order).where(Order.id == order.id, Order.status == order.status)
            .values(status=new, **values, **more).execution_options(synchronize_session=False)
        ).rowcount

    if new is OrderStatus.READY_FOR_PICKUP:
        moved = pickup.write_with_code(order, lambda code: write(pickup_code=code))
    else:
        moved = write()
    if moved != 1:
        raise ServiceError(_l("This order was changed meanwhile. Reload the page."))
    db.session.refresh(order)
    db.session.add(event(order, new, action, user, now, note))
    order_mail.order_changed(order, action, note)  # the buyer's mail, an outbox row of this same transaction


def event(order: Order, status: str, action: str, user: User | None, now: datetime,
          note: str | None = None) -> OrderEvent:
    """A timeline entry for the order."""
    return OrderEvent(order_id=order.id, status=status, action=action, actor_id=user.id if user else None,
                      note=note, created_at=now)


def expire_overdue(now: datetime, *, user_id: int | None = None, outlet_ids: list[int] | None = None) -> int:
    """Cancel unpaid orders whose hold has passed (their stock returns); returns how many."""
    query = sa.select(Order).where(Order.awaiting_payment, Order.hold_until < now)
    if user_id is not None:
        query = query.where(Order.user_id == user_id)
    if outlet_ids is not None:
        query = query.where(Order.outlet_id.in_(outlet_ids))
    count = 0
    for order in db.session.scalars(query.options(so.selectinload(Order.lines))).all():
        try:
            apply(order, Action.EXPIRE, Actor.SYSTEM, None, now, note="hold expired")
        except ServiceError:
            continue  # paid or changed meanwhile: leave it
        count += 1
    return count


def order_query() -> sa.Select[tuple[Order]]:
    """Orders with what their pages show: outlet, payment, lines and timeline."""
    return sa.select(Order).options(
        so.joinedload(Order.outlet), so.joinedload(Order.payment),
        so.selectinload(Order.lines), so.selectinload(Order.events),
    )


def buyer_order(user: User, number: str) -> Order | None:
    """One of the user's own orders by number (None for anyone else's)."""
    return db.session.scalar(order_query().where(Order.user_id == user.id, Order.number == number))


def staff_outlet_ids(user: User) -> list[int]:
    """The outlets the user works for (admins: every outlet with orders)."""
    if "admin" in user.role_names:
        return list(db.session.scalars(sa.select(Order.outlet_id).distinct()))
    return list(db.session.scalars(sa.select(OutletMembership.outlet_id).where(OutletMembership.user_id == user.id)))


def outlet_order(outlet_ids: list[int], number: str) -> Order | None:
    """One order of the user's outlets by number (None for other outlets' orders)."""
    return db.session.scalar(order_query().where(Order.outlet_id.in_(outlet_ids), Order.number == number))


def actions_for(order: Order, actor: Actor) -> list[Action]:
    """The buttons to show."""
    among = OUTLET_ACTIONS if actor is Actor.OUTLET else BUYER_ACTIONS
    return allowed_actions(facts(order), actor, among)

