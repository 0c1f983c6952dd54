"""Demo orders: a few months of pickup orders in every state, so order pages and subsidy runs have data."""

from __future__ import annotations

import random
from datetime import UTC, date, datetime, time, timedelta

from market.domain.dates import SHANGHAI, business_date, on_day
from market.domain.order_flow import Action, Actor, OrderStatus
from market.domain.payment_flow import PaymentStatus
from market.extensions import db
from market.models import Listing, Order, OrderEvent, OrderLine, Payment, User
from market.services.ordering import orders as order_service

HISTORY_DAYS = 120
ORDERS = 70
PLACED, READY = OrderStatus.PLACED, OrderStatus.READY_FOR_PICKUP
COMPLETED, CANCELLED = OrderStatus.COMPLETED, OrderStatus.CANCELLED
PAYMENT_STATUS = {CANCELLED: PaymentStatus.CANCELLED, COMPLETED: PaymentStatus.SUCCEEDED}


def _at(day: date, hour: int, minute: int) -> datetime:
    return datetime.combine(day, time(hour, minute), tzinfo=SHANGHAI).astimezone(UTC)


def _state(rng: random.Random, age_days: int) -> OrderStatus:
    """Old orders are mostly completed; recent ones may still be open. These orders are paid at the outlet,
    so an open one is placed or ready (its cash is taken when it is collected)."""
    if age_days <= 1:
        return rng.choice([PLACED, PLACED, READY, READY])
    if age_days <= 7:
        return rng.choice([COMPLETED, READY, COMPLETED, COMPLETED, CANCELLED])
    return rng.choice([COMPLETED] * 8 + [CANCELLED])


def _events(state: str, placed: datetime, paid: datetime | None, buyer: User, staff: User | None) -> list[OrderEvent]:
    """A timeline that the state machine would have produced for this state."""
    events = [OrderEvent(status=PLACED, action="place", actor_id=buyer.id, created_at=placed)]
    actor = staff.id if staff else None
    if state == CANCELLED:
        events.append(OrderEvent(status=CANCELLED, action="cancel", actor_id=buyer.id,
                                 created_at=placed + timedelta(hours=2)))
        return events
    if state == COMPLETED and paid is not None:  # made ready, then collected and paid at the counter at once
        events.append(OrderEvent(status=READY, action="ready", actor_id=actor,
                                 created_at=max(placed, paid - timedelta(hours=1))))
        events.append(OrderEvent(status=COMPLETED, action="collect", actor_id=actor, created_at=paid))
    return events


def add_demo_orders(rng: random.Random, today: date, listings: list[Listing], buyers: list[User],
                    staff_by_outlet: dict[int, User], pickup_hold_days: int = 3) -> list[Order]:
    """Create ORDERS pickup orders over the last HISTORY_DAYS days; open ones hold their stock. Ready ones
    are placed, then made ready by their outlet's staff through the order machine, which gives the codes."""
    now = on_day(datetime.now(UTC), today)  # MARKET_TODAY's day when set, so the history ends on it
    created: list[Order] = []
    ready: list[tuple[Order, User | None, datetime]] = []
    for n in range(ORDERS):
        age = int(HISTORY_DAYS * (1 - n / ORDERS))
        day = today - timedelta(days=age)
        placed = min(_at(day, rng.randint(8, 20), rng.randint(0, 59)), now - timedelta(minutes=5))
        candidates = [ls for ls in listings if ls.outlet.certified_on(day) and ls.product.certified_on(day)]
        if not candidates:
            continue
        first = rng.choice(candidates)
        same_outlet = [ls for ls in candidates if ls.outlet_id == first.outlet_id and ls is not first]
        chosen = [first, *rng.sample(same_outlet, k=min(len(same_outlet), rng.randint(0, 2)))]
        state = _state(rng, age)
        quantities = [max(ls.min_quantity, rng.randint(1, 3)) for ls in chosen]
        holds_stock = state in (PLACED, READY)
        if holds_stock and any(ls.stock < q for ls, q in zip(chosen, quantities, strict=True)):
            continue
        paid = None
        if state == COMPLETED:
            paid = min(placed + timedelta(hours=rng.randint(1, 40)), now - timedelta(minutes=1))
        buyer = rng.choice(buyers)
        lines = [
            OrderLine(listing_id=ls.id, product_id=ls.product_id, sku=ls.product.sku, name_zh=ls.product.name_zh,
                      name_en=ls.product.name_en, unit=ls.unit, unit_price_fen=ls.price_fen, quantity=q,
                      line_total_fen=ls.price_fen * q)
            for ls, q in zip(chosen, quantities, strict=True)
        ]
        total = sum(line.line_total_fen for line in lines)
        payment_status = PAYMENT_STATUS.get(state, PaymentStatus.PENDING)
        order = Order(
            number=f"LX{day:%Y%m%d}{rng.getrandbits(32):08X}", user_id=buyer.id, outlet_id=first.outlet_id,
            status=PLACED if state == READY else state, fulfilment="pickup", recipient=buyer.name,
            phone=buyer.phone or "13800000000",
            total_fen=total, placed_at=placed, hold_until=placed + timedelta(days=pickup_hold_days),
            paid_at=paid, paid_on=business_date(paid) if paid else None, lines=lines,
            events=_events(state, placed, paid, buyer, staff_by_outlet.get(first.outlet_id)),
            payment=Payment(provider="pickup", status=payment_status, amount_fen=total, user_id=buyer.id,
                            created_at=placed, confirmed_at=paid),
        )
        if holds_stock:
            for ls, q in zip(chosen, quantities, strict=True):
                ls.stock -= q
        db.session.add(order)
        created.append(order)
        if state == READY:
            ready.append((order, staff_by_outlet.get(first.outlet_id), min(placed + timedelta(hours=1), now)))
    db.session.flush()
    for order, staff, at in ready:
        order_service.apply(order, Action.READY, Actor.OUTLET, staff, at)
    return created


def add_demo_refunds(orders: list[Order], refunder: User, today: date) -> int:
    """Refund two older completed orders through the real refund flow: one whole, one a single unit."""
    from market.services.ordering.refunds import decide, request_refund  # the flow the buyers and outlets use

    done = [o for o in orders if o.status == COMPLETED and o.paid_at is not None]
    now = on_day(datetime.now(UTC), today)
    chosen = [o for o in done if o.placed_at < now - timedelta(days=20)][:2]
    for whole, order in zip((True, False), chosen, strict=False):
        asked = order.paid_at + timedelta(days=2)  # type: ignore[operator]
        quantities = {line.id: line.quantity if whole else 0 for line in order.lines}
        if not whole:
            quantities[order.lines[0].id] = 1
        request_refund(order.user, order, quantities, "坏果较多" if whole else "一箱有磕碰", asked)
        decide(refunder, order, True, "", asked + timedelta(hours=3))
    return len(chosen)
