"""Categories and certified products (认定产品) with their certifications and producers."""

from __future__ import annotations

from datetime import date, datetime

import sqlalchemy as sa
from sqlalchemy import orm as so

from market.extensions import db
from market.models.base import created_column, id_column
from market.models.certification import CertificationMixin
from market.models.household import Producer

product_producers = sa.Table(
    "product_producers",
    db.Model.metadata,
    sa.Column("product_id", sa.ForeignKey("products.id", ondelete="CASCADE"), primary_key=True),
    sa.Column("producer_id", sa.ForeignKey("producers.id", ondelete="CASCADE"), primary_key=True),
)


class Category(db.Model):
    """A produce category such as apple or goat_milk; its code is used by subsidy schemes."""

    __tablename__ = "categories"

    id: so.Mapped[int] = id_column()
    code: so.Mapped[str] = so.mapped_column(sa.String(32), unique=True)
    name_zh: so.Mapped[str] = so.mapped_column(sa.String(40))
    name_en: so.Mapped[str] = so.mapped_column(sa.String(80))
    position: so.Mapped[int] = so.mapped_column(sa.Integer, default=0, server_default="0")


class Product(db.Model):
    """A specialty product the county may certify; sold by outlets through listings."""

    __tablename__ = "products"
    __table_args__ = (sa.CheckConstraint("net_grams IS NULL OR net_grams > 0", name="net_grams_positive"),)

    id: so.Mapped[int] = id_column()
    sku: so.Mapped[str] = so.mapped_column(sa.String(40), unique=True)
    name_zh: so.Mapped[str] = so.mapped_column(sa.String(80))
    name_en: so.Mapped[str] = so.mapped_column(sa.String(120))
    category_id: so.Mapped[int] = so.mapped_column(sa.ForeignKey("categories.id"), index=True)
    unit: so.Mapped[str] = so.mapped_column(sa.String(20))
    net_grams: so.Mapped[int | None] = so.mapped_column(sa.Integer)
    description: so.Mapped[str] = so.mapped_column(sa.Text, default="", server_default="")
    household_linked: so.Mapped[bool] = so.mapped_column(
        sa.Boolean, default=False, server_default=sa.false()
    )
    created_at: so.Mapped[datetime] = created_column()

    category: so.Mapped[Category] = so.relationship()
    producers: so.Mapped[list[Producer]] = so.relationship(secondary=product_producers)
    certifications: so.Mapped[list[ProductCertification]] = so.relationship(
        back_populates="product", cascade="all, delete-orphan", order_by="ProductCertification.valid_from"
    )

    def certified_on(self, day: date) -> bool:
        """True when any certification of the product holds on the day."""
        return any(c.holds_on(day) for c in self.certifications)

    def current_certification(self, day: date) -> ProductCertification | None:
        """The certification in force on the day, if any."""
        return next((c for c in self.certifications if c.holds_on(day)), None)


class ProductCertification(CertificationMixin, db.Model):
    """One certification decision for a product."""

    __tablename__ = "product_certifications"
    __table_args__ = (sa.UniqueConstraint("number"),)

    product_id: so.Mapped[int] = so.mapped_column(
        sa.ForeignKey("products.id", ondelete="CASCADE"), index=True
    )
    product: so.Mapped[Product] = so.relationship(back_populates="certifications")
