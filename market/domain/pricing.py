"""Unit prices for 明码标价: what a pack costs per 斤 (500 g) and per kilogram, in whole fen. Pure."""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum

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


@dataclass(frozen=True)
class PriceTier:
    """From `min_quantity` units on, every unit costs `unit_price_fen` (e.g. >= 50 boxes at ¥60.00)."""

    min_quantity: int
    unit_price_fen: int


class TierProblem(StrEnum):
    """Why a set of quantity tiers does not fit its listing."""

    NOT_ABOVE_MINIMUM = "not_above_minimum"  # a tier starts at or below the listing's minimum order
    NEGATIVE = "negative"
    NOT_CHEAPER = "not_cheaper"  # a tier price at or above the listing price
    SAME_START = "same_start"  # two tiers start at the same quantity
    NOT_DECREASING = "not_decreasing"  # a tier for more units costs as much or more than one for fewer


def tier_problems(price_fen: int, min_quantity: int, tiers: list[PriceTier]) -> list[TierProblem]:
    """Why these quantity tiers cannot go with a listing at `price_fen` with this minimum order (empty: fine).

    Each tier starts above the listing's minimum and costs less than the listing price; tiers for larger
    quantities cost strictly less (so buying more never raises the unit price), and no two start at the same
    quantity.
    """
    problems = []
    for tier in tiers:
        if tier.min_quantity <= min_quantity:
            problems.append(TierProblem.NOT_ABOVE_MINIMUM)
        if tier.unit_price_fen < 0:
            problems.append(TierProblem.NEGATIVE)
        elif tier.unit_price_fen >= price_fen:
            problems.append(TierProblem.NOT_CHEAPER)
    ordered = sorted(tiers, key=lambda t: t.min_quantity)
    for smaller, larger in zip(ordered, ordered[1:], strict=False):
        if smaller.min_quantity == larger.min_quantity:
            problems.append(TierProblem.SAME_START)
        elif larger.unit_price_fen >= smaller.unit_price_fen:
            problems.append(TierProblem.NOT_DECREASING)
    return problems


def price_for_quantity(price_fen: int, tiers: list[PriceTier], quantity: int) -> int:
    """The unit price of `quantity` units: the price of the largest tier the quantity reaches, else the
    listing price. Valid tiers (tier_problems) make it never higher for a larger quantity."""
    reached = [t for t in tiers if t.min_quantity <= quantity]
    if not reached:
        return price_fen
    return max(reached, key=lambda t: t.min_quantity).unit_price_fen
