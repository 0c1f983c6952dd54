"""Reading the catalogue: which listings are purchasable today, and simple search."""

from __future__ import annotations

from datetime import date

import sqlalchemy as sa
from sqlalchemy import orm as so

from market.extensions import db
from market.models import Listing, Outlet, OutletCertification, Product, ProductCertification
from market.models.certification import CertificationMixin


def certified_on(cert: type[CertificationMixin], owner_fk: sa.ColumnElement, owner_id: sa.ColumnElement,
                 day: date) -> sa.ColumnElement[bool]:
    """SQL: some certification of the owner holds on the day (same rule as domain.certification)."""
    return sa.exists().where(
        owner_fk == owner_id,
        cert.valid_from <= day,
        sa.or_(cert.valid_to.is_(None), cert.valid_to >= day),
        sa.or_(cert.revoked_on.is_(None), cert.revoked_on > day),
    )


def purchasable(day: date) -> list[sa.ColumnElement[bool]]:
    """Conditions for a listing that may be sold on the day: active, outlet and product certified."""
    return [
        Listing.active.is_(True),
        certified_on(OutletCertification, OutletCertification.outlet_id, Listing.outlet_id, day),
        certified_on(ProductCertification, ProductCertification.product_id, Listing.product_id, day),
    ]


def _listing_query(day: date) -> sa.Select[tuple[Listing]]:
    return (
        sa.select(Listing)
        .join(Listing.product)
        .join(Listing.outlet)
        .where(*purchasable(day))
        .options(
            so.contains_eager(Listing.product).joinedload(Product.category),
            so.contains_eager(Listing.outlet),
        )
    )


def featured_listings(day: date, limit: int = 12) -> list[Listing]:
    """Purchasable listings for the home page: featured and in season first, then the newest."""
    month = day.month
    in_season = sa.case(
        (Listing.season_start.is_(None), 1),
        (sa.and_(Listing.season_start <= Listing.season_end,
                 Listing.season_start <= month, Listing.season_end >= month), 1),
        (sa.and_(Listing.season_start > Listing.season_end,
                 sa.or_(Listing.season_start <= month, Listing.season_end >= month)), 1),
        else_=0,
    )
    query = _listing_query(day).order_by(
        Listing.featured.desc(), in_season.desc(), Listing.created_at.desc(), Listing.id
    ).limit(limit)
    return list(db.session.scalars(query))


def search_listings(day: date, text: str, limit: int = 40) -> list[Listing]:
    """Purchasable listings whose product name or description contains the text (any language)."""
    needle = text.strip()[:100]
    if not needle:
        return []
    pattern = "%" + needle.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_") + "%"
    query = _listing_query(day).where(
        sa.or_(
            Product.name_zh.ilike(pattern, escape="\\"),
            Product.name_en.ilike(pattern, escape="\\"),
            Product.description.ilike(pattern, escape="\\"),
        )
    ).order_by(Listing.price_fen, Listing.id).limit(limit)
    return list(db.session.scalars(query))


def outlet_count_certified(day: date) -> int:
    """How many outlets are certified on the day."""
    return db.session.scalar(
        sa.select(sa.func.count(Outlet.id)).where(
            certified_on(OutletCertification, OutletCertification.outlet_id, Outlet.id, day)
        )
    ) or 0
