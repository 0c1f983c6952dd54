"""Placing orders from a cart: re-read prices, stock and certification, reserve stock atomically."""

from __future__ import annotations

import secrets
from dataclasses import dataclass
from datetime import datetime, timedelta

import sqlalchemy as sa
from flask import current_app
from flask_babel import lazy_gettext as _l

from market.domain.dates import business_date
from market.extensions import db
from market.models import Cart, Listing, Order, OrderEvent, OrderLine, Payment, User
from market.payments import PaymentProvider
from market.services.errors import ServiceError
from market.services.ordering import cart as carts


@dataclass(frozen=True)
class Delivery:
    """Where the orders go: pickup at the outlet, or a mainland address."""

    fulfilment: str  # "pickup" or "delivery"
    recipient: str
    phone: str
    province: str | None = None
    city: str | None = None
    county: str | None = None
    detail: str | None = None


@dataclass(frozen=True)
class PriceChange:
    """A cart line whose price changed since the buyer last saw it."""

    name_zh: str
    name_en: str
    old_fen: int
    new_fen: int


class PricesChanged(ServiceError):
    """Some prices changed: show them and ask the buyer to confirm (the cart now holds the new prices)."""

    def __init__(self, changes: list[PriceChange]) -> None:
        super().__init__(str(_l("Some prices have changed. Check them and place the order again.")))
        self.changes = changes


def _order_number(day_text: str) -> str:
    return f"LX{day_text}{secrets.token_hex(4).upper()}"


def reserve_stock(listing_id: int, quantity: int) -> bool:
    """Take units from stock only if enough are left: one conditional UPDATE, checked by row count."""
    result = db.session.execute(
        sa.update(Listing)
        .where(Listing.id == listing_id, Listing.stock >= quantity)
        .values(stock=Listing.stock - quantity)
        .execution_options(synchronize_session=False)
    )
    return result.rowcount == 1


def release_stock(listing_id: int, quantity: int) -> None:
    """Give units back to stock (cancelled or expired orders)."""
    db.session.execute(
        sa.update(Listing).where(Listing.id == listing_id).values(stock=Listing.stock + quantity)
        .execution_options(synchronize_session=False)
    )


def place_orders(
    user: User, cart: Cart | None, delivery: Delivery, provider: PaymentProvider, now: datetime
) -> list[Order]:
    """One order per outlet from the cart, stock reserved, cart emptied; payments pending.

    Raises PricesChanged (after updating the prices the cart shows) or ServiceError; the caller rolls
    back on any error so nothing is half-written.
    """
    day = business_date(now)
    if cart is not None:  # PostgreSQL: a second submission waits here, then finds the cart emptied
        db.session.execute(sa.select(Cart.id).where(Cart.id == cart.id).with_for_update())
    groups = carts.view(cart, day)
    if not groups:
        raise ServiceError(_l("Your cart is empty."))
    if delivery.fulfilment == "delivery" and provider.pay_at_pickup:
        raise ServiceError(_l("Paying at pickup is only possible for orders collected at the outlet."), "payment")
    changes = []
    for group in groups:
        for lv in group.lines:
            name = lv.listing.product.name_zh
            if not lv.purchasable:
                raise ServiceError(_l("%(name)s from %(outlet)s cannot be bought today; remove it from the cart.",
                                      name=name, outlet=group.outlet.name))
            if lv.below_minimum:
                raise ServiceError(_l("The minimum order of %(name)s is %(n)d.", name=name,
                                      n=lv.listing.min_quantity))
            if lv.price_changed:
                changes.append(PriceChange(name, lv.listing.product.name_en, lv.line.price_fen_seen,
                                           lv.listing.price_fen))
                lv.line.price_fen_seen = lv.listing.price_fen
    if changes:
        db.session.flush()
        raise PricesChanged(changes)

    hold_until = now + timedelta(minutes=provider.hold_minutes(current_app))
    day_text = day.strftime("%Y%m%d")
    shared_payment = None
    orders = []
    for group in groups:
        for lv in group.lines:
            if not reserve_stock(lv.listing.id, lv.line.quantity):
                raise ServiceError(_l("Not enough %(name)s left at %(outlet)s. Lower the quantity and try again.",
                                      name=lv.listing.product.name_zh, outlet=group.outlet.name))
        order = Order(
            number=_order_number(day_text), user_id=user.id, outlet_id=group.outlet.id, status="placed",
            fulfilment=delivery.fulfilment, recipient=delivery.recipient, phone=delivery.phone,
            province=delivery.province, city=delivery.city, county=delivery.county,
            address_detail=delivery.detail, total_fen=group.total_fen, placed_at=now, hold_until=hold_until,
            lines=[
                OrderLine(listing_id=lv.listing.id, product_id=lv.listing.product_id, sku=lv.listing.product.sku,
                          name_zh=lv.listing.product.name_zh, name_en=lv.listing.product.name_en,
                          unit=lv.listing.unit, unit_price_fen=lv.listing.price_fen, quantity=lv.line.quantity,
                          line_total_fen=lv.total_fen)
                for lv in group.lines
            ],
            events=[OrderEvent(status="placed", action="place", actor_id=user.id, created_at=now)],
        )
        if provider.per_order:
            order.payment = Payment(provider=provider.name, amount_fen=order.total_fen, user_id=user.id,
                                    created_at=now)
        else:
            if shared_payment is None:
                shared_payment = Payment(provider=provider.name, amount_fen=0, user_id=user.id, created_at=now)
            shared_payment.amount_fen += order.total_fen
            order.payment = shared_payment
        db.session.add(order)
        orders.append(order)
    for line in list(cart.lines):  # type: ignore[union-attr]
        db.session.delete(line)
    db.session.flush()
    return orders
