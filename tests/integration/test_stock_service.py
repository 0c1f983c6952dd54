"""The stock service: units move only by atomic UPDATEs, never below zero, and every change names its reason."""

from __future__ import annotations

import logging
from datetime import UTC, datetime, timedelta

import pytest
import sqlalchemy as sa

from market.domain.order_flow import Action, Actor
from market.domain.stock import StockReason
from market.extensions import db
from market.models import Listing, Order, OrderLine, Payment
from market.services.ordering import orders as order_service
from market.services.ordering import stock
from tests.factories import ListingFactory, UserFactory


def units(listing: Listing) -> int:
    """The listing's stock as committed-or-flushed in the database (not the session's cached value)."""
    return db.session.scalar(sa.select(Listing.stock).where(Listing.id == listing.id))


@pytest.fixture
def stock_log(caplog):
    """The stock service's debug lines."""
    with caplog.at_level(logging.DEBUG, logger="market"):
        yield lambda: [r.getMessage() for r in caplog.records if r.getMessage().startswith("stock of listing")]


def test_reserve_takes_units_only_while_enough_are_left(app, stock_log):
    listing = ListingFactory(stock=5)
    assert stock.reserve(listing.id, 3, StockReason.ORDER_PLACED) is True
    assert stock.reserve(listing.id, 3, StockReason.ORDER_PLACED) is False
    assert stock.reserve(listing.id, 2, StockReason.LATE_PAYMENT) is True
    assert units(listing) == 0
    assert stock_log() == [
        f"stock of listing {listing.id} -3 (order_placed)",
        f"stock of listing {listing.id}: 3 not reserved (order_placed), not enough left",
        f"stock of listing {listing.id} -2 (late_payment)",
    ]


def test_release_and_restock_add_units_with_their_reason(app, stock_log):
    listing = ListingFactory(stock=1)
    stock.release(listing.id, 2, StockReason.HOLD_EXPIRED)
    stock.restock(listing.id, 4, StockReason.REFUND_RESTOCK)
    assert units(listing) == 7
    assert stock_log() == [f"stock of listing {listing.id} +2 (hold_expired)",
                           f"stock of listing {listing.id} +4 (refund_restock)"]


@pytest.mark.parametrize("change", [stock.release, stock.restock])
def test_units_cannot_go_back_to_a_listing_that_does_not_exist(app, change):
    with pytest.raises(LookupError):
        change(999_999, 1, StockReason.ORDER_CANCELLED)


@pytest.mark.parametrize("quantity", [0, -1])
def test_stock_moves_by_positive_quantities_only(app, quantity):
    listing = ListingFactory(stock=5)
    for change in (stock.reserve, stock.release, stock.restock):
        with pytest.raises(ValueError, match="positive"):
            change(listing.id, quantity, StockReason.ORDER_PLACED)
    assert units(listing) == 5


def held_order(listing: Listing, quantity: int, hold_until: datetime) -> Order:
    """An unpaid cash pickup order whose units are reserved, as checkout leaves it."""
    buyer = UserFactory()
    assert stock.reserve(listing.id, quantity, StockReason.ORDER_PLACED)
    order = Order(number=f"LX{listing.id}{quantity}", user_id=buyer.id, outlet_id=listing.outlet_id,
                  fulfilment="pickup", recipient="王", phone="13800001234", total_fen=listing.price_fen * quantity,
                  hold_until=hold_until,
                  payment=Payment(provider="pickup", amount_fen=listing.price_fen * quantity, user_id=buyer.id),
                  lines=[OrderLine(listing_id=listing.id, product_id=listing.product_id, sku="SKU", name_zh="苹果",
                                   name_en="Apples", unit="箱", unit_price_fen=listing.price_fen, quantity=quantity,
                                   line_total_fen=listing.price_fen * quantity)])
    db.session.add(order)
    db.session.commit()
    return order


def test_a_cancelled_order_returns_its_units_as_cancelled(app, stock_log):
    listing = ListingFactory(stock=5)
    now = datetime.now(UTC)
    order = held_order(listing, 2, now + timedelta(hours=1))
    order_service.apply(order, Action.CANCEL, Actor.BUYER, order.user, now)
    assert units(listing) == 5 and order.payment.status == "cancelled"
    assert stock_log()[-1] == f"stock of listing {listing.id} +2 (order_cancelled)"


def test_an_expired_hold_returns_its_units_as_expired(app, stock_log):
    listing = ListingFactory(stock=5)
    now = datetime.now(UTC)
    held_order(listing, 3, now - timedelta(minutes=1))
    assert order_service.expire_overdue(now) == 1
    assert units(listing) == 5
    assert stock_log()[-1] == f"stock of listing {listing.id} +3 (hold_expired)"
