"""Money in integer fen, shown as ¥ amounts."""

from __future__ import annotations

import pytest

from market.domain.money import MAX_FEN, AmountError, format_yuan, parse_yuan


@pytest.mark.parametrize(("fen", "shown"), [
    (0, "¥0.00"), (5, "¥0.05"), (12850, "¥128.50"), (123450, "¥1,234.50"), (100000000, "¥1,000,000.00"),
    (-250, "-¥2.50"),
])
def test_fen_are_shown_with_two_decimals_and_thousands_separators(fen, shown):
    assert format_yuan(fen) == shown


@pytest.mark.parametrize(("text", "fen"), [
    ("12.5", 1250), ("12.50", 1250), ("¥12.50", 1250), ("￥12.50", 1250), ("¥1,234.50", 123450),
    (" 12.50 ", 1250), ("12", 1200), ("0.01", 1), ("0", 0), ("1,234", 123400), ("¥ 12.50", 1250),
    ("12.50元", 1250), ("１２．５０", 1250),  # full-width digits and point, as a Chinese IME types them
    ("１，２３４．５", 123450), ("007.10", 710), ("10,000,000.00", MAX_FEN), ("0.1", 10),
])
def test_amounts_in_yuan_are_read_exactly_as_fen(text, fen):
    assert parse_yuan(text) == fen


@pytest.mark.parametrize(("text", "problem"), [
    ("12,5", "decimal_comma"), ("12,50", "decimal_comma"), ("-1", "negative"), ("−1", "negative"),
    ("-0.01", "negative"), ("1e3", "format"), ("12.505", "decimals"), ("0.001", "decimals"), ("", "empty"),
    ("   ", "empty"), ("¥", "empty"), ("元", "empty"), ("1,23.00", "format"), ("1,2345.00", "format"),
    ("NaN", "format"), ("inf", "format"), ("12.", "format"), (".5", "format"), ("+1", "format"),
    ("1 234.50", "format"), ("¥¥12", "format"), ("12.50¥", "format"), ("0x10", "format"),
    ("١٢", "format"), ("²", "format"), ("①2.50", "format"),  # other scripts' digits are not yuan
    ("10,000,000.01", "too_large"), ("99999999999", "too_large"), ("9" * 5000, "too_large"),
])
def test_anything_else_is_refused_with_the_reason(text, problem):
    with pytest.raises(AmountError) as refused:
        parse_yuan(text)
    assert refused.value.problem == problem
    assert isinstance(refused.value, ValueError) and str(refused.value)


def test_a_smaller_ceiling_can_be_asked_for():
    assert parse_yuan("100.00", max_fen=10000) == 10000
    with pytest.raises(AmountError, match=r"at most ¥100\.00"):
        parse_yuan("100.01", max_fen=10000)


def test_leading_zeros_do_not_count_towards_the_ceiling():
    assert parse_yuan("0" * 30 + "1.00") == 100


@pytest.mark.parametrize("fen", [0, 1, 99, 100, 12345, 123456789, MAX_FEN])
def test_what_is_shown_reads_back_as_the_same_amount(fen):
    assert parse_yuan(format_yuan(fen)) == fen
