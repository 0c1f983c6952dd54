"""The rules behind an offline sale line's risk signals: exact integer and Fraction arithmetic. Pure.

The service gathers the facts (the outlet's lines for a product, the listed prices, the lines of one day);
these functions decide. A signal never blocks a line: it tells county staff which receipts to look at first.
"""

from __future__ import annotations

from collections.abc import Iterable
from fractions import Fraction

OUTLIER_FACTOR = 10  # an amount more than 10 times the outlet's median line for the product
PRICE_LOW = Fraction(1, 2)  # a unit price below 50% of the lowest listed price ...
PRICE_HIGH = 2  # ... or above 200% of the highest one
BURST_LINES = 20  # more than 20 lines with the same amount within one day at one outlet


def median(values: Iterable[int]) -> Fraction:
    """The median of whole numbers (the mean of the two middle ones for an even count), exactly."""
    ordered = sorted(values)
    if not ordered:
        raise ValueError("the median of no values is undefined")
    middle, odd = divmod(len(ordered), 2)
    if odd:
        return Fraction(ordered[middle])
    return Fraction(ordered[middle - 1] + ordered[middle], 2)


def is_amount_outlier(amount_fen: int, median_fen: Fraction) -> bool:
    """More than OUTLIER_FACTOR times the median line."""
    return amount_fen > OUTLIER_FACTOR * median_fen


def amount_outliers(amounts: list[int], median_fen: Fraction) -> list[bool]:
    """is_amount_outlier for many amounts against one median, in whole-number arithmetic."""
    limit_num, limit_den = (OUTLIER_FACTOR * median_fen).as_integer_ratio()
    return [a * limit_den > limit_num for a in amounts]


def unit_price_problem(amount_fen: int, quantity: int, low_fen: int, high_fen: int) -> str | None:
    """"below" or "above" when amount/quantity is outside PRICE_LOW*low .. PRICE_HIGH*high, else None.

    `low_fen`..`high_fen` is the product's listed price range (list prices and tier prices of its listings).
    Compared without dividing: amount/quantity < low/2  <=>  2*amount < low*quantity.
    """
    if quantity < 1:
        raise ValueError("a line has a positive quantity")
    if low_fen > high_fen:
        raise ValueError("a price range runs from low to high")
    if amount_fen * PRICE_LOW.denominator < PRICE_LOW.numerator * low_fen * quantity:
        return "below"
    if amount_fen > PRICE_HIGH * high_fen * quantity:
        return "above"
    return None


def is_burst(lines_that_day: int) -> bool:
    """More than BURST_LINES lines with the same amount on one day at one outlet."""
    return lines_that_day > BURST_LINES


def other_outlets(own_outlet: str, outlets: Iterable[str]) -> list[str]:
    """The outlets other than the line's own among those where its receipt number (or photo) appears, sorted."""
    return sorted({o for o in outlets if o != own_outlet})

