"""The outlet's order desk: tabs with counts (one grouped query), search by order number or buyer phone,
the outlet filter, a page of a tab's orders, and the pick list of everything still to prepare."""

from __future__ import annotations

import re
from collections import defaultdict
from dataclasses import dataclass
from enum import StrEnum

import sqlalchemy as sa
from sqlalchemy import orm as so

from market.domain.order_flow import OrderStatus
from market.domain.paging import Page
from market.extensions import db
from market.models import Order, OrderLine, Payment, Refund, RefundLine

PER_PAGE = 20
CASH_PROVIDERS = ("pickup",)  # providers whose orders are paid at the outlet (payments.get_provider(...).pay_at_pickup)
SEARCH_MAX = 30


class DeskTab(StrEnum):
    """A tab of the desk, in the order shown. "all" lists every order (also those waiting for an online
    payment, which the outlet cannot prepare yet)."""

    TO_PREPARE = "to_prepare"
    READY = "ready"
    SHIPPED = "shipped"
    COMPLETED = "completed"
    CANCELLED = "cancelled"
    REFUNDS = "refunds"
    ALL = "all"


DESK_TABS = tuple(DeskTab)


def parse_tab(raw: str | None, searching: bool = False) -> DeskTab:
    """The tab asked for; a search without a tab looks through every order, otherwise "to prepare"."""
    try:
        return DeskTab(raw or "")
    except ValueError:
        return DeskTab.ALL if searching else DeskTab.TO_PREPARE


def _cash() -> sa.ColumnElement[bool]:
    return Payment.provider.in_(CASH_PROVIDERS)


def _tab_expression() -> sa.ColumnElement[str]:
    """The tab of each order, in SQL: to prepare are cash orders not yet made ready and orders paid online
    not yet sent on; orders placed and waiting for an online payment belong to no tab but "all"."""
    s = Order.status
    return sa.case(
        (sa.and_(s == OrderStatus.PLACED, _cash()), DeskTab.TO_PREPARE.value),
        (s.in_((OrderStatus.PAID, OrderStatus.PACKED)), DeskTab.TO_PREPARE.value),
        (s == OrderStatus.READY_FOR_PICKUP, DeskTab.READY.value),
        (s == OrderStatus.SHIPPED, DeskTab.SHIPPED.value),
        (s == OrderStatus.COMPLETED, DeskTab.COMPLETED.value),
        (s == OrderStatus.CANCELLED, DeskTab.CANCELLED.value),
        (s == OrderStatus.REFUND_REQUESTED, DeskTab.REFUNDS.value),
        else_="",
    )


def normalise_search(raw: str | None) -> str:
    """The search as typed, without spaces and dashes, upper-case (order numbers are), at most 30 characters."""
    return re.sub(r"[\s\-]+", "", raw or "").upper()[:SEARCH_MAX]


def _search(query: sa.Select, text: str) -> sa.Select:
    """Orders whose number contains the text, or whose buyer phone is it or ends with it (the last digits
    a buyer reads out at the counter, four at least)."""
    if not text:
        return query
    match = Order.number.contains(text, autoescape=True)
    if text.isdigit() and len(text) >= 4:
        match = sa.or_(match, Order.phone == text, Order.phone.endswith(text, autoescape=True))
    return query.where(match)


@dataclass(frozen=True)
class DeskPage:
    """One page of one tab of the desk, with every tab's count (for the same outlets and search)."""

    tab: DeskTab
    counts: dict[DeskTab, int]
    page: Page
    orders: list[Order]
    search: str


def desk_page(outlet_ids: list[int], tab: DeskTab, search: str = "", page: int = 1,
              per_page: int = PER_PAGE) -> DeskPage:
    """Counts of every tab in one grouped query, then one page of `tab`, newest first (lines, outlet and
    payment loaded with it)."""
    tab_of = _tab_expression()
    base = _search(sa.select().select_from(Order).outerjoin(Payment, Order.payment_id == Payment.id)
                   .where(Order.outlet_id.in_(outlet_ids)), search)
    rows = db.session.execute(base.add_columns(tab_of.label("tab"), sa.func.count()).group_by(tab_of)).all()
    counts = dict.fromkeys(DESK_TABS, 0)
    for name, count in rows:
        if name:
            counts[DeskTab(name)] += count
        counts[DeskTab.ALL] += count
    shown = Page.clamped(page, per_page, counts[tab])
    query = _search(sa.select(Order).outerjoin(Payment, Order.payment_id == Payment.id)
                    .where(Order.outlet_id.in_(outlet_ids)), search)
    if tab is not DeskTab.ALL:
        query = query.where(tab_of == tab.value)
    query = query.options(so.contains_eager(Order.payment), so.joinedload(Order.outlet),
                          so.selectinload(Order.lines))
    found = list(db.session.scalars(query.order_by(Order.id.desc()).offset(shown.offset).limit(per_page)).unique())
    return DeskPage(tab=tab, counts=counts, page=shown, orders=found, search=search)


def to_prepare(outlet_ids: list[int]) -> list[Order]:
    """Every order still to prepare at these outlets, oldest first (the pick list's orders)."""
    query = (sa.select(Order).outerjoin(Payment, Order.payment_id == Payment.id)
             .where(Order.outlet_id.in_(outlet_ids), _tab_expression() == DeskTab.TO_PREPARE.value)
             .options(so.contains_eager(Order.payment), so.joinedload(Order.outlet), so.selectinload(Order.lines))
             .order_by(Order.outlet_id, Order.id))
    return list(db.session.scalars(query).unique())


@dataclass(frozen=True)
class PickLine:
    """One product to take off the shelf: how many units, for how many orders."""

    sku: str
    name_zh: str
    name_en: str
    unit: str
    quantity: int
    orders: int


def pick_totals(orders: list[Order]) -> dict[int, list[PickLine]]:
    """The units to pick per outlet (by outlet id) and product, summed over the orders, by SKU."""
    units: dict[tuple[int, str], int] = defaultdict(int)
    orders_of: dict[tuple[int, str], set[int]] = defaultdict(set)
    first: dict[tuple[int, str], OrderLine] = {}
    for order in orders:
        for line in order.lines:
            key = (order.outlet_id, line.sku)
            units[key] += line.quantity
            orders_of[key].add(order.id)
            first.setdefault(key, line)
    result: dict[int, list[PickLine]] = defaultdict(list)
    for key in sorted(units):
        line = first[key]
        result[key[0]].append(PickLine(line.sku, line.name_zh, line.name_en, line.unit, units[key],
                                       len(orders_of[key])))
    return dict(result)


def order_refunds(order: Order) -> list[Refund]:
    """The order's refunds, newest first, with their lines."""
    return list(db.session.scalars(
        sa.select(Refund).where(Refund.order_id == order.id).order_by(Refund.id.desc())
        .options(so.selectinload(Refund.lines).joinedload(RefundLine.order_line))))
