"""Stock in one place: every change to a listing's units is one atomic UPDATE and carries its reason."""

from __future__ import annotations

import sqlalchemy as sa
from flask import current_app

from market.domain.stock import StockReason
from market.extensions import db
from market.models import Listing


def reserve(listing_id: int, quantity: int, reason: StockReason) -> bool:
    """Take units only if enough are left: one conditional UPDATE, checked by row count (never oversells,
    even when buyers order at the same moment). False when there are not enough."""
    _positive(quantity)
    taken = _change(listing_id, -quantity, Listing.stock >= quantity) == 1
    if taken:
        _log(listing_id, -quantity, reason)
    else:
        current_app.logger.debug("stock of listing %s: %d not reserved (%s), not enough left", listing_id,
                                 quantity, reason.value)
    return taken


def release(listing_id: int, quantity: int, reason: StockReason) -> None:
    """Give back units that were reserved and never left the outlet (an unpaid order that ended)."""
    _add(listing_id, quantity, reason)


def restock(listing_id: int, quantity: int, reason: StockReason) -> None:
    """Put units that were sold back on the shelf (refunded before they left the outlet)."""
    _add(listing_id, quantity, reason)


def _add(listing_id: int, quantity: int, reason: StockReason) -> None:
    _positive(quantity)
    if _change(listing_id, quantity) != 1:
        raise LookupError(f"no listing {listing_id} to return stock to")
    _log(listing_id, quantity, reason)


def _change(listing_id: int, delta: int, *conditions: sa.ColumnElement[bool]) -> int:
    """Add `delta` units in the database itself (never from a value read earlier); the rows changed."""
    result = db.session.execute(
        sa.update(Listing).where(Listing.id == listing_id, *conditions).values(stock=Listing.stock + delta)
        .execution_options(synchronize_session=False)
    )
    return result.rowcount


def _positive(quantity: int) -> None:
    if quantity < 1:
        raise ValueError(f"stock moves by whole positive quantities, not {quantity}")


def _log(listing_id: int, delta: int, reason: StockReason) -> None:
    """Keep the reason until the stock log table exists (the outlet portal adds it)."""
    current_app.logger.debug("stock of listing %s %+d (%s)", listing_id, delta, reason.value)
