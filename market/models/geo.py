"""Towns (镇) and villages (村) of Long County."""

from __future__ import annotations

import sqlalchemy as sa
from sqlalchemy import orm as so

from market.extensions import db
from market.models.base import id_column


class Town(db.Model):
    """A town of Long County, e.g. 东风镇."""

    __tablename__ = "towns"

    id: so.Mapped[int] = id_column()
    code: so.Mapped[str] = so.mapped_column(sa.String(20), unique=True)
    name_zh: so.Mapped[str] = so.mapped_column(sa.String(40), unique=True)
    name_en: so.Mapped[str] = so.mapped_column(sa.String(80))

    villages: so.Mapped[list[Village]] = so.relationship(back_populates="town", order_by="Village.code")


class Village(db.Model):
    """A village (行政村) within a town."""

    __tablename__ = "villages"
    __table_args__ = (sa.UniqueConstraint("town_id", "name_zh"),)

    id: so.Mapped[int] = id_column()
    code: so.Mapped[str] = so.mapped_column(sa.String(20), unique=True)
    town_id: so.Mapped[int] = so.mapped_column(sa.ForeignKey("towns.id"), index=True)
    name_zh: so.Mapped[str] = so.mapped_column(sa.String(40))
    name_en: so.Mapped[str] = so.mapped_column(sa.String(80))

    town: so.Mapped[Town] = so.relationship(back_populates="villages")
