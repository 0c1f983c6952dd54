"""The stock log: one row for every change of a listing's units, with who, when, why and the units after."""

from __future__ import annotations

from datetime import datetime
from typing import TYPE_CHECKING

import sqlalchemy as sa
from sqlalchemy import orm as so

from market.domain.stock import StockReason
from market.extensions import db
from market.models.base import created_column, enum_check, id_column

if TYPE_CHECKING:
    from market.models.order import Order
    from market.models.outlet import Listing
    from market.models.user import User


class StockMovement(db.Model):
    """A change of a listing's stock: +/- units, the stock it left, the reason, the person (None: the
    system) and the order it belongs to, if any. Written by the stock service only, never edited."""

    __tablename__ = "stock_movements"
    __table_args__ = (
        sa.CheckConstraint("change <> 0", name="change_nonzero"),
        sa.CheckConstraint("stock_after >= 0", name="stock_after_nonnegative"),
        enum_check("reason", StockReason, name="reason_known"),
    )

    id: so.Mapped[int] = id_column()
    listing_id: so.Mapped[int] = so.mapped_column(sa.ForeignKey("listings.id", ondelete="CASCADE"), index=True)
    change: so.Mapped[int] = so.mapped_column(sa.Integer)
    stock_after: so.Mapped[int] = so.mapped_column(sa.Integer)
    reason: so.Mapped[str] = so.mapped_column(sa.String(20))
    actor_id: so.Mapped[int | None] = so.mapped_column(sa.ForeignKey("users.id", ondelete="SET NULL"))
    order_id: so.Mapped[int | None] = so.mapped_column(sa.ForeignKey("orders.id", ondelete="SET NULL"), index=True)
    created_at: so.Mapped[datetime] = created_column()

    listing: so.Mapped[Listing] = so.relationship()
    actor: so.Mapped[User | None] = so.relationship()
    order: so.Mapped[Order | None] = so.relationship()
