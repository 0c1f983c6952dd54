"""Certified outlets (帮扶专柜/消费帮扶馆/专区/网店), their certifications and their listings."""

from __future__ import annotations

from datetime import date, datetime
from typing import TYPE_CHECKING

import sqlalchemy as sa
from sqlalchemy import orm as so

from market.extensions import db
from market.models.base import created_column, fen_column, id_column
from market.models.catalog import Product
from market.models.certification import CertificationMixin
from market.models.geo import Town

if TYPE_CHECKING:
    from market.models.pricing import ListingPriceTier
    from market.models.user import OutletMembership

OUTLET_KINDS = ("counter", "hall", "zone", "online")


class Outlet(db.Model):
    """A point of sale; its certification decides whether its sales earn a subsidy."""

    __tablename__ = "outlets"
    __table_args__ = (
        sa.CheckConstraint("kind IN ('counter', 'hall', 'zone', 'online')", name="kind_known"),
    )

    id: so.Mapped[int] = id_column()
    code: so.Mapped[str] = so.mapped_column(sa.String(32), unique=True)
    kind: so.Mapped[str] = so.mapped_column(sa.String(16))
    name: so.Mapped[str] = so.mapped_column(sa.String(80))
    address: so.Mapped[str] = so.mapped_column(sa.String(200))
    town_id: so.Mapped[int | None] = so.mapped_column(sa.ForeignKey("towns.id"), index=True)
    operator: so.Mapped[str] = so.mapped_column(sa.String(80))
    credit_code: so.Mapped[str | None] = so.mapped_column(sa.String(18))
    contact_name: so.Mapped[str | None] = so.mapped_column(sa.String(40))
    contact_phone: so.Mapped[str | None] = so.mapped_column(sa.String(20))
    bank_account_name: so.Mapped[str | None] = so.mapped_column(sa.String(80))
    bank_name: so.Mapped[str | None] = so.mapped_column(sa.String(80))
    bank_account_number: so.Mapped[str | None] = so.mapped_column(sa.String(34))
    # The outlet's profile, which its owners edit themselves (the fields above are what the county certified;
    # contact_phone is the contact person's, kept private): shown to buyers on the shop page and the poster.
    shop_phone: so.Mapped[str] = so.mapped_column(sa.String(20), default="", server_default="")
    opening_hours: so.Mapped[str] = so.mapped_column(sa.String(120), default="", server_default="")
    pickup_address: so.Mapped[str] = so.mapped_column(sa.String(200), default="", server_default="")
    description_zh: so.Mapped[str] = so.mapped_column(sa.String(500), default="", server_default="")
    description_en: so.Mapped[str] = so.mapped_column(sa.String(500), default="", server_default="")
    created_at: so.Mapped[datetime] = created_column()

    town: so.Mapped[Town | None] = so.relationship()
    certifications: so.Mapped[list[OutletCertification]] = so.relationship(
        back_populates="outlet", cascade="all, delete-orphan", order_by="OutletCertification.valid_from"
    )
    listings: so.Mapped[list[Listing]] = so.relationship(back_populates="outlet")
    memberships: so.Mapped[list[OutletMembership]] = so.relationship(back_populates="outlet")

    def certified_on(self, day: date) -> bool:
        """True when any certification of the outlet holds on the day."""
        return any(c.holds_on(day) for c in self.certifications)

    def current_certification(self, day: date) -> OutletCertification | None:
        """The certification in force on the day, if any."""
        return next((c for c in self.certifications if c.holds_on(day)), None)


class OutletCertification(CertificationMixin, db.Model):
    """One certification decision for an outlet."""

    __tablename__ = "outlet_certifications"
    __table_args__ = (sa.UniqueConstraint("number"),)

    outlet_id: so.Mapped[int] = so.mapped_column(sa.ForeignKey("outlets.id", ondelete="CASCADE"), index=True)
    outlet: so.Mapped[Outlet] = so.relationship(back_populates="certifications")


class Listing(db.Model):
    """An outlet offering a product: price in fen, stock, minimum quantity and an optional season."""

    __tablename__ = "listings"
    __table_args__ = (
        sa.UniqueConstraint("outlet_id", "product_id"),
        fen_column("price_fen"),
        sa.CheckConstraint("stock >= 0", name="stock_nonnegative"),
        sa.CheckConstraint("min_quantity >= 1", name="min_quantity_positive"),
        sa.CheckConstraint(
            "(season_start IS NULL AND season_end IS NULL) OR "
            "(season_start BETWEEN 1 AND 12 AND season_end BETWEEN 1 AND 12)",
            name="season_months",
        ),
    )

    id: so.Mapped[int] = id_column()
    outlet_id: so.Mapped[int] = so.mapped_column(sa.ForeignKey("outlets.id", ondelete="CASCADE"), index=True)
    product_id: so.Mapped[int] = so.mapped_column(sa.ForeignKey("products.id"), index=True)
    price_fen: so.Mapped[int] = so.mapped_column(sa.Integer)
    unit: so.Mapped[str] = so.mapped_column(sa.String(20))
    stock: so.Mapped[int] = so.mapped_column(sa.Integer, default=0, server_default="0")
    min_quantity: so.Mapped[int] = so.mapped_column(sa.Integer, default=1, server_default="1")
    active: so.Mapped[bool] = so.mapped_column(sa.Boolean, default=True, server_default=sa.true())
    featured: so.Mapped[bool] = so.mapped_column(sa.Boolean, default=False, server_default=sa.false())
    season_start: so.Mapped[int | None] = so.mapped_column(sa.SmallInteger)
    season_end: so.Mapped[int | None] = so.mapped_column(sa.SmallInteger)
    created_at: so.Mapped[datetime] = created_column()

    outlet: so.Mapped[Outlet] = so.relationship(back_populates="listings")
    product: so.Mapped[Product] = so.relationship()
    price_tiers: so.Mapped[list[ListingPriceTier]] = so.relationship(
        back_populates="listing", cascade="all, delete-orphan", order_by="ListingPriceTier.min_quantity"
    )

    def in_season(self, month: int) -> bool:
        """True when the month is inside the season window (which may wrap over the new year)."""
        if self.season_start is None or self.season_end is None:
            return True
        if self.season_start <= self.season_end:
            return self.season_start <= month <= self.season_end
        return month >= self.season_start or month <= self.season_end
