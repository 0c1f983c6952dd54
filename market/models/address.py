"""Saved delivery addresses of a user."""

from __future__ import annotations

from datetime import datetime

import sqlalchemy as sa
from sqlalchemy import orm as so

from market.extensions import db
from market.models.base import created_column, id_column


class Address(db.Model):
    """A mainland delivery address: recipient, mobile, province/city/county and detail."""

    __tablename__ = "addresses"

    id: so.Mapped[int] = id_column()
    user_id: so.Mapped[int] = so.mapped_column(sa.ForeignKey("users.id", ondelete="CASCADE"), index=True)
    recipient: so.Mapped[str] = so.mapped_column(sa.String(40))
    phone: so.Mapped[str] = so.mapped_column(sa.String(20))
    province: so.Mapped[str] = so.mapped_column(sa.String(20))
    city: so.Mapped[str] = so.mapped_column(sa.String(20))
    county: so.Mapped[str] = so.mapped_column(sa.String(20))
    detail: so.Mapped[str] = so.mapped_column(sa.String(120))
    created_at: so.Mapped[datetime] = created_column()
