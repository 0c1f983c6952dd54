"""The verification queue's filter as GET parameters: read into a QueueFilter (with a message for each value
that could not be read, which is then left out) and written back into links and hidden fields."""

from __future__ import annotations

from datetime import date
from typing import Any

from flask_babel import gettext as _
from werkzeug.datastructures import MultiDict

from market.domain.money import AmountError, parse_yuan
from market.domain.offline_sale import SaleState
from market.services.sales.queue import QueueFilter

PARAMS = ("outlet", "town", "from", "to", "min", "max", "state", "batch", "photo", "risk", "sample")
CHOICES = {"yes": True, "no": False}


def _whole(text: str) -> int | None:
    """A positive id, or None."""
    return int(text) if text.isascii() and text.isdigit() and 0 < len(text) <= 9 and int(text) > 0 else None


def parse_filter(args: MultiDict[str, str]) -> tuple[QueueFilter, list[str]]:
    """The filter the query string asks for, and what could not be read in it."""
    values: dict[str, Any] = {}
    problems: list[str] = []
    text = {name: args.get(name, "").strip() for name in PARAMS}
    if text["outlet"]:
        values["outlet_code"] = text["outlet"][:32].upper()
    for name, field in (("town", "town_id"), ("batch", "batch_id"), ("sample", "sample_id")):
        if text[name]:
            values[field] = _whole(text[name])
            if values[field] is None:
                problems.append(_("Not a number: %(value)s", value=text[name][:20]))
    for name, field in (("from", "date_from"), ("to", "date_to")):
        if text[name]:
            try:
                values[field] = date.fromisoformat(text[name])
            except ValueError:
                problems.append(_("Not a date (YYYY-MM-DD): %(value)s", value=text[name][:20]))
    for name, field in (("min", "amount_min_fen"), ("max", "amount_max_fen")):
        if text[name]:
            try:
                values[field] = parse_yuan(text[name])
            except AmountError:
                problems.append(_("Not an amount in yuan: %(value)s", value=text[name][:20]))
    if text["state"]:
        if text["state"] in {s.value for s in SaleState}:
            values["state"] = SaleState(text["state"])
        else:
            problems.append(_("No such state: %(value)s", value=text["state"][:20]))
    for name in ("photo", "risk"):
        if text[name] in CHOICES:
            values[name] = CHOICES[text[name]]
        elif text[name]:
            problems.append(_("Not yes or no: %(value)s", value=text[name][:20]))
    return QueueFilter(**{k: v for k, v in values.items() if v is not None}), problems


def filter_args(f: QueueFilter) -> dict[str, str]:
    """The query string parameters of a filter (for links, the pager and hidden fields)."""
    args = {
        "outlet": f.outlet_code, "town": f.town_id, "from": f.date_from, "to": f.date_to,
        "min": _yuan_text(f.amount_min_fen), "max": _yuan_text(f.amount_max_fen),
        "state": f.state, "batch": f.batch_id, "sample": f.sample_id,
        "photo": None if f.photo is None else ("yes" if f.photo else "no"),
        "risk": None if f.risk is None else ("yes" if f.risk else "no"),
    }
    return {k: (v.isoformat() if isinstance(v, date) else str(v)) for k, v in args.items() if v is not None}


def _yuan_text(fen: int | None) -> str | None:
    """Fen as the plain yuan text the amount fields read ("1234.50")."""
    return None if fen is None else f"{fen // 100}.{fen % 100:02d}"
