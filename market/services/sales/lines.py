"""The outlet's view of its offline sale lines: the filtered, paged list with totals by state, this month's
figures for the landing page, and the rows of an export. Reads only; every query is scoped to outlet ids the
caller has already checked the user works for."""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field
from datetime import date

import sqlalchemy as sa
from sqlalchemy import orm as so

from market.domain.offline_sale import SaleState
from market.domain.paging import Page
from market.extensions import db
from market.models import OfflineSale, OfflineSaleBatch, Outlet, Product

PAGE_SIZE = 50
EXPORT_CHUNK = 2000


@dataclass(frozen=True)
class SaleFilter:
    """What the list shows: a date range (inclusive), a state, a product, a batch; None means any."""

    date_from: date | None = None
    date_to: date | None = None
    state: SaleState | None = None
    product_id: int | None = None
    batch_id: int | None = None

    def where(self, outlet_ids: Sequence[int]) -> list[sa.ColumnElement[bool]]:
        """The conditions, always within the outlets."""
        conditions = [OfflineSale.outlet_id.in_(outlet_ids)]
        if self.date_from is not None:
            conditions.append(OfflineSale.sale_date >= self.date_from)
        if self.date_to is not None:
            conditions.append(OfflineSale.sale_date <= self.date_to)
        if self.state is not None:
            conditions.append(OfflineSale.state == self.state.value)
        if self.product_id is not None:
            conditions.append(OfflineSale.product_id == self.product_id)
        if self.batch_id is not None:
            conditions.append(OfflineSale.batch_id == self.batch_id)
        return conditions


@dataclass(frozen=True)
class StateTotal:
    """How many lines are in a state and what they add up to."""

    lines: int = 0
    amount_fen: int = 0


@dataclass(frozen=True)
class SalesPage:
    """One page of lines (newest sale date first) with the totals of everything the filter selects."""

    lines: list[OfflineSale]
    page: Page
    totals: dict[SaleState, StateTotal] = field(default_factory=dict)


def totals_by_state(outlet_ids: Sequence[int], criteria: SaleFilter) -> dict[SaleState, StateTotal]:
    """Lines and amount per state (every state present, zero when none), in one grouped query."""
    found = {state: StateTotal() for state in SaleState}
    if outlet_ids:
        rows = db.session.execute(
            sa.select(OfflineSale.state, sa.func.count(OfflineSale.id), sa.func.sum(OfflineSale.amount_fen))
            .where(*criteria.where(outlet_ids)).group_by(OfflineSale.state))
        for state, count, amount in rows:
            found[SaleState(state)] = StateTotal(int(count), int(amount or 0))
    return found


def sales_page(outlet_ids: Sequence[int], criteria: SaleFilter, page_number: int,
               size: int = PAGE_SIZE) -> SalesPage:
    """The page of lines with product, outlet and batch loaded, and the totals by state."""
    totals = totals_by_state(outlet_ids, criteria)
    page = Page.clamped(page_number, size, sum(t.lines for t in totals.values()))
    lines: list[OfflineSale] = []
    if page.total:
        lines = list(db.session.scalars(
            sa.select(OfflineSale).where(*criteria.where(outlet_ids))
            .options(so.joinedload(OfflineSale.product), so.joinedload(OfflineSale.outlet),
                     so.joinedload(OfflineSale.batch))
            .order_by(OfflineSale.sale_date.desc(), OfflineSale.id.desc())
            .offset(page.offset).limit(page.size)))
    return SalesPage(lines, page, totals)


def month_totals(outlet_ids: Sequence[int], today: date) -> dict[int, dict[SaleState, StateTotal]]:
    """This calendar month's lines per outlet and state (by sale date), for the landing page."""
    first = today.replace(day=1)
    found: dict[int, dict[SaleState, StateTotal]] = {oid: {s: StateTotal() for s in SaleState} for oid in outlet_ids}
    if outlet_ids:
        rows = db.session.execute(
            sa.select(OfflineSale.outlet_id, OfflineSale.state, sa.func.count(OfflineSale.id),
                      sa.func.sum(OfflineSale.amount_fen))
            .where(OfflineSale.outlet_id.in_(outlet_ids), OfflineSale.sale_date.between(first, today))
            .group_by(OfflineSale.outlet_id, OfflineSale.state))
        for outlet_id, state, count, amount in rows:
            found[outlet_id][SaleState(state)] = StateTotal(int(count), int(amount or 0))
    return found


def waiting_totals(outlet_ids: Sequence[int]) -> dict[int, StateTotal]:
    """Per outlet, every line waiting for the county (unverified, whatever its date)."""
    found = {oid: StateTotal() for oid in outlet_ids}
    if outlet_ids:
        rows = db.session.execute(
            sa.select(OfflineSale.outlet_id, sa.func.count(OfflineSale.id), sa.func.sum(OfflineSale.amount_fen))
            .where(OfflineSale.outlet_id.in_(outlet_ids), OfflineSale.state == SaleState.UNVERIFIED.value)
            .group_by(OfflineSale.outlet_id))
        for outlet_id, count, amount in rows:
            found[outlet_id] = StateTotal(int(count), int(amount or 0))
    return found


def products_sold(outlet_ids: Sequence[int]) -> list[Product]:
    """The products the outlets have lines of, by code (the list's product filter)."""
    if not outlet_ids:
        return []
    ids = sa.select(OfflineSale.product_id).where(OfflineSale.outlet_id.in_(outlet_ids)).distinct()
    return list(db.session.scalars(sa.select(Product).where(Product.id.in_(ids)).order_by(Product.sku)))


def batches_of(outlet_ids: Sequence[int]) -> list[OfflineSaleBatch]:
    """The outlets' import batches, newest first (the list's batch filter)."""
    if not outlet_ids:
        return []
    return list(db.session.scalars(sa.select(OfflineSaleBatch).where(OfflineSaleBatch.outlet_id.in_(outlet_ids))
                                   .order_by(OfflineSaleBatch.id.desc())))


def export_lines(outlet: Outlet, criteria: SaleFilter) -> Iterator[sa.Row[tuple]]:
    """Every line of the outlet the filter selects, by sale date, as plain rows (no objects kept), read in
    chunks by keyset so a long export holds one chunk at a time."""
    columns = (OfflineSale.id, OfflineSale.sale_date, OfflineSale.receipt_no, Product.sku, Product.name_zh,
               Product.name_en, OfflineSale.quantity, OfflineSale.amount_fen, OfflineSale.payment_method,
               OfflineSale.state, OfflineSale.reason, OfflineSale.batch_id, OfflineSale.note)
    after: tuple[date, int] | None = None
    while True:
        query = (sa.select(*columns).join(Product, Product.id == OfflineSale.product_id)
                 .where(*criteria.where([outlet.id])))
        if after is not None:
            query = query.where(sa.tuple_(OfflineSale.sale_date, OfflineSale.id) > after)
        chunk = db.session.execute(query.order_by(OfflineSale.sale_date, OfflineSale.id).limit(EXPORT_CHUNK)).all()
        yield from chunk
        if len(chunk) < EXPORT_CHUNK:
            return
        after = (chunk[-1].sale_date, chunk[-1].id)
