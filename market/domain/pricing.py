"""Unit prices for 明码标价: what a pack costs per 斤 (500 g) and per kilogram, in whole fen. Pure."""

from __future__ import annotations

from dataclasses import dataclass

JIN_GRAMS = 500  # 1 斤 (市斤) is exactly 500 g
KG_GRAMS = 1000


@dataclass(frozen=True)
class UnitPrice:
    """A pack price expressed per 斤 and per kilogram, each rounded half up to the fen on its own."""

    per_jin_fen: int
    per_kg_fen: int


def price_per_grams(price_fen: int, net_grams: int | None, per_grams: int) -> int | None:
    """The price of `per_grams` grams of a pack of `net_grams` grams costing `price_fen`.

    Exact integer arithmetic, rounded half up to the fen (a buyer never sees a price that is
    off by more than half a fen). None when the pack has no known weight (e.g. 200ml×10袋, 30枚/盒).
    """
    if price_fen < 0:
        raise ValueError("a price cannot be negative")
    if per_grams <= 0:
        raise ValueError("the reference quantity must be positive")
    if net_grams is None or net_grams <= 0:
        return None
    whole, rest = divmod(price_fen * per_grams, net_grams)
    return whole + (1 if 2 * rest >= net_grams else 0)


def unit_price(price_fen: int, net_grams: int | None) -> UnitPrice | None:
    """The pack price per 斤 and per kg, or None when the pack's net weight is unknown."""
    per_jin = price_per_grams(price_fen, net_grams, JIN_GRAMS)
    per_kg = price_per_grams(price_fen, net_grams, KG_GRAMS)
    if per_jin is None or per_kg is None:
        return None
    return UnitPrice(per_jin_fen=per_jin, per_kg_fen=per_kg)
