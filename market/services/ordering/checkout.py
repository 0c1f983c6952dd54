"""Placing orders from a cart: re-read prices, stock and certification, reserve stock atomically."""

from __future__ import annotations

import secrets
from dataclasses import dataclass
from datetime import datetime, timedelta

import sqlalchemy as sa
from flask import Flask, current_app
from flask_babel import lazy_gettext as _l

from market.db_setup import write_transaction
from market.domain.dates import business_date
from market.domain.order_flow import OrderStatus
from market.domain.stock import StockReason
from market.extensions import db
from market.models import Address, Cart, Order, OrderEvent, OrderLine, Payment, User
from market.payments import PaymentProvider, available_methods, get_provider
from market.services.errors import ServiceError
from market.services.ordering import addresses, order_mail, stock
from market.services.ordering import cart as carts
from market.services.ordering.paying import PaymentNotStarted, PaymentPagesFor, start_online_payment


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
    if delivery.fulfilment == "delivery" and not delivery_allowed(provider):
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
            if lv.price_changed:  # the unit price the buyer saw against the unit price of the quantity now
                changes.append(PriceChange(name, lv.listing.product.name_en, lv.line.price_fen_seen,
                                           lv.unit_price_fen))
                lv.line.price_fen_seen = lv.unit_price_fen
    if changes:
        db.session.flush()
        raise PricesChanged(changes)

    hold_until = now + timedelta(minutes=provider.hold_minutes(current_app))
    day_text = day.strftime("%Y%m%d")
    shared_payment = None
    orders = []
    for group in groups:
        order = Order(
            number=_order_number(day_text), user_id=user.id, outlet_id=group.outlet.id, status=OrderStatus.PLACED,
            fulfilment=delivery.fulfilment, recipient=delivery.recipient, phone=delivery.phone,
            province=delivery.province, city=delivery.city, county=delivery.county,
            address_detail=delivery.detail, total_fen=group.total_fen, placed_at=now, hold_until=hold_until,
            lines=[
                OrderLine(listing_id=lv.listing.id, product_id=lv.listing.product_id, sku=lv.listing.product.sku,
                          name_zh=lv.listing.product.name_zh, name_en=lv.listing.product.name_en,
                          unit=lv.listing.unit, unit_price_fen=lv.unit_price_fen, quantity=lv.line.quantity,
                          line_total_fen=lv.total_fen)
                for lv in group.lines
            ],
            events=[OrderEvent(status=OrderStatus.PLACED, action="place", actor_id=user.id, created_at=now)],
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
        for lv in group.lines:
            if not stock.reserve(lv.listing.id, lv.line.quantity, StockReason.ORDER_PLACED, now=now, actor=user,
                                 order=order):
                raise ServiceError(_l("Not enough %(name)s left at %(outlet)s. Lower the quantity and try again.",
                                      name=lv.listing.product.name_zh, outlet=group.outlet.name))
        orders.append(order)
    for line in list(cart.lines):  # type: ignore[union-attr]
        db.session.delete(line)
    db.session.flush()
    for order in orders:  # outbox rows of this transaction: a checkout rolled back mails nobody
        order_mail.order_placed(order)
    return orders


@dataclass(frozen=True)
class CheckoutRequest:
    """What the buyer chose at checkout, as parsed from the form."""

    fulfilment: str  # "pickup" or "delivery"
    recipient: str
    phone: str
    payment_method: str
    saved_address_id: int | None = None  # a saved address to deliver to (delivery only)
    province: str = ""
    city: str = ""
    county: str = ""
    detail: str = ""
    save_address: bool = False


@dataclass(frozen=True)
class CheckoutOptions:
    """What the checkout page may offer with this configuration."""

    payment_methods: list[str]
    delivery_possible: bool  # delivery needs a payment made before the parcel leaves


@dataclass
class CheckoutResult:
    """The placed orders and what happens next: the provider's page, or a provider refusal to show."""

    orders: list[Order]
    payment: Payment | None = None  # the online payment for all of them, when paid online
    provider_url: str | None = None  # send the buyer there to pay
    payment_error: str | None = None  # the provider could not start; the orders stay payable


def delivery_allowed(provider: PaymentProvider) -> bool:
    """The delivery rule: a parcel is only sent for an order paid online (cash is paid on collection)."""
    return not provider.pay_at_pickup


def options(app: Flask) -> CheckoutOptions:
    """The payment methods configured, and whether delivery can be offered with them."""
    methods = available_methods(app)
    return CheckoutOptions(methods, any(delivery_allowed(get_provider(m)) for m in methods))


def checkout(user: User, cart: Cart | None, asked: CheckoutRequest, pages: PaymentPagesFor,
             now: datetime) -> CheckoutResult:
    """Place one order per outlet from the cart and, for an online method, start paying for them.

    Takes the write lock first (SQLite), so stock is read and reserved in one go. Raises PricesChanged
    (commit it: the cart then shows the new prices) or ServiceError (roll back: nothing is written).
    A provider that cannot start the payment does not undo the orders: they stay payable.
    """
    write_transaction()
    if asked.payment_method not in available_methods(current_app):
        raise ServiceError(_l("Choose one of the payment methods offered."), "payment")
    provider = get_provider(asked.payment_method)
    delivery, address = _delivery(user, asked)
    orders = place_orders(user, cart, delivery, provider, now)
    if address is not None:
        db.session.add(address)
    if provider.per_order:
        return CheckoutResult(orders)
    payment = orders[0].payment
    assert payment is not None  # every placed order has its payment
    try:
        url = start_online_payment(payment, orders, pages(payment.id), now)
    except PaymentNotStarted as err:
        return CheckoutResult(orders, payment, payment_error=err.message)
    return CheckoutResult(orders, payment, provider_url=url)


def _delivery(user: User, asked: CheckoutRequest) -> tuple[Delivery, Address | None]:
    """Where the orders go, and the new address to save with them (never saved before they are placed)."""
    if asked.fulfilment == "pickup":
        return Delivery("pickup", asked.recipient, asked.phone), None
    if asked.fulfilment != "delivery":
        raise ServiceError(_l("Choose pickup or delivery."), "fulfilment")
    if asked.saved_address_id:
        a = addresses.owned(user, asked.saved_address_id)
        return Delivery("delivery", a.recipient, a.phone, a.province, a.city, a.county, a.detail), None
    parts = (asked.province, asked.city, asked.county, asked.detail)
    if not all(parts):
        raise ServiceError(_l("Complete the address for delivery."), "detail")
    to_save = None
    if asked.save_address:
        to_save = Address(user_id=user.id, recipient=asked.recipient, phone=asked.phone, province=parts[0],
                          city=parts[1], county=parts[2], detail=parts[3])
    return Delivery("delivery", asked.recipient, asked.phone, *parts), to_save
