"""The outlet's listing use cases: listing a certified product, stock changes (never below zero, always logged
with reason and actor) and quantity tiers (validated against the listing and each other)."""

from __future__ import annotations

from dataclasses import replace
from datetime import UTC, date, datetime

import pytest
import sqlalchemy as sa

from market.domain.stock import StockReason
from market.extensions import db
from market.models import Listing, ProductCertification, StockMovement
from market.services.errors import ServiceError
from market.services.outlets import listings
from tests.factories import ListingFactory, OutletFactory, ProductFactory, UserFactory

NOW = datetime(2026, 12, 2, 3, 0, tzinfo=UTC)
DAY = date(2026, 12, 2)
TERMS = listings.ListingTerms(price_fen=6800, unit="箱", min_quantity=1, season_start=None, season_end=None,
                              active=True)


def movements(listing: Listing) -> list[tuple]:
    db.session.flush()
    return [tuple(r) for r in db.session.execute(
        sa.select(StockMovement.change, StockMovement.stock_after, StockMovement.reason, StockMovement.actor_id)
        .where(StockMovement.listing_id == listing.id).order_by(StockMovement.id))]


def test_a_certified_product_not_yet_listed_can_be_listed_with_its_opening_stock_logged(db_session):
    outlet, clerk = OutletFactory(), UserFactory()
    product = ProductFactory()
    listing = listings.create_listing(outlet, clerk, product.id, TERMS, 40, DAY, NOW)
    assert (listing.outlet_id, listing.product_id, listing.stock) == (outlet.id, product.id, 40)
    assert movements(listing) == [(40, 40, "opening", clerk.id)]


def test_only_products_certified_today_and_not_yet_listed_are_offered(db_session):
    outlet = OutletFactory()
    listed = ListingFactory(outlet=outlet).product
    uncertified = ProductFactory(certified=False)
    lapsed = ProductFactory(certified=False)
    lapsed.certifications.append(ProductCertification(number="OLD-1", valid_from=date(2020, 1, 1),
                                                      valid_to=date(2026, 12, 1)))
    fresh = ProductFactory()
    db.session.commit()
    assert listings.listable_products(outlet, DAY) == [fresh]
    for product in (listed, uncertified, lapsed):
        with pytest.raises(ServiceError) as refused:
            listings.create_listing(outlet, UserFactory(), product.id, TERMS, 0, DAY, NOW)
        assert refused.value.field == "product_id"


@pytest.mark.parametrize(("reason", "change", "after"), [
    (StockReason.RESTOCK, 20, 25), (StockReason.DAMAGE, -2, 3), (StockReason.CORRECTION, -5, 0),
    (StockReason.CORRECTION, 4, 9),
])
def test_stock_changes_are_logged_with_reason_and_actor(db_session, reason, change, after):
    listing, clerk = ListingFactory(stock=5), UserFactory()
    assert listings.change_stock(listing, clerk, reason, change, NOW) == after
    assert listing.stock == after
    assert movements(listing) == [(change, after, reason.value, clerk.id)]


@pytest.mark.parametrize(("reason", "change"), [
    (StockReason.DAMAGE, -6), (StockReason.CORRECTION, -6),  # below zero
    (StockReason.RESTOCK, -1), (StockReason.DAMAGE, 1), (StockReason.CORRECTION, 0),  # wrong way, or nothing
    (StockReason.ORDER_PLACED, -1), (StockReason.REFUND_RESTOCK, 1),  # not a reason staff may give
])
def test_refused_stock_changes_change_and_log_nothing(db_session, reason, change):
    listing = ListingFactory(stock=5)
    with pytest.raises(ServiceError) as refused:
        listings.change_stock(listing, UserFactory(), reason, change, NOW)
    assert refused.value.field == "quantity"
    assert db.session.scalar(sa.select(Listing.stock).where(Listing.id == listing.id)) == 5
    assert movements(listing) == []


def test_tiers_must_start_above_the_minimum_cost_less_and_fall_with_quantity(db_session):
    listing = ListingFactory(price_fen=6800, min_quantity=5)
    listings.add_tier(listing, 10, 6500)
    for min_quantity, price, field in [(5, 6000, "min_quantity"), (10, 6000, "min_quantity"),
                                       (20, 6800, "price"), (20, 6500, "price"), (8, 6400, "price")]:
        with pytest.raises(ServiceError) as refused:
            listings.add_tier(listing, min_quantity, price)
        assert refused.value.field == field, (min_quantity, price)
    listings.add_tier(listing, 50, 6000)
    assert [(t.min_quantity, t.unit_price_fen) for t in listing.price_tiers] == [(10, 6500), (50, 6000)]


def test_a_new_price_or_minimum_that_the_tiers_no_longer_fit_is_refused(db_session):
    listing = ListingFactory(price_fen=6800)
    listings.add_tier(listing, 10, 6500)
    for terms in (replace(TERMS, price_fen=6500), replace(TERMS, min_quantity=10)):
        with pytest.raises(ServiceError):
            listings.update_listing(listing, terms)
    listings.update_listing(listing, replace(TERMS, price_fen=7000, min_quantity=9))
    assert (listing.price_fen, listing.min_quantity) == (7000, 9)


def test_a_tier_of_another_listing_cannot_be_removed_through_this_one(db_session):
    mine, theirs = ListingFactory(price_fen=6800), ListingFactory(price_fen=6800)
    their_tier = listings.add_tier(theirs, 10, 6000)
    with pytest.raises(LookupError):
        listings.remove_tier(mine, their_tier.id)
    assert len(theirs.price_tiers) == 1


def test_a_listing_is_found_only_within_its_outlet(db_session):
    listing = ListingFactory()
    assert listings.listing_of(listing.outlet, listing.id) is listing
    assert listings.listing_of(OutletFactory(), listing.id) is None
