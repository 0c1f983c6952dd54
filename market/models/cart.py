"""Carts in the database: an account's, or a guest's keyed by a random token in the session cookie."""

from __future__ import annotations

from datetime import datetime

import sqlalchemy as sa
from sqlalchemy import orm as so

from market.extensions import db
from market.models.base import UTCDateTime, created_column, fen_column, id_column, utcnow
from market.models.outlet import Listing


class Cart(db.Model):
    """One cart per user, or per guest token until the guest logs in."""

    __tablename__ = "carts"
    __table_args__ = (
        sa.CheckConstraint("(user_id IS NULL) <> (token IS NULL)", name="owner_xor_token"),
    )

    id: so.Mapped[int] = id_column()
    user_id: so.Mapped[int | None] = so.mapped_column(
        sa.ForeignKey("users.id", ondelete="CASCADE"), unique=True
    )
    token: so.Mapped[str | None] = so.mapped_column(sa.String(64), unique=True)
    created_at: so.Mapped[datetime] = created_column()
    updated_at: so.Mapped[datetime] = so.mapped_column(UTCDateTime(), default=utcnow, onupdate=utcnow)

    lines: so.Mapped[list[CartLine]] = so.relationship(
        back_populates="cart", cascade="all, delete-orphan", order_by="CartLine.id"
    )


class CartLine(db.Model):
    """A quantity of one listing, with the price the buyer saw when adding it."""

    __tablename__ = "cart_lines"
    __table_args__ = (
        sa.UniqueConstraint("cart_id", "listing_id"),
        sa.CheckConstraint("quantity >= 1", name="quantity_positive"),
        fen_column("price_fen_seen"),
    )

    id: so.Mapped[int] = id_column()
    cart_id: so.Mapped[int] = so.mapped_column(sa.ForeignKey("carts.id", ondelete="CASCADE"), index=True)
    listing_id: so.Mapped[int] = so.mapped_column(sa.ForeignKey("listings.id", ondelete="CASCADE"), index=True)
    quantity: so.Mapped[int] = so.mapped_column(sa.Integer)
    price_fen_seen: so.Mapped[int] = so.mapped_column(sa.Integer)
    added_at: so.Mapped[datetime] = created_column()

    cart: so.Mapped[Cart] = so.relationship(back_populates="lines")
    listing: so.Mapped[Listing] = so.relationship()
