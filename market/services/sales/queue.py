"""The county's verification queue of offline sale lines: one filter, its totals and one page of lines.

A page is three statements whatever its filter: the totals by state, the page's lines with their outlet, product
and risk signals (the page is limited in a subquery, then joined), and the samples they were drawn in.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass, fields
from datetime import date
from typing import Any

import sqlalchemy as sa
from sqlalchemy import orm as so

from market.domain.offline_sale import SaleState
from market.domain.paging import Page
from market.extensions import db
from market.models import OfflineSale, OfflineSaleRisk, Outlet
from market.models.offline_sale import offline_sale_sample_lines

S = OfflineSale
PAGE_SIZE = 50


@dataclass(frozen=True)
class QueueFilter:
    """Which lines: every field None means "any". Amounts in fen, dates inclusive (Asia/Shanghai)."""

    outlet_code: str | None = None
    town_id: int | None = None
    date_from: date | None = None
    date_to: date | None = None
    amount_min_fen: int | None = None
    amount_max_fen: int | None = None
    state: SaleState | None = None
    batch_id: int | None = None
    photo: bool | None = None  # with (True) or without (False) a receipt photo
    risk: bool | None = None  # with (True) or without (False) a risk signal
    sample_id: int | None = None

    def criteria(self) -> dict[str, Any]:
        """The fields that are set, as JSON values (recorded with a sample)."""
        return {k: (v.isoformat() if isinstance(v, date) else v) for k, v in asdict(self).items() if v is not None}

    @classmethod
    def from_criteria(cls, criteria: dict[str, Any]) -> QueueFilter:
        """The filter `criteria()` recorded."""
        values = {f.name: criteria.get(f.name) for f in fields(cls)}
        for name in ("date_from", "date_to"):
            if values[name] is not None:
                values[name] = date.fromisoformat(values[name])
        if values["state"] is not None:
            values["state"] = SaleState(values["state"])
        return cls(**values)


@dataclass
class QueuePage:
    """One page of the queue: its lines (outlet, product and risks loaded), where it is, the totals by state
    of the whole filter, and for each line on the page the samples it was drawn in."""

    lines: list[OfflineSale]
    page: Page
    totals: dict[str, tuple[int, int]]  # state -> (lines, fen)
    samples: dict[int, list[int]]

    @property
    def count(self) -> int:
        """Lines matching the filter."""
        return sum(n for n, _fen in self.totals.values())

    @property
    def total_fen(self) -> int:
        """Their amount."""
        return sum(fen for _n, fen in self.totals.values())


def conditions(f: QueueFilter) -> list[sa.ColumnElement[bool]]:
    """The WHERE clauses of a filter over offline_sales."""
    where: list[sa.ColumnElement[bool]] = []
    if f.outlet_code is not None:
        where.append(S.outlet_id == sa.select(Outlet.id).where(Outlet.code == f.outlet_code).scalar_subquery())
    if f.town_id is not None:
        where.append(S.outlet_id.in_(sa.select(Outlet.id).where(Outlet.town_id == f.town_id)))
    if f.date_from is not None:
        where.append(S.sale_date >= f.date_from)
    if f.date_to is not None:
        where.append(S.sale_date <= f.date_to)
    if f.amount_min_fen is not None:
        where.append(S.amount_fen >= f.amount_min_fen)
    if f.amount_max_fen is not None:
        where.append(S.amount_fen <= f.amount_max_fen)
    if f.state is not None:
        where.append(S.state == f.state)
    if f.batch_id is not None:
        where.append(S.batch_id == f.batch_id)
    if f.photo is not None:
        where.append(S.photo_key.is_not(None) if f.photo else S.photo_key.is_(None))
    if f.risk is not None:
        flagged = sa.exists().where(OfflineSaleRisk.sale_id == S.id)
        where.append(flagged if f.risk else ~flagged)
    if f.sample_id is not None:
        lines = offline_sale_sample_lines.c
        where.append(S.id.in_(sa.select(lines.sale_id).where(lines.sample_id == f.sample_id)))
    return where


def totals(f: QueueFilter) -> dict[str, tuple[int, int]]:
    """Lines and fen of the filter, by state (states without lines left out)."""
    rows = db.session.execute(
        sa.select(S.state, sa.func.count(), sa.func.coalesce(sa.func.sum(S.amount_fen), 0))
        .where(*conditions(f)).group_by(S.state)
    )
    return {state: (int(n), int(fen)) for state, n, fen in rows}


def queue_page(f: QueueFilter, requested_page: int, size: int = PAGE_SIZE) -> QueuePage:
    """The filter's totals and one page of its lines, oldest sale first."""
    by_state = totals(f)
    page = Page.clamped(requested_page, size, sum(n for n, _fen in by_state.values()))
    lines = list(db.session.scalars(
        sa.select(S).where(*conditions(f))
        .order_by(S.sale_date, S.id).offset(page.offset).limit(page.size)
        .options(so.joinedload(S.outlet), so.joinedload(S.product), so.joinedload(S.risks))
    ).unique())
    return QueuePage(lines=lines, page=page, totals=by_state, samples=samples_of([s.id for s in lines]))


def samples_of(sale_ids: list[int]) -> dict[int, list[int]]:
    """For each of these lines that was drawn in a sample, the samples' ids (in drawing order)."""
    if not sale_ids:
        return {}
    c = offline_sale_sample_lines.c
    found: dict[int, list[int]] = {}
    for sale_id, sample_id in db.session.execute(
        sa.select(c.sale_id, c.sample_id).where(c.sale_id.in_(sale_ids)).order_by(c.sample_id)
    ):
        found.setdefault(sale_id, []).append(sample_id)
    return found


def matching_ids(f: QueueFilter) -> list[int]:
    """The ids of every line matching the filter (a sample's population), ascending."""
    return list(db.session.scalars(sa.select(S.id).where(*conditions(f)).order_by(S.id)))
