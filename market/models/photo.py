"""Listing photos: re-encoded images kept through the storage module, in the order the outlet chose."""

from __future__ import annotations

from datetime import datetime

import sqlalchemy as sa
from sqlalchemy import orm as so

from market.extensions import db
from market.models.base import created_column, id_column
from market.models.outlet import Listing


class ListingPhoto(db.Model):
    """A photo of a listing: storage keys of the picture (longest side 1600 px) and of its 400 px thumbnail.

    The first by position is the listing's picture on cards and the product page."""

    __tablename__ = "listing_photos"
    __table_args__ = (
        sa.CheckConstraint("width > 0 AND height > 0", name="size_positive"),
        sa.CheckConstraint("position >= 0", name="position_nonnegative"),
        sa.Index("ix_listing_photos_listing_id_position", "listing_id", "position"),
    )

    id: so.Mapped[int] = id_column()
    listing_id: so.Mapped[int] = so.mapped_column(sa.ForeignKey("listings.id", ondelete="CASCADE"))
    key: so.Mapped[str] = so.mapped_column(sa.String(200), unique=True)
    thumb_key: so.Mapped[str] = so.mapped_column(sa.String(200), unique=True)
    width: so.Mapped[int] = so.mapped_column(sa.Integer)
    height: so.Mapped[int] = so.mapped_column(sa.Integer)
    position: so.Mapped[int] = so.mapped_column(sa.Integer, default=0, server_default="0")
    created_at: so.Mapped[datetime] = created_column()

    listing: so.Mapped[Listing] = so.relationship()
