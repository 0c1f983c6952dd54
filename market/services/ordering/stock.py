"""Stock in one place: every change of a listing's units is one atomic UPDATE, logged in the stock log.

Callers say why (StockReason), when, who (None: the system) and for which order; the log row is written
here, in the same transaction as the UPDATE, so no caller can change stock without leaving a trace.
"""

from __future__ import annotations

from datetime import datetime

import sqlalchemy as sa

from market.domain.stock import StockReason
from market.extensions import db
from market.models import Listing, Order, StockMovement, User


def reserve(listing_id: int, quantity: int, reason: StockReason, *, now: datetime, actor: User | None = None,
            order: Order | None = None) -> bool:
    """Take units only if enough are left: one conditional UPDATE, checked by the row it returns (never
    oversells, even when buyers order at the same moment). False, and nothing logged, when there are not enough."""
    _positive(quantity)
    return _move(listing_id, -quantity, reason, now, actor, order) is not None


def release(listing_id: int, quantity: int, reason: StockReason, *, now: datetime, actor: User | None = None,
            order: Order | None = None) -> None:
    """Give back units that were reserved and never left the outlet (an unpaid order that ended)."""
    _add(listing_id, quantity, reason, now, actor, order)


def restock(listing_id: int, quantity: int, reason: StockReason, *, now: datetime, actor: User | None = None,
            order: Order | None = None) -> None:
    """Put units that were sold back on the shelf (refunded before they left the outlet)."""
    _add(listing_id, quantity, reason, now, actor, order)


def adjust(listing_id: int, change: int, reason: StockReason, *, now: datetime, actor: User | None) -> int | None:
    """Move stock by `change` units either way (a restock, a write-off, a correction, an opening stock):
    the stock after it, or None (nothing changed, nothing logged) when it would go below zero."""
    if change == 0:
        raise ValueError("a stock change moves at least one unit")
    return _move(listing_id, change, reason, now, actor, None)


def _add(listing_id: int, quantity: int, reason: StockReason, now: datetime, actor: User | None,
         order: Order | None) -> None:
    """Put units back (positive only); the listing must exist."""
    _positive(quantity)
    if _move(listing_id, quantity, reason, now, actor, order) is None:
        raise LookupError(f"no listing {listing_id} to return stock to")


def _move(listing_id: int, change: int, reason: StockReason, now: datetime, actor: User | None,
          order: Order | None) -> int | None:
    """Add `change` units in the database itself (never from a value read earlier), only while the result
    stays >= 0, then log it: the stock after the change, or None when no row changed."""
    after = db.session.execute(
        sa.update(Listing).where(Listing.id == listing_id, Listing.stock + change >= 0)
        .values(stock=Listing.stock + change).returning(Listing.stock)
        .execution_options(synchronize_session=False)
    ).scalar_one_or_none()
    if after is None:
        return None
    db.session.add(StockMovement(listing_id=listing_id, change=change, stock_after=after, reason=reason,
                                 actor_id=actor.id if actor is not None else None, order=order, created_at=now))
    return after


def _positive(quantity: int) -> None:
    """Refuse a quantity that is not a whole positive number of units."""
    if quantity < 1:
        raise ValueError(f"stock moves by whole positive quantities, not {quantity}")
