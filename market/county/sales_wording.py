"""How the queue explains a line's risk signals to county staff, from what each signal stored."""

from __future__ import annotations

from typing import Any

from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l

from market.domain.money import format_yuan
from market.domain.offline_sale import RiskKind

RISK_NAMES = {
    RiskKind.RECEIPT_ELSEWHERE: _l("Receipt number at another outlet"),
    RiskKind.PHOTO_ELSEWHERE: _l("Receipt photo at another outlet"),
    RiskKind.AMOUNT_OUTLIER: _l("Unusually large amount"),
    RiskKind.UNIT_PRICE: _l("Unit price out of range"),
    RiskKind.BURST: _l("Many lines of one amount in a day"),
    RiskKind.MATCHES_ORDER: _l("Same as a collected pickup order"),
}


def explain(kind: str, detail: dict[str, Any]) -> str:
    """One sentence saying why the signal is there."""
    d = detail or {}
    outlets = "、".join(d.get("outlets", []))
    if kind == RiskKind.RECEIPT_ELSEWHERE:
        return _("Receipt number %(receipt)s also appears at %(outlets)s.", receipt=d.get("receipt_no", ""),
                 outlets=outlets)
    if kind == RiskKind.PHOTO_ELSEWHERE:
        return _("The same receipt photo also appears at %(outlets)s.", outlets=outlets)
    if kind == RiskKind.AMOUNT_OUTLIER:
        return _("About %(times)s times this outlet's median line for the product (%(median)s over %(n)d lines).",
                 times=d.get("times") or "∞", median=format_yuan(d.get("median_fen", 0)), n=d.get("lines", 0))
    if kind == RiskKind.UNIT_PRICE:
        prices = {"unit": format_yuan(d.get("unit_fen", 0)), "low": format_yuan(d.get("low_fen", 0)),
                  "high": format_yuan(d.get("high_fen", 0))}
        if d.get("side") == "below":
            return _("Unit price %(unit)s is below half the lowest listed price (listed %(low)s to %(high)s).",
                     **prices)
        return _("Unit price %(unit)s is above twice the highest listed price (listed %(low)s to %(high)s).",
                 **prices)
    if kind == RiskKind.BURST:
        return _("%(n)d lines of %(amount)s at this outlet on %(day)s.", n=d.get("lines", 0),
                 amount=format_yuan(d.get("amount_fen", 0)), day=d.get("date", ""))
    if kind == RiskKind.MATCHES_ORDER:
        return _("Same outlet, product, quantity, amount and day as pickup order %(order)s, already collected "
                 "through the market: possibly the same sale reported twice.", order=d.get("order", ""))
    return str(kind)
