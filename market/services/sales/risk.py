"""Risk signals of offline sale lines: computed for new or changed lines and for the earlier lines they concern.

A signal is stored as one OfflineSaleRisk row per kind per line, with a `detail` that lets the queue explain
it. Signals never block anything. One call runs a fixed number of statements whatever the number of lines
(ids travel as one bound parameter, see id_sets): fine for a 10,000-line import.

For each kind, the lines "judged" are those whose signal of that kind the new facts can change (e.g. every
line of the outlet and product for the median; every line carrying the same receipt number); their stored
rows of that kind are brought in line: added, updated (detail) or removed.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from fractions import Fraction
from typing import Any

import sqlalchemy as sa

from market.domain import sale_risk
from market.domain.dates import SHANGHAI, business_date
from market.domain.offline_sale import RiskKind, SaleState
from market.domain.order_flow import OrderStatus
from market.extensions import db
from market.models import (
    Listing,
    ListingPriceTier,
    OfflineSale,
    OfflineSaleRisk,
    Order,
    OrderEvent,
    OrderLine,
    Outlet,
)
from market.models.base import utcnow
from market.services.sales.id_sets import among

S = OfflineSale
MAX_LISTED = 20  # other lines or outlets named in a detail
Key = tuple[int, str]  # (sale id, risk kind)


@dataclass
class _Findings:
    """The lines judged for each kind, and the signals (with details) found among them."""

    judged: dict[RiskKind, set[int]]
    found: dict[Key, dict[str, Any]]

    def judge(self, kind: RiskKind, ids: set[int]) -> None:
        self.judged.setdefault(kind, set()).update(ids)


def refresh_risks(sale_ids: list[int]) -> None:
    """Recompute the signals of these lines and of the earlier lines they make (or stop making) suspicious."""
    if not sale_ids:
        return
    db.session.flush()
    ids = set(sale_ids)
    scope = ids | _partners(ids)
    live = S.state != SaleState.WITHDRAWN
    lines = _read(
        sa.select(S.id, S.outlet_id, S.product_id, S.sale_date, S.quantity, S.amount_fen)
        .where(among(S.id, ids), live)
    ).all()
    findings = _Findings(judged={kind: set(ids) for kind in RiskKind}, found={})
    findings.judge(RiskKind.RECEIPT_ELSEWHERE, scope)
    findings.judge(RiskKind.PHOTO_ELSEWHERE, scope)
    _elsewhere(scope, findings)
    _outliers(ids, findings)
    _unit_prices(ids, lines, findings)
    _bursts(ids, findings)
    _order_matches(lines, findings)
    _store(findings)


def neighbours(sale_ids: list[int]) -> set[int]:
    """One other live line of each group these lines are in (receipt number, receipt photo, outlet and product,
    outlet-day-amount), in four statements. Ask before deleting lines, then `refresh_risks` these after the
    delete: every group the deleted lines leave is judged again (a burst may end, a median move, a receipt
    number be found at one outlet only again)."""
    if not sale_ids:
        return set()
    gone = among(S.id, sale_ids)
    found: set[int] = set()
    for columns in ((S.receipt_no,), (S.photo_hash,), (S.outlet_id, S.product_id),
                    (S.outlet_id, S.sale_date, S.amount_fen)):
        keys = sa.select(*columns).where(gone)
        member = columns[0].in_(keys) if len(columns) == 1 else sa.tuple_(*columns).in_(keys)
        found.update(db.session.scalars(
            sa.select(sa.func.min(S.id)).where(member, ~gone, S.state != SaleState.WITHDRAWN).group_by(*columns)))
    return found


def _partners(ids: set[int]) -> set[int]:
    """Lines named by these lines' receipt/photo signals: a changed receipt number may clear theirs too."""
    details = db.session.scalars(
        sa.select(OfflineSaleRisk.detail).where(
            among(OfflineSaleRisk.sale_id, ids),
            OfflineSaleRisk.kind.in_([RiskKind.RECEIPT_ELSEWHERE, RiskKind.PHOTO_ELSEWHERE]),
        )
    )
    return {int(i) for detail in details for i in (detail or {}).get("sale_ids", [])}


def _elsewhere(scope: set[int], findings: _Findings) -> None:
    """The same receipt number, or the same receipt photo, at more than one outlet."""
    mine = sa.select(S.receipt_no).where(among(S.id, scope))
    photos = sa.select(S.photo_hash).where(among(S.id, scope), S.photo_hash.is_not(None))
    rows = _read(
        sa.select(S.id, Outlet.code, S.receipt_no, S.photo_hash)
        .join(Outlet, Outlet.id == S.outlet_id)
        .where(S.state != SaleState.WITHDRAWN, sa.or_(S.receipt_no.in_(mine), S.photo_hash.in_(photos)))
    ).all()
    for kind, column in ((RiskKind.RECEIPT_ELSEWHERE, 2), (RiskKind.PHOTO_ELSEWHERE, 3)):
        groups: dict[str, list[tuple[int, str]]] = defaultdict(list)
        for row in rows:
            if row[column] is not None:
                groups[row[column]].append((row.id, row.code))
        for value, members in groups.items():
            findings.judge(kind, {sale_id for sale_id, _code in members})
            for sale_id, code in members:
                others = sale_risk.other_outlets(code, (c for _i, c in members))
                if others:
                    other_ids = sorted(i for i, c in members if c != code)[:MAX_LISTED]
                    detail: dict[str, Any] = {"outlets": others[:MAX_LISTED], "sale_ids": other_ids}
                    if kind is RiskKind.RECEIPT_ELSEWHERE:
                        detail["receipt_no"] = value
                    findings.found[(sale_id, kind)] = detail


def _outliers(ids: set[int], findings: _Findings) -> None:
    """Amounts more than 10 times the outlet's median line for the product (every line of the pair judged)."""
    pairs = sa.select(S.outlet_id, S.product_id).where(among(S.id, ids))
    rows = _read(  # a row-value IN, as in _bursts
        sa.select(S.id, S.outlet_id, S.product_id, S.amount_fen)
        .where(sa.tuple_(S.outlet_id, S.product_id).in_(pairs), S.state != SaleState.WITHDRAWN)
    ).all()
    groups: dict[tuple[int, int], list[tuple[int, int]]] = defaultdict(list)
    for row in rows:
        groups[(row.outlet_id, row.product_id)].append((row.id, row.amount_fen))
    for members in groups.values():
        findings.judge(RiskKind.AMOUNT_OUTLIER, {sale_id for sale_id, _a in members})
        middle = sale_risk.median(a for _i, a in members)
        flags = sale_risk.amount_outliers([a for _i, a in members], middle)
        for (sale_id, amount), flagged in zip(members, flags, strict=True):
            if flagged:
                findings.found[(sale_id, RiskKind.AMOUNT_OUTLIER)] = {
                    "median_fen": _rounded(middle), "lines": len(members),
                    "times": _rounded(amount / middle) if middle else None,
                }


def _unit_prices(ids: set[int], lines: list[Any], findings: _Findings) -> None:
    """Unit prices outside 50%..200% of the product's listed price range (active listings and their tiers)."""
    products = sa.select(S.product_id).where(among(S.id, ids))
    prices = sa.union_all(
        sa.select(Listing.product_id, Listing.price_fen.label("price"))
        .where(Listing.active, Listing.product_id.in_(products)),
        sa.select(Listing.product_id, ListingPriceTier.unit_price_fen.label("price"))
        .join(Listing, Listing.id == ListingPriceTier.listing_id)
        .where(Listing.active, Listing.product_id.in_(products)),
    ).subquery()
    ranges = {
        row.product_id: (row.low, row.high)
        for row in _read(
            sa.select(prices.c.product_id, sa.func.min(prices.c.price).label("low"),
                      sa.func.max(prices.c.price).label("high")).group_by(prices.c.product_id)
        )
    }
    for line in lines:
        if line.product_id not in ranges:
            continue
        low, high = ranges[line.product_id]
        side = sale_risk.unit_price_problem(line.amount_fen, line.quantity, low, high)
        if side:
            findings.found[(line.id, RiskKind.UNIT_PRICE)] = {
                "side": side, "low_fen": low, "high_fen": high,
                "unit_fen": _rounded(Fraction(line.amount_fen, line.quantity)),
            }


def _bursts(ids: set[int], findings: _Findings) -> None:
    """More than 20 lines with the same amount on one day at one outlet (every line of such a day judged)."""
    # A row-value IN, not a join on a subquery: SQLite ran the join as a nested loop (31 s for 10,000 lines).
    days = sa.select(S.outlet_id, S.sale_date, S.amount_fen).where(among(S.id, ids))
    rows = _read(
        sa.select(S.id, S.outlet_id, S.sale_date, S.amount_fen)
        .where(sa.tuple_(S.outlet_id, S.sale_date, S.amount_fen).in_(days), S.state != SaleState.WITHDRAWN)
    ).all()
    groups: dict[tuple[int, date, int], set[int]] = defaultdict(set)
    for row in rows:
        groups[(row.outlet_id, row.sale_date, row.amount_fen)].add(row.id)
    for (_outlet, day, amount), members in groups.items():
        findings.judge(RiskKind.BURST, members)
        if sale_risk.is_burst(len(members)):
            for sale_id in members:
                findings.found[(sale_id, RiskKind.BURST)] = {
                    "lines": len(members), "amount_fen": amount, "date": day.isoformat(),
                }


def _order_matches(lines: list[Any], findings: _Findings) -> None:
    """The same outlet, product, quantity and amount as a pickup order collected that day (Asia/Shanghai)."""
    if not lines:
        return
    first = min(line.sale_date for line in lines)
    last = max(line.sale_date for line in lines)
    start = datetime.combine(first, time.min, SHANGHAI)
    end = datetime.combine(last + timedelta(days=1), time.min, SHANGHAI)
    outlets = {line.outlet_id for line in lines}
    products = {line.product_id for line in lines}
    rows = _read(
        sa.select(Order.number, Order.outlet_id, OrderLine.product_id, OrderLine.quantity,
                  OrderLine.line_total_fen, OrderEvent.created_at)
        .join(OrderLine, OrderLine.order_id == Order.id)
        .join(OrderEvent, OrderEvent.order_id == Order.id)
        .where(Order.status == OrderStatus.COMPLETED, Order.fulfilment == "pickup",
               OrderEvent.status == OrderStatus.COMPLETED,
               OrderEvent.created_at >= start, OrderEvent.created_at < end,
               among(Order.outlet_id, outlets), among(OrderLine.product_id, products))
    ).all()
    collected = {
        (business_date(row.created_at), row.outlet_id, row.product_id, row.quantity, row.line_total_fen): row.number
        for row in rows
    }
    for line in lines:
        number = collected.get((line.sale_date, line.outlet_id, line.product_id, line.quantity, line.amount_fen))
        if number:
            findings.found[(line.id, RiskKind.MATCHES_ORDER)] = {"order": number}


def _store(findings: _Findings) -> None:
    """Add, update and remove stored signals so that the judged lines carry exactly what was found."""
    judged_ids = set().union(*findings.judged.values())
    existing = {
        (row.sale_id, row.kind): (row.id, row.detail)
        for row in _read(
            sa.select(OfflineSaleRisk.id, OfflineSaleRisk.sale_id, OfflineSaleRisk.kind, OfflineSaleRisk.detail)
            .where(among(OfflineSaleRisk.sale_id, judged_ids))
        )
    }
    judged = {(sale_id, str(kind)) for kind, members in findings.judged.items() for sale_id in members}
    found = {(sale_id, str(kind)): detail for (sale_id, kind), detail in findings.found.items()}
    gone = [existing[key][0] for key in judged & existing.keys() if key not in found]
    new = [{"sale_id": s, "kind": k, "detail": d, "found_at": utcnow()}
           for (s, k), d in found.items() if (s, k) not in existing]
    changed = [{"id": existing[key][0], "detail": d} for key, d in found.items()
               if key in existing and existing[key][1] != d]
    if gone:
        db.session.execute(sa.delete(OfflineSaleRisk).where(among(OfflineSaleRisk.id, gone)),
                           execution_options={"synchronize_session": False})
    if new:
        db.session.execute(sa.insert(OfflineSaleRisk), new)
    if changed:
        db.session.execute(sa.update(OfflineSaleRisk), changed)
    touched = {s for s, _k in found} | {key[0] for key in judged & existing.keys()}
    for obj in list(db.session.identity_map.values()):
        if isinstance(obj, OfflineSale) and obj.id in touched:
            db.session.expire(obj, ["risks"])
        elif isinstance(obj, OfflineSaleRisk) and obj.sale_id in touched:
            db.session.expire(obj)


def _read(statement: sa.Executable) -> sa.CursorResult[Any]:
    """Plain rows through the session's connection: no ORM loading machinery (a third of the time for 50,000
    lines); the session was flushed first, so its changes are seen."""
    return db.session.connection().execute(statement)


def _rounded(value: Fraction) -> int:
    """Rounded half up to a whole number (for the explanation only)."""
    return int(value + Fraction(1, 2)) if value >= 0 else -int(-value + Fraction(1, 2))
