"""The risk signals' rules as tables: median, outliers, unit price range, bursts, other outlets."""

from __future__ import annotations

from fractions import Fraction

import pytest

from market.domain import sale_risk


@pytest.mark.parametrize(
    ("values", "expected"),
    [
        ([5], Fraction(5)),
        ([3, 1, 2], Fraction(2)),
        ([1, 2, 3, 4], Fraction(5, 2)),
        ([6800, 6800], Fraction(6800)),
        ([1, 1, 1000000], Fraction(1)),
        ([0, 0, 7], Fraction(0)),
        ([9, 1], Fraction(5)),
    ],
)
def test_median_is_exact(values: list[int], expected: Fraction) -> None:
    assert sale_risk.median(values) == expected


def test_median_of_nothing_is_refused() -> None:
    with pytest.raises(ValueError, match="undefined"):
        sale_risk.median([])


@pytest.mark.parametrize(
    ("amount", "median", "outlier"),
    [
        (68000, Fraction(6800), False),  # exactly 10 times is not more than 10 times
        (68001, Fraction(6800), True),
        (6800, Fraction(6800), False),
        (26, Fraction(5, 2), True),  # 26 > 25
        (25, Fraction(5, 2), False),
        (1, Fraction(0), True),
        (0, Fraction(0), False),
    ],
)
def test_amount_outlier_is_more_than_ten_times_the_median(amount: int, median: Fraction, outlier: bool) -> None:
    assert sale_risk.is_amount_outlier(amount, median) is outlier


@pytest.mark.parametrize(
    ("amount", "quantity", "low", "high", "problem"),
    [
        (6800, 1, 6800, 6800, None),
        (3400, 1, 6800, 6800, None),  # exactly 50% of the lowest price
        (3399, 1, 6800, 6800, "below"),
        (13600, 1, 6800, 6800, None),  # exactly 200% of the highest price
        (13601, 1, 6800, 6800, "above"),
        (6799, 2, 6800, 8000, "below"),  # 33.995 a unit < 34.00
        (6800, 2, 6800, 8000, None),  # 34.00 a unit: exactly half
        (32001, 2, 5000, 8000, "above"),  # 160.005 > 160.00
        (32000, 2, 5000, 8000, None),
        (5001, 3, 3334, 9000, None),  # 16.67 a unit is exactly half of 33.34
        (5000, 3, 3334, 9000, "below"),  # 16.6667 < 16.67
        (0, 1, 100, 100, "below"),
    ],
)
def test_unit_price_outside_half_to_double_the_listed_range(
    amount: int, quantity: int, low: int, high: int, problem: str | None
) -> None:
    assert sale_risk.unit_price_problem(amount, quantity, low, high) == problem


@pytest.mark.parametrize(("quantity", "low", "high"), [(0, 1, 2), (1, 3, 2)])
def test_unit_price_refuses_nonsense(quantity: int, low: int, high: int) -> None:
    with pytest.raises(ValueError):
        sale_risk.unit_price_problem(100, quantity, low, high)


@pytest.mark.parametrize(("count", "burst"), [(0, False), (1, False), (20, False), (21, True), (500, True)])
def test_burst_is_more_than_twenty_lines(count: int, burst: bool) -> None:
    assert sale_risk.is_burst(count) is burst


@pytest.mark.parametrize(
    ("own", "outlets", "others"),
    [
        ("A", ["A"], []),
        ("A", ["A", "A"], []),
        ("A", ["A", "B"], ["B"]),
        ("B", ["C", "A", "B", "C"], ["A", "C"]),
        ("A", [], []),
    ],
)
def test_other_outlets(own: str, outlets: list[str], others: list[str]) -> None:
    assert sale_risk.other_outlets(own, outlets) == others


@pytest.mark.parametrize(
    ("amounts", "median", "flags"),
    [
        ([68000, 68001, 6800], Fraction(6800), [False, True, False]),
        ([26, 25, 24], Fraction(5, 2), [True, False, False]),
        ([0, 1], Fraction(0), [False, True]),
        ([], Fraction(3), []),
    ],
)
def test_many_amounts_against_one_median_agree_with_one_at_a_time(
    amounts: list[int], median: Fraction, flags: list[bool]
) -> None:
    assert sale_risk.amount_outliers(amounts, median) == flags
    assert [sale_risk.is_amount_outlier(a, median) for a in amounts] == flags
