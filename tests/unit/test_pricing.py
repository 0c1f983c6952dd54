"""Unit prices for 明码标价: a pack price per 斤 (500 g) and per kg, exact to the fen, rounded half up."""

from __future__ import annotations

import pytest

from market.domain.pricing import (
    JIN_GRAMS,
    KG_GRAMS,
    PriceTier,
    TierProblem,
    UnitPrice,
    price_for_quantity,
    price_per_grams,
    tier_problems,
    unit_price,
)


@pytest.mark.parametrize(
    ("price_fen", "net_grams", "per_jin", "per_kg"),
    [
        (6800, 5000, 680, 1360),  # 陇州苹果 5kg/箱 ¥68.00: ¥6.80 a 斤, ¥13.60 a kg
        (12850, 5000, 1285, 2570),  # ¥128.50 for 5 kg
        (6800, 500, 6800, 13600),  # honey 500 g: the pack is one 斤
        (12800, 1000, 6400, 12800),  # 1 kg jar
        (15800, 400, 19750, 39500),  # goat milk powder 400 g: more per 斤 than per pack
        (1800, 100, 9000, 18000),  # pepper powder 100 g
        (3500, 250, 7000, 14000),  # 250 g bag
        (100, 3, 16667, 33333),  # 500/3 = 166.666… fen -> rounds up; 1000/3 = 333.33… -> down
        (1, 1000, 1, 1),  # half a fen a 斤 rounds up to one
        (1, 3000, 0, 0),  # a third of a fen a kg rounds down to nothing
        (3, 1000, 2, 3),  # 1.5 fen a 斤 -> 2 (half up)
        (0, 500, 0, 0),  # free sample
        (999_999_99, 1, 49_999_999_500, 99_999_999_000),  # big numbers stay exact (integers, no floats)
    ],
)
def test_unit_price_per_jin_and_per_kg(price_fen, net_grams, per_jin, per_kg):
    assert unit_price(price_fen, net_grams) == UnitPrice(per_jin_fen=per_jin, per_kg_fen=per_kg)


@pytest.mark.parametrize("net_grams", [None, 0, -500])
def test_no_unit_price_when_the_pack_weight_is_unknown(net_grams):
    """200ml×10袋, 30枚/盒, 5L/桶: sold by volume or count, so no price per 斤 is claimed."""
    assert unit_price(6800, net_grams) is None
    assert price_per_grams(6800, net_grams, JIN_GRAMS) is None


@pytest.mark.parametrize(
    ("price_fen", "net_grams", "per_grams", "expected"),
    [
        (6800, 5000, JIN_GRAMS, 680),
        (6800, 5000, KG_GRAMS, 1360),
        (6800, 5000, 5000, 6800),  # the pack itself
        (6800, 5000, 100, 136),  # per 100 g
        (5, 2, 1, 3),  # 2.5 -> 3: exactly half rounds up
        (7, 2, 1, 4),  # 3.5 -> 4
    ],
)
def test_price_per_any_reference_quantity(price_fen, net_grams, per_grams, expected):
    assert price_per_grams(price_fen, net_grams, per_grams) == expected


def test_the_two_unit_prices_are_rounded_independently_not_derived_from_each_other():
    # ¥1.01 for 3 kg: 16.83 fen a 斤 -> 17; 33.67 fen a kg -> 34 (not 2 x 17).
    assert unit_price(101, 3000) == UnitPrice(per_jin_fen=17, per_kg_fen=34)


@pytest.mark.parametrize(("price_fen", "per_grams"), [(-1, JIN_GRAMS), (100, 0), (100, -500)])
def test_negative_prices_and_reference_quantities_are_refused(price_fen, per_grams):
    with pytest.raises(ValueError):
        price_per_grams(price_fen, 500, per_grams)


TIERS = [PriceTier(50, 6000), PriceTier(10, 6500), PriceTier(100, 5800)]  # any order: the rule sorts


@pytest.mark.parametrize(("quantity", "unit_fen"), [
    (1, 6800), (9, 6800), (10, 6500), (49, 6500), (50, 6000), (99, 6000), (100, 5800), (9999, 5800),
])
def test_the_unit_price_of_a_quantity_is_the_largest_tier_it_reaches(quantity, unit_fen):
    assert price_for_quantity(6800, TIERS, quantity) == unit_fen


def test_without_tiers_every_quantity_pays_the_listing_price():
    assert price_for_quantity(6800, [], 500) == 6800


def test_valid_tiers_have_no_problems():
    assert tier_problems(6800, 1, TIERS) == []


P = TierProblem


@pytest.mark.parametrize(("price", "minimum", "tiers", "problems"), [
    (6800, 10, [PriceTier(10, 6000)], [P.NOT_ABOVE_MINIMUM]),
    (6800, 10, [PriceTier(5, 6000)], [P.NOT_ABOVE_MINIMUM]),
    (6800, 1, [PriceTier(10, 6800)], [P.NOT_CHEAPER]),
    (6800, 1, [PriceTier(10, 7000)], [P.NOT_CHEAPER]),
    (6800, 1, [PriceTier(10, -1)], [P.NEGATIVE]),
    (6800, 1, [PriceTier(10, 6000), PriceTier(50, 6000)], [P.NOT_DECREASING]),
    (6800, 1, [PriceTier(50, 6500), PriceTier(10, 6000)], [P.NOT_DECREASING]),
    (6800, 1, [PriceTier(10, 6000), PriceTier(10, 5000)], [P.SAME_START]),
    (6800, 1, [PriceTier(1, 6800)], [P.NOT_ABOVE_MINIMUM, P.NOT_CHEAPER]),
])
def test_tiers_that_would_not_lower_the_price_for_more_units_are_refused(price, minimum, tiers, problems):
    assert tier_problems(price, minimum, tiers) == problems
