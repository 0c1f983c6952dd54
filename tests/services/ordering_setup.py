"""Orders placed through the real use cases (cart, then place_orders), for the service tests of ordering."""

from __future__ import annotations

from datetime import UTC, datetime

import sqlalchemy as sa

from market.domain.dates import business_date
from market.extensions import db
from market.models import Listing, Order, Payment, PaymentIssue, User
from market.payments import PaymentPages, get_provider
from market.services.ordering import cart as carts
from market.services.ordering.checkout import Delivery, place_orders
from tests.factories import ListingFactory, UserFactory

PICKUP = Delivery("pickup", "王小明", "13800001234")
DELIVERY = Delivery("delivery", "王小明", "13800001234", "江苏省", "南京市", "鼓楼区", "中山路1号")
PAGES = PaymentPages("https://market.example.com/paid", "https://market.example.com/gave-up")


def now() -> datetime:
    """The current time to the second (the Stripe fake checks session expiry against the real clock)."""
    return datetime.now(UTC).replace(microsecond=0)


def place(*quantities: int, provider: str = "stripe", stock: int = 5, price_fen: int = 6800,
          buyer: User | None = None, at: datetime | None = None) -> list[Order]:
    """One checkout of `quantities[i]` units from listing i, each listing at its own outlet (so one order
    each); pickup orders for `provider="pickup"`, delivered ones otherwise. Committed."""
    at = at or now()
    buyer = buyer or UserFactory()
    cart = carts.get_or_create_cart(buyer, None)
    for quantity in quantities:
        listing = ListingFactory(stock=stock, price_fen=price_fen)
        carts.add(cart, listing.id, quantity, business_date(at))
    orders = place_orders(buyer, cart, PICKUP if provider == "pickup" else DELIVERY, get_provider(provider), at)
    db.session.commit()
    return orders


def buy(listing_id: int, quantity: int, at: datetime | None = None) -> Order:
    """Another buyer takes units of an existing listing (pickup, paid at the outlet). Committed."""
    at = at or now()
    buyer = UserFactory()
    cart = carts.get_or_create_cart(buyer, None)
    carts.add(cart, listing_id, quantity, business_date(at))
    (order,) = place_orders(buyer, cart, PICKUP, get_provider("pickup"), at)
    db.session.commit()
    return order


def stock_left(order: Order) -> list[int]:
    """The stock of each of the order's listings, read afresh."""
    return [db.session.scalar(sa.select(Listing.stock).where(Listing.id == line.listing_id)) for line in order.lines]


def fresh(*rows: Order | Payment) -> None:
    """Forget what the session holds of these rows, so the next read sees the database."""
    for row in rows:
        db.session.expire(row)


def issues() -> list[tuple[str, int | None]]:
    """The flagged payment issues as (kind, payment id), oldest first."""
    return [(str(i.kind), i.payment_id) for i in db.session.scalars(sa.select(PaymentIssue).order_by(PaymentIssue.id))]
