"""The rules for numbers and text from a request: ids within INTEGER, page numbers, control characters. Pure."""

from __future__ import annotations

import pytest

from market.domain.paging import MAX_PAGE, parse_page_number
from market.web_input import MAX_ID, parse_id, strip_control_characters


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("1", 1), (" 42 ", 42), (str(MAX_ID), MAX_ID), ("0000000042", 42),
        (None, None), ("", None), ("0", None), ("-1", None), ("+1", None), ("1.0", None), ("1e3", None),
        ("١٢", None), ("１２", None), (str(MAX_ID + 1), None), (str(10**20), None), ("9" * 5000, None),
        ("00000000042", None),  # more digits than any id has: refused without reading them
    ],
)
def test_an_id_from_a_form_is_ascii_digits_within_integer(raw, expected):
    assert parse_id(raw) == expected


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("0000051", 51), ("007", 7), ("000", 1), (str(MAX_PAGE), MAX_PAGE), ("0" * 40 + "3", 3),
        (str(10**20), MAX_PAGE), ("9" * 5000, MAX_PAGE), ("1" + "0" * 4299, MAX_PAGE),
    ],
)
def test_a_page_number_keeps_leading_zeros_meaningless_and_huge_numbers_capped(raw, expected):
    assert parse_page_number(raw) == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("\x00", ""), ("王\x00小明", "王小明"), ("a\x01b\x08c", "abc"), ("\x0bline\x0c", "line"),
        ("\x1b[0mred", "[0mred"), ("a\x1fb", "ab"), ("del\x7f", "del"), ("next\x85line", "nextline"), ("\x9f", ""),
    ],
)
def test_control_characters_are_stripped(text, expected):
    assert strip_control_characters(text) == expected


@pytest.mark.parametrize("text", ["", "王小明", "a\tb", "line\r\nline\n", "¥128.00", "\xa0", "\u200b", "🍎", "\ufffd"])
def test_tab_newline_carriage_return_and_printable_text_are_kept(text):
    assert strip_control_characters(text) == text
