"""Money in integer fen: parsing user input and formatting ¥ amounts."""

from __future__ import annotations

import pytest

from market.domain.money import MoneyFormatError, fen_to_yuan, format_yuan, parse_yuan


@pytest.mark.parametrize(("text", "fen"), [
    ("0", 0), ("128", 12800), ("128.5", 12850), ("128.50", 12850), ("0.01", 1), (" 7.05 ", 705),
    ("999999999999.99", 99999999999999),
])
def test_plain_yuan_amounts_parse_to_fen(text, fen):
    assert parse_yuan(text) == fen


@pytest.mark.parametrize("text", ["", "-1", "+1", "1e3", "12,5", "1,000", "1.234", ".5", "5.", "¥5", "abc", "NaN",
                                  "1" * 13])
def test_anything_else_is_refused(text):
    with pytest.raises(MoneyFormatError):
        parse_yuan(text)


@pytest.mark.parametrize(("fen", "shown", "plain"), [
    (0, "¥0.00", "0.00"), (5, "¥0.05", "0.05"), (12850, "¥128.50", "128.50"),
    (123450, "¥1,234.50", "1234.50"), (100000000, "¥1,000,000.00", "1000000.00"), (-250, "-¥2.50", "-2.50"),
])
def test_fen_are_shown_with_two_decimals(fen, shown, plain):
    assert format_yuan(fen) == shown
    assert fen_to_yuan(fen) == plain
