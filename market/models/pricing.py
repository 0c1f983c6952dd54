"""Quantity price tiers of a listing: from N units on, a lower unit price."""

from __future__ import annotations

from typing import TYPE_CHECKING

import sqlalchemy as sa
from sqlalchemy import orm as so

from market.extensions import db
from market.models.base import fen_column, id_column

if TYPE_CHECKING:
    from market.models.outlet import Listing


class ListingPriceTier(db.Model):
    """From `min_quantity` units on, each unit costs `unit_price_fen`. The rules across a listing's tiers
    (above its minimum, below its price, cheaper for more) are domain/pricing.tier_problems, checked by
    the listing service."""

    __tablename__ = "listing_price_tiers"
    __table_args__ = (
        sa.UniqueConstraint("listing_id", "min_quantity"),
        sa.CheckConstraint("min_quantity >= 2", name="min_quantity_above_one"),
        fen_column("unit_price_fen"),
    )

    id: so.Mapped[int] = id_column()
    listing_id: so.Mapped[int] = so.mapped_column(sa.ForeignKey("listings.id", ondelete="CASCADE"), index=True)
    min_quantity: so.Mapped[int] = so.mapped_column(sa.Integer)
    unit_price_fen: so.Mapped[int] = so.mapped_column(sa.Integer)

    listing: so.Mapped[Listing] = so.relationship(back_populates="price_tiers")
