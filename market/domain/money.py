"""Money as integer fen (分): parsing user input and formatting ¥ amounts. Pure."""

from __future__ import annotations

import re

_YUAN = re.compile(r"^\s*(\d{1,12})(?:\.(\d{1,2}))?\s*$")


class MoneyFormatError(ValueError):
    """Input that is not a plain yuan amount with at most two decimals."""


def parse_yuan(text: str) -> int:
    """Parse "128", "128.5" or "128.50" into fen; refuse signs, commas, exponents and 3+ decimals."""
    match = _YUAN.match(text or "")
    if not match:
        raise MoneyFormatError(text)
    whole, frac = match.group(1), (match.group(2) or "").ljust(2, "0")
    return int(whole) * 100 + int(frac)


def fen_to_yuan(fen: int) -> str:
    """Fen as a plain yuan string with two decimals: 12850 -> "128.50" (CSV, JSON)."""
    sign = "-" if fen < 0 else ""
    whole, frac = divmod(abs(fen), 100)
    return f"{sign}{whole}.{frac:02d}"


def format_yuan(fen: int) -> str:
    """Fen for display with the yuan sign and thousands separators: 123450 -> "¥1,234.50"."""
    sign = "-" if fen < 0 else ""
    whole, frac = divmod(abs(fen), 100)
    return f"{sign}¥{whole:,}.{frac:02d}"
