"""Money in integer fen, shown as ¥ amounts."""

from __future__ import annotations

import pytest

from market.domain.money import format_yuan


@pytest.mark.parametrize(("fen", "shown"), [
    (0, "¥0.00"), (5, "¥0.05"), (12850, "¥128.50"), (123450, "¥1,234.50"), (100000000, "¥1,000,000.00"),
    (-250, "-¥2.50"),
])
def test_fen_are_shown_with_two_decimals_and_thousands_separators(fen, shown):
    assert format_yuan(fen) == shown
