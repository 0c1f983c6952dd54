"""Paging of catalogue results and the stock and season states shown to buyers. Pure, no app."""

from __future__ import annotations

import pytest

from market.domain.availability import LOW_STOCK, StockState, in_season, stock_state
from market.domain.paging import MAX_PAGE, Page, parse_page_number


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        (None, 1), ("", 1), ("1", 1), ("2", 2), (" 3 ", 3), ("0", 1), ("-1", 1), ("abc", 1), ("2.5", 1),
        ("1e3", 1), ("٣", 1), ("３", 1), ("99999999999999999999", MAX_PAGE), (str(MAX_PAGE + 1), MAX_PAGE),
    ],
)
def test_a_page_number_from_the_url_is_a_positive_bounded_integer(raw, expected):
    assert parse_page_number(raw) == expected


@pytest.mark.parametrize(
    ("requested", "size", "total", "number", "pages", "offset", "first", "last", "prev", "next_"),
    [
        (1, 20, 0, 1, 1, 0, 0, 0, False, False),  # nothing at all: one empty page
        (5, 20, 0, 1, 1, 0, 0, 0, False, False),
        (1, 20, 20, 1, 1, 0, 1, 20, False, False),
        (1, 20, 21, 1, 2, 0, 1, 20, False, True),
        (2, 20, 21, 2, 2, 20, 21, 21, True, False),
        (3, 20, 21, 2, 2, 20, 21, 21, True, False),  # beyond the end: the last page
        (0, 20, 45, 1, 3, 0, 1, 20, False, True),
        (2, 20, 45, 2, 3, 20, 21, 40, True, True),
    ],
)
def test_pages_are_clamped_to_those_that_exist(requested, size, total, number, pages, offset, first, last, prev,
                                               next_):
    page = Page.clamped(requested, size, total)
    assert (page.number, page.pages, page.offset) == (number, pages, offset)
    assert (page.first_item, page.last_item, page.has_previous, page.has_next) == (first, last, prev, next_)


@pytest.mark.parametrize(("size", "total"), [(0, 10), (-1, 10), (20, -1)])
def test_impossible_pages_are_refused(size, total):
    with pytest.raises(ValueError):
        Page.clamped(1, size, total)


@pytest.mark.parametrize(
    ("stock", "min_quantity", "expected"),
    [
        (0, 1, StockState.SOLD_OUT),
        (1, 1, StockState.LOW),
        (LOW_STOCK, 1, StockState.LOW),
        (LOW_STOCK + 1, 1, StockState.IN_STOCK),
        (9, 10, StockState.SOLD_OUT),  # fewer packs left than the minimum order: cannot be bought
        (10, 10, StockState.LOW),
        (300, 10, StockState.IN_STOCK),
        (5, 0, StockState.LOW),  # a minimum below one counts as one
    ],
)
def test_stock_state(stock, min_quantity, expected):
    assert stock_state(stock, min_quantity) is expected


@pytest.mark.parametrize(
    ("month", "start", "end", "expected"),
    [
        (6, None, None, True),  # no season: all year
        (9, 9, 2, True), (12, 9, 2, True), (1, 9, 2, True), (2, 9, 2, True),  # apples, over the new year
        (3, 9, 2, False), (8, 9, 2, False),
        (8, 8, 10, True), (10, 8, 10, True), (11, 8, 10, False), (7, 8, 10, False),  # Gala apples
        (5, 5, 5, True), (6, 5, 5, False),
    ],
)
def test_season_windows_may_wrap_over_the_new_year(month, start, end, expected):
    assert in_season(month, start, end) is expected
