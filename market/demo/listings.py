"""Demo stock logs for every demo listing and a quantity price tier on one LX-O-001 listing.

Run after the demo orders (their units are already off the stock): each listing's log then reads opening
stock, the sales of its orders (and, at LX-O-001, a restock and a damage write-off), and ends exactly at the
listing's stock. Deterministic: no randomness, times derived from `today`.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta

import sqlalchemy as sa
from sqlalchemy import orm as so

from market.domain.dates import SHANGHAI
from market.domain.order_flow import OrderStatus
from market.domain.stock import StockReason
from market.extensions import db
from market.models import Listing, ListingPriceTier, Order, OrderLine, Outlet, StockMovement, User

TIER_OUTLET = "LX-O-001"
MANUAL_OUTLET = "LX-O-001"
MANUAL_STAFF = "outlet@example.com"
OPENING_DAYS_AGO = 125  # before the demo orders' history (120 days)
RESTOCK_UNITS, RESTOCK_DAYS_AGO = 24, 30
DAMAGE_UNITS, DAMAGE_DAYS_AGO = 2, 12


@dataclass(frozen=True)
class _Move:
    """One stock change to write into a demo listing's log."""

    at: datetime
    change: int
    reason: StockReason
    actor_id: int | None
    order_id: int | None


def _at(day: date, hour: int) -> datetime:
    """The hour of the day in Long County, as an aware UTC time."""
    return datetime.combine(day, time(hour, 0), tzinfo=SHANGHAI).astimezone(UTC)


def add_demo_listing_extras(today: date) -> dict[str, int]:
    """Stock logs for the demo listings and a quantity tier on one LX-O-001 listing; returns the row counts.

    Call after add_demo_orders (and before add_demo_refunds, whose restocks the stock service logs itself)."""
    staff = db.session.scalar(sa.select(User).where(User.email == MANUAL_STAFF))
    listings = db.session.scalars(
        sa.select(Listing).join(Outlet, Outlet.id == Listing.outlet_id).order_by(Listing.id)
        .options(so.contains_eager(Listing.outlet))
    ).all()
    sales: dict[int, list[_Move]] = {}
    for line, order in db.session.execute(
        sa.select(OrderLine, Order).join(Order, Order.id == OrderLine.order_id)
        .where(Order.status != OrderStatus.CANCELLED).order_by(Order.placed_at, OrderLine.id)
    ).tuples():
        sales.setdefault(line.listing_id, []).append(
            _Move(order.placed_at, -line.quantity, StockReason.ORDER_PLACED, order.user_id, order.id))
    logged = 0
    for listing in listings:
        manual = []
        if listing.outlet.code == MANUAL_OUTLET and staff is not None:
            manual = [_Move(_at(today - timedelta(days=RESTOCK_DAYS_AGO), 9), RESTOCK_UNITS, StockReason.RESTOCK,
                            staff.id, None),
                      _Move(_at(today - timedelta(days=DAMAGE_DAYS_AGO), 17), -DAMAGE_UNITS, StockReason.DAMAGE,
                            staff.id, None)]
        history = _history(listing.stock, sales.get(listing.id, []), manual, _at(today - timedelta(
            days=OPENING_DAYS_AGO), 8))
        for move, after in history:
            db.session.add(StockMovement(listing_id=listing.id, change=move.change, stock_after=after,
                                         reason=move.reason, actor_id=move.actor_id, order_id=move.order_id,
                                         created_at=move.at))
        logged += len(history)
    tiers = _add_tier(listings)
    db.session.flush()
    return {"stock_movements": logged, "price_tiers": tiers}


def _history(stock: int, sales: list[_Move], manual: list[_Move], opened: datetime) -> list[tuple[_Move, int]]:
    """The moves in time order with the stock after each, starting with the opening stock that makes the last
    one end at `stock`; the manual moves are left out if they would take the stock below zero on the way."""
    for extra in (manual, []):
        moves = sorted([*sales, *extra], key=lambda m: m.at)
        opening = stock - sum(m.change for m in moves)
        if opening < 0:
            continue
        rows, running = [], opening
        if opening:
            rows.append((_Move(opened, opening, StockReason.OPENING, None, None), opening))
        for move in moves:
            running += move.change
            rows.append((move, running))
        if min((after for _m, after in rows), default=0) >= 0:
            return rows
    return []


def _add_tier(listings: list[Listing]) -> int:
    """From 10 units (or one above the minimum order) on, 10% off, rounded down to the jiao: on the first
    active LX-O-001 listing priced at ¥20 or more."""
    for listing in listings:
        if listing.outlet.code == TIER_OUTLET and listing.active and listing.price_fen >= 2000:
            price = listing.price_fen * 9 // 10 // 10 * 10
            db.session.add(ListingPriceTier(listing_id=listing.id, min_quantity=max(10, listing.min_quantity + 1),
                                            unit_price_fen=price))
            return 1
    return 0
