"""Assisted households (脱贫户/监测户) and the producers (households, cooperatives, firms) linked to them."""

from __future__ import annotations

from datetime import datetime

import sqlalchemy as sa
from sqlalchemy import orm as so

from market.extensions import db
from market.models.base import created_column, id_column
from market.models.geo import Village

HOUSEHOLD_STATUSES = ("lifted", "monitored")
PRODUCER_KINDS = ("household", "cooperative", "enterprise")

producer_households = sa.Table(
    "producer_households",
    db.Model.metadata,
    sa.Column("producer_id", sa.ForeignKey("producers.id", ondelete="CASCADE"), primary_key=True),
    sa.Column("household_id", sa.ForeignKey("households.id", ondelete="CASCADE"), primary_key=True),
)


class Household(db.Model):
    """A registered household. Personal fields are for county staff only; no national ID is stored."""

    __tablename__ = "households"
    __table_args__ = (sa.CheckConstraint("status IN ('lifted', 'monitored')", name="status_known"),)

    id: so.Mapped[int] = id_column()
    code: so.Mapped[str] = so.mapped_column(sa.String(32), unique=True)
    status: so.Mapped[str] = so.mapped_column(sa.String(16))
    village_id: so.Mapped[int] = so.mapped_column(sa.ForeignKey("villages.id"), index=True)
    members: so.Mapped[int] = so.mapped_column(sa.Integer, default=1, server_default="1")
    consent_story: so.Mapped[bool] = so.mapped_column(sa.Boolean, default=False, server_default=sa.false())
    story: so.Mapped[str | None] = so.mapped_column(sa.Text)
    # County-only personal data: never rendered on public pages.
    head_name: so.Mapped[str] = so.mapped_column(sa.String(40))
    phone: so.Mapped[str | None] = so.mapped_column(sa.String(20))
    created_at: so.Mapped[datetime] = created_column()

    village: so.Mapped[Village] = so.relationship()
    producers: so.Mapped[list[Producer]] = so.relationship(
        secondary=producer_households, back_populates="households"
    )


class Producer(db.Model):
    """Who grows or makes produce: a household, a village cooperative (合作社) or an enterprise."""

    __tablename__ = "producers"
    __table_args__ = (
        sa.CheckConstraint("kind IN ('household', 'cooperative', 'enterprise')", name="kind_known"),
    )

    id: so.Mapped[int] = id_column()
    kind: so.Mapped[str] = so.mapped_column(sa.String(16))
    name: so.Mapped[str] = so.mapped_column(sa.String(80))
    village_id: so.Mapped[int] = so.mapped_column(sa.ForeignKey("villages.id"), index=True)
    credit_code: so.Mapped[str | None] = so.mapped_column(sa.String(18))
    created_at: so.Mapped[datetime] = created_column()

    village: so.Mapped[Village] = so.relationship()
    households: so.Mapped[list[Household]] = so.relationship(
        secondary=producer_households, back_populates="producers"
    )
