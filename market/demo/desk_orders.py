"""Demo orders waiting on the order desk of outlet@example.com's hall: one in every desk tab (to prepare, ready
for pickup with its code, shipped, completed, cancelled with a reason, a refund request), all bought by the demo
consumer and moved by the real services (checkout, payment confirmation, the order machine, refunds), so the
pickup code comes from the real generator and every timeline is one the market itself would write."""

from __future__ import annotations

from datetime import UTC, date, datetime, time, timedelta

import sqlalchemy as sa

from market.domain.dates import SHANGHAI, business_date
from market.domain.order_flow import Action, Actor
from market.extensions import db
from market.models import Listing, Order, Outlet, StockMovement, User
from market.payments import get_provider
from market.services.catalog.search import purchasable
from market.services.ordering import cart as carts
from market.services.ordering import counter, payments, refunds
from market.services.ordering import orders as order_service
from market.services.ordering.checkout import Delivery, place_orders

DESK_OUTLET = "LX-O-001"  # 陇县消费帮扶馆, owned by outlet@example.com
MIN_STOCK = 20  # take units only from well-stocked listings, so the storefront's offers stay open
CANCEL_REASON = "这批货已经卖完了，抱歉！欢迎改选其他商品。"
REFUND_REASON = "回家打开发现有一盒包装破损"
CARRIER, TRACKING = "中国邮政 EMS", "1190528364017"
EARLIEST = timedelta(hours=206)  # the oldest demo desk order is placed this long before the day began


def _listings(outlet_id: int, first: date, last: date) -> dict[int, tuple[Listing, datetime | None]]:
    """The outlet's listings that can be bought from the first day to the last with stock to spare, with the time
    of their last stock movement (a demo order placed before it would break the listing's log), in a fixed order."""
    last_moved = (sa.select(sa.func.max(StockMovement.created_at)).where(StockMovement.listing_id == Listing.id)
                  .correlate(Listing).scalar_subquery())
    rows = db.session.execute(
        sa.select(Listing, last_moved)
        .where(Listing.outlet_id == outlet_id, Listing.stock >= MIN_STOCK, *purchasable(first),
               *purchasable(last)).order_by(Listing.id)
    ).tuples()
    return {listing.id: (listing, moved) for listing, moved in rows}


def _pick(stocked: dict[int, tuple[Listing, datetime | None]], placed: datetime) -> Listing | None:
    """The first unused listing whose stock log ends before `placed` (taken out of `stocked`)."""
    for listing_id, (listing, moved) in stocked.items():
        if moved is None or moved < placed:
            del stocked[listing_id]
            return listing
    return None


def _place(buyer: User, listing: Listing, delivery: Delivery, provider: str, at: datetime) -> Order:
    """The buyer checks out one listing (its minimum quantity) through the real cart and checkout."""
    cart = carts.get_or_create_cart(buyer, None)
    carts.add(cart, listing.id, max(1, listing.min_quantity), business_date(at))
    (order,) = place_orders(buyer, cart, delivery, get_provider(provider), at)
    db.session.expire(cart, ["lines"])  # emptied by the checkout (a request would start afresh from here)
    return order


def _paid_online(order: Order, at: datetime) -> None:
    """The provider confirms the order's online payment, as its webhook would."""
    payment = order.payment
    assert payment is not None
    payments.confirm_paid(payment, payment.amount_fen, payment.currency.lower(), f"pi_demo_{order.number}", at)


def _collect(staff: User, outlet: Outlet, order: Order) -> None:
    """A pickup order paid at the outlet is made ready, then handed over and paid at the counter with its code."""
    order_service.apply(order, Action.READY, Actor.OUTLET, staff, order.placed_at + timedelta(hours=1))
    counter.collect(staff, outlet, order.pickup_code or "", order.placed_at + timedelta(days=1))


def add_demo_desk_orders(today: date, buyer: User, staff: User) -> dict[str, Order]:
    """One order in every desk tab of DESK_OUTLET, by desk tab name, all placed before `today` began (so every
    load gives the same rows, pickup codes aside); fewer if the outlet lacks listings to take them from. The
    completed and the refund-requested orders were paid in cash at the counter, so the outlet can settle the
    refund request without an online provider."""
    midnight = datetime.combine(today, time(0, 0), tzinfo=SHANGHAI).astimezone(UTC)
    outlet = db.session.scalars(sa.select(Outlet).where(Outlet.code == DESK_OUTLET)).one()
    stocked = _listings(outlet.id, business_date(midnight - EARLIEST), today)
    pickup = Delivery("pickup", buyer.name, buyer.phone or "13800000000")
    home = Delivery("delivery", buyer.name, buyer.phone or "13800000000", "江苏省", "南京市", "鼓楼区",
                    "中山北路88号3栋502室")
    hours = timedelta(hours=1)
    made: dict[str, Order] = {}

    def placed(tab: str, before_midnight: timedelta, how: Delivery, provider: str) -> Order | None:
        at = midnight - before_midnight
        listing = _pick(stocked, at)
        if listing is None:
            return None
        made[tab] = _place(buyer, listing, how, provider, at)
        return made[tab]

    placed("to_prepare", 5.5 * hours, pickup, "pickup")
    if ready := placed("ready", 8 * hours, pickup, "pickup"):
        order_service.apply(ready, Action.READY, Actor.OUTLET, staff, ready.placed_at + hours)  # the code comes here
    if shipped := placed("shipped", 38 * hours, home, "stripe"):
        _paid_online(shipped, shipped.placed_at + timedelta(minutes=5))
        order_service.ship(shipped, staff, shipped.placed_at + 6 * hours, CARRIER, TRACKING)
    if completed := placed("completed", EARLIEST, pickup, "pickup"):
        _collect(staff, outlet, completed)
    if cancelled := placed("cancelled", 34 * hours, pickup, "pickup"):
        order_service.cancel_by_outlet(cancelled, staff, cancelled.placed_at + 2 * hours, CANCEL_REASON)
    if refund_asked := placed("refunds", 133 * hours, pickup, "pickup"):
        _collect(staff, outlet, refund_asked)
        line = refund_asked.lines[0]
        refunds.request_refund(buyer, refund_asked, {line.id: line.quantity}, REFUND_REASON, midnight - 4 * hours)
    db.session.flush()
    return made
