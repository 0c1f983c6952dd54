"""The ways into the catalogue: categories, towns with their villages, and the certified outlets."""

from __future__ import annotations

from datetime import date

import sqlalchemy as sa

from market.domain.paging import Page
from market.extensions import db
from market.models import Category, Outlet, OutletCertification, Town, Village
from market.services.catalog.search import certified_on
from market.services.catalog.values import CategoryRef, OutletRef, PlaceRef, TownRef

OUTLETS_PAGE_SIZE = 30


def categories() -> tuple[CategoryRef, ...]:
    """Every produce category in display order."""
    rows = db.session.execute(
        sa.select(Category.code, Category.name_zh, Category.name_en).order_by(Category.position, Category.code)
    )
    return tuple(CategoryRef(*row) for row in rows)


def category(code: str) -> CategoryRef | None:
    """The category with this code, if there is one."""
    row = db.session.execute(
        sa.select(Category.code, Category.name_zh, Category.name_en).where(Category.code == code)
    ).first()
    return CategoryRef(*row) if row else None


def towns() -> tuple[TownRef, ...]:
    """The towns of the county, by code (villages not loaded)."""
    rows = db.session.execute(sa.select(Town.code, Town.name_zh, Town.name_en).order_by(Town.code))
    return tuple(TownRef(*row) for row in rows)


def town(code: str) -> TownRef | None:
    """The town with this code and its villages, in one query; None for an unknown code."""
    rows = db.session.execute(
        sa.select(Town.code, Town.name_zh, Town.name_en, Village.code, Village.name_zh, Village.name_en)
        .outerjoin(Village, Village.town_id == Town.id)
        .where(Town.code == code)
        .order_by(Village.code)
    ).all()
    if not rows:
        return None
    villages = tuple(PlaceRef(v_code, v_zh, v_en) for *_, v_code, v_zh, v_en in rows if v_code is not None)
    return TownRef(rows[0][0], rows[0][1], rows[0][2], villages=villages)


def _outlet_ref(row: sa.Row) -> OutletRef:
    code, name, kind, t_code, t_zh, t_en = row
    return OutletRef(code=code, name=name, kind=kind, town=PlaceRef(t_code, t_zh, t_en) if t_code else None)


def _outlets_select(day: date, kind: str | None) -> sa.Select:
    query = (
        sa.select(Outlet.code, Outlet.name, Outlet.kind, Town.code, Town.name_zh, Town.name_en)
        .outerjoin(Town, Town.id == Outlet.town_id)
        .where(certified_on(OutletCertification, OutletCertification.outlet_id, Outlet.id, day))
        .order_by(Outlet.code)
    )
    return query.where(Outlet.kind == kind) if kind else query


def certified_outlets(day: date, page_number: int = 1, kind: str | None = None,
                      size: int = OUTLETS_PAGE_SIZE) -> tuple[tuple[OutletRef, ...], Page]:
    """A page of the outlets certified on the day (optionally of one kind), by code. Two queries."""
    query = _outlets_select(day, kind)
    total = db.session.scalar(sa.select(sa.func.count()).select_from(query.order_by(None).subquery())) or 0
    page = Page.clamped(page_number, size, total)
    rows = db.session.execute(query.limit(page.size).offset(page.offset)) if total else []
    return tuple(_outlet_ref(r) for r in rows), page


def first_certified_outlets(day: date, limit: int) -> tuple[tuple[OutletRef, ...], bool]:
    """The first `limit` outlets certified on the day, and whether there are more. One query."""
    rows = db.session.execute(_outlets_select(day, None).limit(limit + 1)).all()
    return tuple(_outlet_ref(r) for r in rows[:limit]), len(rows) > limit
