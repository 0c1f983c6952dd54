"""Money as integer fen (分), shown as ¥ amounts. Pure."""

from __future__ import annotations

import re


def format_yuan(fen: int) -> str:
    """Fen for display with the yuan sign and thousands separators: 123450 -> "¥1,234.50"."""
    sign = "-" if fen < 0 else ""
    whole, frac = divmod(abs(fen), 100)
    return f"{sign}¥{whole:,}.{frac:02d}"


MAX_FEN = 1_000_000_000  # ¥10,000,000.00: the largest amount typed in anywhere (fits a 32-bit column)
_FULL_WIDTH = str.maketrans("０１２３４５６７８９．，", "0123456789.,")  # what a Chinese IME types in full-width mode
_AMOUNT = re.compile(r"(?P<whole>[0-9]{1,3}(?:,[0-9]{3})+|[0-9]+)(?:\.(?P<frac>[0-9]{1,2}))?")


class AmountError(ValueError):
    """An amount refused by parse_yuan; `problem` names why (for a translated message at the edge)."""

    def __init__(self, problem: str, message: str) -> None:
        super().__init__(message)
        self.problem = problem


def parse_yuan(text: str, *, max_fen: int = MAX_FEN) -> int:
    """An amount typed in yuan ("12.5", "¥1,234.50", "￥12.50", "12.50元") as exact integer fen.

    Accepted: an optional ¥ or ￥ in front, an optional 元 behind, surrounding spaces, thousands separators
    in groups of three, at most two decimals, full-width digits (a Chinese IME in full-width mode types
    them). Refused with an AmountError: empty text, a sign, a decimal comma ("12,5"), misplaced
    separators, exponents, NaN, more than two decimals (never rounded), other scripts' digits, and
    amounts above `max_fen`.
    """
    shown = text if len(text) <= 24 else text[:20] + "…"
    body = text.strip().translate(_FULL_WIDTH)
    if body[:1] in ("¥", "￥"):
        body = body[1:].lstrip()
    if body.endswith("元"):
        body = body[:-1].rstrip()
    if not body:
        raise AmountError("empty", "enter an amount in yuan, such as 12.50")
    if body[0] in "-−":
        raise AmountError("negative", f"an amount cannot be negative: {shown!r}")
    found = _AMOUNT.fullmatch(body)
    if found is None:
        if re.fullmatch(r"[0-9,]*\.[0-9]{3,}", body):
            raise AmountError("decimals", f"at most two decimals (fen): {shown!r}")
        if re.fullmatch(r"[0-9]+,[0-9]{1,2}", body):
            raise AmountError("decimal_comma", f"use a point for the decimals (12.50, not 12,50): {shown!r}")
        raise AmountError("format", f"not an amount in yuan (write it like 1,234.50): {shown!r}")
    digits = found["whole"].replace(",", "").lstrip("0")
    if len(digits) > len(str(max_fen // 100)):  # never feed a huge digit string to int()
        raise AmountError("too_large", f"at most {format_yuan(max_fen)}: {shown!r}")
    fen = int(digits or "0") * 100 + int((found["frac"] or "0").ljust(2, "0"))
    if fen > max_fen:
        raise AmountError("too_large", f"at most {format_yuan(max_fen)}: {shown!r}")
    return fen
