"""Figures for each role's landing page, read from the database in a few aggregate queries."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta

import sqlalchemy as sa
from sqlalchemy import orm as so

from market.domain.certification import lapse
from market.domain.order_flow import OPEN_STATUSES
from market.extensions import db
from market.models import (
    Household,
    Institution,
    InstitutionMembership,
    Listing,
    Order,
    Outlet,
    OutletCertification,
    OutletMembership,
    PaymentIssue,
    Producer,
    Product,
    ProductCertification,
    User,
)
from market.services.catalog.search import certified_on


@dataclass(frozen=True)
class OutletSummary:
    """One outlet as its staff see it on their landing page."""

    outlet: Outlet
    is_owner: bool
    certification: OutletCertification | None
    active_listings: int
    stock_units: int
    out_of_stock: int
    open_orders: int = 0


def outlets_for(user: User, day: date) -> list[OutletSummary]:
    """The outlets the user works for (every outlet for an admin), with listing and stock figures."""
    if "admin" in user.role_names:
        rows = [(o, False) for o in db.session.scalars(sa.select(Outlet).order_by(Outlet.code))]
    else:
        rows = [
            (m.outlet, m.is_owner)
            for m in db.session.scalars(
                sa.select(OutletMembership)
                .where(OutletMembership.user_id == user.id)
                .options(so.joinedload(OutletMembership.outlet))
            )
        ]
        rows.sort(key=lambda r: r[0].code)
    ids = [o.id for o, _ in rows]
    stats = {
        oid: (n, units, empty)
        for oid, n, units, empty in db.session.execute(
            sa.select(
                Listing.outlet_id,
                sa.func.count(Listing.id),
                sa.func.coalesce(sa.func.sum(Listing.stock), 0),
                sa.func.sum(sa.case((Listing.stock == 0, 1), else_=0)),
            )
            .where(Listing.outlet_id.in_(ids), Listing.active.is_(True))
            .group_by(Listing.outlet_id)
        )
    }
    open_orders = dict(
        db.session.execute(
            sa.select(Order.outlet_id, sa.func.count(Order.id))
            .where(Order.outlet_id.in_(ids), Order.status.in_(OPEN_STATUSES))
            .group_by(Order.outlet_id)
        ).all()
    )
    certs = db.session.scalars(
        sa.select(OutletCertification).where(OutletCertification.outlet_id.in_(ids))
    ).all()
    current = {c.outlet_id: c for c in certs if c.holds_on(day)}
    return [
        OutletSummary(o, owner, current.get(o.id), *(int(x or 0) for x in stats.get(o.id, (0, 0, 0))),
                      open_orders=open_orders.get(o.id, 0))
        for o, owner in rows
    ]


@dataclass(frozen=True)
class CountyFigures:
    """The county back-office's headline figures."""

    outlets_total: int
    outlets_certified: int
    products_total: int
    products_certified: int
    households_lifted: int
    households_monitored: int
    producers_by_kind: dict[str, int]
    expiring_soon: list[OutletCertification]
    open_issues: int = 0
    lapsed_outlets: tuple[tuple[Outlet, str, date | None], ...] = ()


def county_figures(day: date, horizon_days: int = 60) -> CountyFigures:
    """Certification and register figures as of the day; certificates ending within the horizon."""
    count = sa.func.count
    outlets_certified = db.session.scalar(
        sa.select(count(Outlet.id)).where(
            certified_on(OutletCertification, OutletCertification.outlet_id, Outlet.id, day)
        )
    )
    products_certified = db.session.scalar(
        sa.select(count(Product.id)).where(
            certified_on(ProductCertification, ProductCertification.product_id, Product.id, day)
        )
    )
    households = dict(
        db.session.execute(sa.select(Household.status, count(Household.id)).group_by(Household.status)).all()
    )
    producers = dict(
        db.session.execute(sa.select(Producer.kind, count(Producer.id)).group_by(Producer.kind)).all()
    )
    expiring = db.session.scalars(
        sa.select(OutletCertification)
        .where(
            OutletCertification.valid_from <= day,
            OutletCertification.valid_to.between(day, day + timedelta(days=horizon_days)),
            OutletCertification.revoked_on.is_(None),
        )
        .options(so.joinedload(OutletCertification.outlet))
        .order_by(OutletCertification.valid_to)
    ).all()
    return CountyFigures(
        outlets_total=db.session.scalar(sa.select(count(Outlet.id))) or 0,
        outlets_certified=outlets_certified or 0,
        products_total=db.session.scalar(sa.select(count(Product.id))) or 0,
        products_certified=products_certified or 0,
        households_lifted=households.get("lifted", 0),
        households_monitored=households.get("monitored", 0),
        producers_by_kind=producers,
        expiring_soon=list(expiring),
        lapsed_outlets=_lapsed_outlets(day),
        open_issues=db.session.scalar(
            sa.select(count(PaymentIssue.id)).where(PaymentIssue.resolved_at.is_(None))
        ) or 0,
    )


def _lapsed_outlets(day: date) -> tuple[tuple[Outlet, str, date | None], ...]:
    """Outlets not certified on the day, with why (expired, revoked, pending, never) and since when."""
    outlets = db.session.scalars(
        sa.select(Outlet).options(so.selectinload(Outlet.certifications)).order_by(Outlet.code)
    ).all()
    rows = []
    for outlet in outlets:
        why = lapse([c.window for c in outlet.certifications], day)
        if why is not None:
            rows.append((outlet, *why))
    return tuple(rows)


def institutions_for(user: User) -> list[tuple[Institution, bool, int]]:
    """(institution, is_owner, member count) for each institution the user buys for."""
    other = so.aliased(InstitutionMembership)
    members = (
        sa.select(sa.func.count(other.id))
        .where(other.institution_id == Institution.id)
        .correlate(Institution)
        .scalar_subquery()
    )
    query = (
        sa.select(Institution, InstitutionMembership.is_owner, members)
        .join(InstitutionMembership, InstitutionMembership.institution_id == Institution.id)
        .where(InstitutionMembership.user_id == user.id)
        .order_by(Institution.name)
    )
    return [(i, bool(owner), int(n)) for i, owner, n in db.session.execute(query)]

