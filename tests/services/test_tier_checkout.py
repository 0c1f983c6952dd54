"""Quantity price tiers at the cart and at checkout: the line's unit price is the tier's, and the "price changed"
check compares the unit price the buyer saw with the unit price of the same quantity now."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest
import sqlalchemy as sa

from market.domain.dates import business_date
from market.extensions import db
from market.models import ListingPriceTier, StockMovement
from market.payments import get_provider
from market.services.ordering import cart as carts
from market.services.ordering.checkout import PricesChanged, place_orders
from tests.factories import ListingFactory, UserFactory
from tests.services.ordering_setup import PICKUP

NOW = datetime(2026, 12, 2, 3, 0, tzinfo=UTC)
DAY = business_date(NOW)


def tiered_listing(stock: int = 500):
    """¥68.00 a box; from 10 boxes ¥65.00, from 50 boxes ¥60.00."""
    listing = ListingFactory(stock=stock, price_fen=6800)
    listing.price_tiers.extend([ListingPriceTier(min_quantity=10, unit_price_fen=6500),
                                ListingPriceTier(min_quantity=50, unit_price_fen=6000)])
    db.session.commit()
    return listing


@pytest.mark.parametrize(("quantity", "unit_fen"), [(1, 6800), (9, 6800), (10, 6500), (49, 6500), (50, 6000)])
def test_the_cart_line_costs_the_tier_price_of_its_quantity(db_session, quantity, unit_fen):
    listing = tiered_listing()
    cart = carts.get_or_create_cart(UserFactory(), None)
    line = carts.add(cart, listing.id, quantity, DAY)
    assert line.price_fen_seen == unit_fen
    (group,) = carts.view(cart, DAY)
    (lv,) = group.lines
    assert (lv.unit_price_fen, lv.total_fen, lv.price_changed) == (unit_fen, unit_fen * quantity, False)


def test_checkout_writes_the_tier_price_on_the_order_line_and_logs_the_sale(db_session):
    listing = tiered_listing()
    buyer = UserFactory()
    cart = carts.get_or_create_cart(buyer, None)
    carts.add(cart, listing.id, 50, DAY)
    (order,) = place_orders(buyer, cart, PICKUP, get_provider("pickup"), NOW)
    (line,) = order.lines
    assert (line.unit_price_fen, line.line_total_fen, order.total_fen) == (6000, 300000, 300000)
    movement = db.session.scalar(sa.select(StockMovement).where(StockMovement.listing_id == listing.id))
    assert (movement.change, movement.stock_after, movement.reason, movement.actor_id, movement.order_id) == (
        -50, 450, "order_placed", buyer.id, order.id)


def test_changing_the_quantity_into_a_tier_is_not_a_price_change(db_session):
    listing = tiered_listing()
    cart = carts.get_or_create_cart(UserFactory(), None)
    line = carts.add(cart, listing.id, 5, DAY)
    carts.set_quantity(cart, line.id, 12, DAY)
    (group,) = carts.view(cart, DAY)
    assert group.lines[0].price_changed is False and group.total_fen == 12 * 6500


def test_a_tier_price_changed_since_the_buyer_saw_it_is_shown_before_ordering(db_session):
    listing = tiered_listing()
    buyer = UserFactory()
    cart = carts.get_or_create_cart(buyer, None)
    carts.add(cart, listing.id, 10, DAY)
    listing.price_tiers[0].unit_price_fen = 6600
    db.session.commit()
    with pytest.raises(PricesChanged) as changed:
        place_orders(buyer, cart, PICKUP, get_provider("pickup"), NOW)
    (change,) = changed.value.changes
    assert (change.old_fen, change.new_fen) == (6500, 6600)
    db.session.commit()  # what the view does: the cart now holds the new unit price
    (order,) = place_orders(buyer, cart, PICKUP, get_provider("pickup"), NOW)
    assert order.lines[0].unit_price_fen == 6600 and order.total_fen == 66000
