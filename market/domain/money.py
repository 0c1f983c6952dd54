"""Money as integer fen (分), shown as ¥ amounts. Pure."""

from __future__ import annotations


def format_yuan(fen: int) -> str:
    """Fen for display with the yuan sign and thousands separators: 123450 -> "¥1,234.50"."""
    sign = "-" if fen < 0 else ""
    whole, frac = divmod(abs(fen), 100)
    return f"{sign}¥{whole:,}.{frac:02d}"
