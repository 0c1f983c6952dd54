"""The stock service: units move only by atomic UPDATEs, never below zero, and every change is in the stock log
with its reason, the person (None: the system), the order and the stock it left."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
import sqlalchemy as sa

from market.domain.order_flow import Action, Actor
from market.domain.stock import StockReason
from market.extensions import db
from market.models import Listing, Order, OrderLine, Payment, StockMovement
from market.services.ordering import orders as order_service
from market.services.ordering import stock
from tests.factories import ListingFactory, UserFactory

NOW = datetime(2026, 12, 2, 2, 0, tzinfo=UTC)


def units(listing: Listing) -> int:
    """The listing's stock as committed-or-flushed in the database (not the session's cached value)."""
    return db.session.scalar(sa.select(Listing.stock).where(Listing.id == listing.id))


def log(listing: Listing) -> list[tuple]:
    """The listing's stock log, oldest first: (change, stock after, reason, actor id, order id)."""
    db.session.flush()
    return [tuple(r) for r in db.session.execute(
        sa.select(StockMovement.change, StockMovement.stock_after, StockMovement.reason, StockMovement.actor_id,
                  StockMovement.order_id).where(StockMovement.listing_id == listing.id).order_by(StockMovement.id))]


def test_reserve_takes_units_only_while_enough_are_left_and_logs_what_it_took(app):
    listing = ListingFactory(stock=5)
    assert stock.reserve(listing.id, 3, StockReason.ORDER_PLACED, now=NOW) is True
    assert stock.reserve(listing.id, 3, StockReason.ORDER_PLACED, now=NOW) is False
    assert stock.reserve(listing.id, 2, StockReason.LATE_PAYMENT, now=NOW) is True
    assert units(listing) == 0
    assert log(listing) == [(-3, 2, "order_placed", None, None), (-2, 0, "late_payment", None, None)]


def test_release_and_restock_add_units_with_their_reason_actor_and_time(app):
    listing = ListingFactory(stock=1)
    clerk = UserFactory()
    stock.release(listing.id, 2, StockReason.HOLD_EXPIRED, now=NOW)
    stock.restock(listing.id, 4, StockReason.REFUND_RESTOCK, now=NOW, actor=clerk)
    assert units(listing) == 7
    assert log(listing) == [(2, 3, "hold_expired", None, None), (4, 7, "refund_restock", clerk.id, None)]
    assert {m.created_at for m in db.session.scalars(sa.select(StockMovement))} == {NOW}


@pytest.mark.parametrize(("start", "change", "after"), [(5, -5, 0), (5, -6, None), (0, -1, None), (0, 3, 3),
                                                        (2, 10, 12)])
def test_a_manual_change_never_takes_stock_below_zero(app, start, change, after):
    listing = ListingFactory(stock=start)
    clerk = UserFactory()
    assert stock.adjust(listing.id, change, StockReason.CORRECTION, now=NOW, actor=clerk) == after
    assert units(listing) == (start if after is None else after)
    assert log(listing) == ([] if after is None else [(change, after, "correction", clerk.id, None)])


def test_a_manual_change_of_nothing_is_refused(app):
    listing = ListingFactory(stock=5)
    with pytest.raises(ValueError, match="at least one unit"):
        stock.adjust(listing.id, 0, StockReason.CORRECTION, now=NOW, actor=None)


@pytest.mark.parametrize("change", [stock.release, stock.restock])
def test_units_cannot_go_back_to_a_listing_that_does_not_exist(app, change):
    with pytest.raises(LookupError):
        change(999_999, 1, StockReason.ORDER_CANCELLED, now=NOW)


@pytest.mark.parametrize("quantity", [0, -1])
def test_stock_moves_by_positive_quantities_only(app, quantity):
    listing = ListingFactory(stock=5)
    for change in (stock.reserve, stock.release, stock.restock):
        with pytest.raises(ValueError, match="positive"):
            change(listing.id, quantity, StockReason.ORDER_PLACED, now=NOW)
    assert units(listing) == 5 and log(listing) == []


def test_the_log_cannot_record_a_change_of_nothing_or_a_negative_stock(app):
    listing = ListingFactory(stock=5)
    for bad in ({"change": 0, "stock_after": 5}, {"change": -6, "stock_after": -1}):
        db.session.add(StockMovement(listing_id=listing.id, reason=StockReason.CORRECTION, created_at=NOW, **bad))
        with pytest.raises(sa.exc.IntegrityError):
            db.session.flush()
        db.session.rollback()


def held_order(listing: Listing, quantity: int, hold_until: datetime) -> Order:
    """An unpaid cash pickup order whose units are reserved, as checkout leaves it."""
    buyer = UserFactory()
    order = Order(number=f"LX{listing.id}{quantity}", user_id=buyer.id, outlet_id=listing.outlet_id,
                  fulfilment="pickup", recipient="王", phone="13800001234", total_fen=listing.price_fen * quantity,
                  hold_until=hold_until,
                  payment=Payment(provider="pickup", amount_fen=listing.price_fen * quantity, user_id=buyer.id),
                  lines=[OrderLine(listing_id=listing.id, product_id=listing.product_id, sku="SKU", name_zh="苹果",
                                   name_en="Apples", unit="箱", unit_price_fen=listing.price_fen, quantity=quantity,
                                   line_total_fen=listing.price_fen * quantity)])
    db.session.add(order)
    assert stock.reserve(listing.id, quantity, StockReason.ORDER_PLACED, now=NOW, actor=buyer, order=order)
    db.session.commit()
    return order


def test_a_cancelled_order_returns_its_units_as_cancelled_by_whoever_cancelled(app):
    listing = ListingFactory(stock=5)
    now = datetime.now(UTC)
    order = held_order(listing, 2, now + timedelta(hours=1))
    order_service.apply(order, Action.CANCEL, Actor.BUYER, order.user, now)
    assert units(listing) == 5 and order.payment.status == "cancelled"
    assert log(listing) == [(-2, 3, "order_placed", order.user_id, order.id),
                            (2, 5, "order_cancelled", order.user_id, order.id)]


def test_an_expired_hold_returns_its_units_as_expired_by_the_system(app):
    listing = ListingFactory(stock=5)
    now = datetime.now(UTC)
    order = held_order(listing, 3, now - timedelta(minutes=1))
    assert order_service.expire_overdue(now) == 1
    assert units(listing) == 5
    assert log(listing)[-1] == (3, 5, "hold_expired", None, order.id)
