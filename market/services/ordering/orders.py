"""Moving orders through their states (exactly once, even under concurrency), and reading them."""

from __future__ import annotations

from datetime import datetime

import sqlalchemy as sa
from flask_babel import lazy_gettext as _l
from sqlalchemy import orm as so

from market.domain.dates import business_date
from market.domain.order_flow import (
    OPEN_STATUSES,
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
from market.services.ordering import payment_status, stock

OUTLET_ACTIONS = (Action.PAY, Action.READY, Action.PACK, Action.SHIP, Action.COMPLETE, Action.CANCEL)
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
          note: str | None = None) -> OrderStatus:
    """Apply one transition of the order machine, exactly once; stock and payment follow."""
    try:
        new = next_status(facts(order), action, actor)
    except TransitionRefused:
        raise ServiceError(_l("This order cannot be changed that way now.")) from None
    values: dict[str, object] = {}
    if action in (Action.PAY, Action.LATE_PAY):
        values.update(paid_at=now, paid_on=business_date(now))
    _move(order, new, action.value, user, now, note, values)
    if new is OrderStatus.CANCELLED:
        for line in order.lines:
            stock.release(line.listing_id, line.quantity, RELEASE_REASONS[action], now=now, actor=user, order=order)
    payment_status.follow_orders(order.payment, now)
    db.session.flush()
    return new


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
    even when two requests race (every transition changes the status); then the timeline entry."""
    moved = db.session.execute(
        sa.update(Order).where(Order.id == order.id, Order.status == order.status)
        .values(status=new, **values).execution_options(synchronize_session=False)
    ).rowcount
    if moved != 1:
        raise ServiceError(_l("This order was changed meanwhile. Reload the page."))
    db.session.refresh(order)
    db.session.add(event(order, new, action, user, now, note))


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


def _order_query() -> sa.Select[tuple[Order]]:
    return sa.select(Order).options(
        so.joinedload(Order.outlet), so.joinedload(Order.payment),
        so.selectinload(Order.lines), so.selectinload(Order.events),
    )


def buyer_orders(user: User) -> list[Order]:
    """The user's orders, newest first."""
    return list(db.session.scalars(_order_query().where(Order.user_id == user.id).order_by(Order.id.desc())))


def buyer_order(user: User, number: str) -> Order | None:
    """One of the user's own orders by number (None for anyone else's)."""
    return db.session.scalar(_order_query().where(Order.user_id == user.id, Order.number == number))


def staff_outlet_ids(user: User) -> list[int]:
    """The outlets the user works for (admins: every outlet with orders)."""
    if "admin" in user.role_names:
        return list(db.session.scalars(sa.select(Order.outlet_id).distinct()))
    return list(db.session.scalars(sa.select(OutletMembership.outlet_id).where(OutletMembership.user_id == user.id)))


def outlet_orders(outlet_ids: list[int], status: str | None = None, page: int = 1, per_page: int = 20):  # noqa: ANN201
    """A page of these outlets' orders, newest first: of one status, all ("all"), or the open ones (None)."""
    query = _order_query().where(Order.outlet_id.in_(outlet_ids))
    if status == "all":
        pass
    elif status:
        query = query.where(Order.status == status)
    else:
        query = query.where(Order.status.in_(OPEN_STATUSES))
    return db.paginate(query.order_by(Order.id.desc()), page=page, per_page=per_page, error_out=False)


def outlet_order(outlet_ids: list[int], number: str) -> Order | None:
    """One order of the user's outlets by number (None for other outlets' orders)."""
    return db.session.scalar(_order_query().where(Order.outlet_id.in_(outlet_ids), Order.number == number))


def actions_for(order: Order, actor: Actor) -> list[Action]:
    """The buttons to show."""
    among = OUTLET_ACTIONS if actor is Actor.OUTLET else BUYER_ACTIONS
    return allowed_actions(facts(order), actor, among)

