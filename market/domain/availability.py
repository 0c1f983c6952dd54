"""Whether a listing can be bought now: stock state and season windows. Pure."""

from __future__ import annotations

from enum import StrEnum

LOW_STOCK = 10  # at or below this many packs the storefront says "only N left"


class StockState(StrEnum):
    """What the buyer is told about a listing's stock."""

    IN_STOCK = "in_stock"
    LOW = "low"
    SOLD_OUT = "sold_out"


def stock_state(stock: int, min_quantity: int = 1) -> StockState:
    """Sold out when fewer packs remain than the smallest order; low at or below LOW_STOCK packs."""
    if stock < max(min_quantity, 1):
        return StockState.SOLD_OUT
    if stock <= LOW_STOCK:
        return StockState.LOW
    return StockState.IN_STOCK


def in_season(month: int, season_start: int | None, season_end: int | None) -> bool:
    """True when the month lies in the season (which may wrap over the new year); no season: always."""
    if season_start is None or season_end is None:
        return True
    if season_start <= season_end:
        return season_start <= month <= season_end
    return month >= season_start or month <= season_end
