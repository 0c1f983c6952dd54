"""Demo stock logs and price tier: every demo listing's log adds up to its stock, LX-O-001 shows a restock and a
damage write-off, one valid quantity tier, and the same data on every load."""

from __future__ import annotations

from datetime import date

import sqlalchemy as sa

from market.demo import load_demo
from market.domain.pricing import PriceTier, tier_problems
from market.extensions import db
from market.models import Listing, ListingPriceTier, Outlet, StockMovement
from tests.conftest import _empty_tables

TODAY = date(2026, 11, 29)


def load() -> tuple[dict[str, int], list[tuple]]:
    """Load the demo (its listing extras come with it); the counts and the whole stock log as comparable tuples."""
    result = load_demo(TODAY)
    assert result is not None
    counts = result.counts
    db.session.commit()
    log = [tuple(r) for r in db.session.execute(
        sa.select(StockMovement.listing_id, StockMovement.change, StockMovement.stock_after, StockMovement.reason,
                  StockMovement.actor_id, StockMovement.order_id, StockMovement.created_at)
        .order_by(StockMovement.listing_id, StockMovement.created_at, StockMovement.id))]
    return counts, log


def test_every_demo_listing_log_adds_up_to_its_stock_and_is_the_same_on_every_load(app):
    counts, log = load()
    assert counts["stock_movements"] == len(log) > 0 and counts["price_tiers"] == 1
    by_listing: dict[int, list[tuple]] = {}
    for row in log:
        by_listing.setdefault(row[0], []).append(row)
    for listing in db.session.scalars(sa.select(Listing)):
        rows = by_listing.get(listing.id, [])
        assert (rows[-1][2] if rows else 0) == listing.stock, listing.id
        running = 0
        for _lid, change, after, *_rest in rows:
            running += change
            assert after == running >= 0
    lx1 = db.session.scalar(sa.select(Outlet.id).where(Outlet.code == "LX-O-001"))
    reasons = {r[3] for r in log if db.session.get(Listing, r[0]).outlet_id == lx1}
    assert {"opening", "order_placed", "restock", "damage"} <= reasons
    (tier,) = db.session.scalars(sa.select(ListingPriceTier)).all()
    assert tier.listing.outlet_id == lx1
    assert tier_problems(tier.listing.price_fen, tier.listing.min_quantity,
                         [PriceTier(tier.min_quantity, tier.unit_price_fen)]) == []
    db.session.remove()
    _empty_tables(app)
    assert load() == (counts, log)
