"""Payments (one per checkout and provider) and refunds, in fen."""

from __future__ import annotations

from datetime import date, datetime
from typing import TYPE_CHECKING

import sqlalchemy as sa
from sqlalchemy import orm as so

from market.extensions import db
from market.models.base import UTCDateTime, created_column, fen_column, id_column

if TYPE_CHECKING:
    from market.models.order import Order

PAYMENT_STATUSES = ("pending", "succeeded", "failed", "cancelled")
REFUND_STATUSES = ("requested", "accepted", "refused", "succeeded", "failed")


class Payment(db.Model):
    """Money expected for one or more orders through one provider (pickup: cash at the outlet)."""

    __tablename__ = "payments"
    __table_args__ = (
        sa.CheckConstraint("status IN ('pending', 'succeeded', 'failed', 'cancelled')", name="status_known"),
        fen_column("amount_fen"),
    )

    id: so.Mapped[int] = id_column()
    provider: so.Mapped[str] = so.mapped_column(sa.String(16))
    status: so.Mapped[str] = so.mapped_column(sa.String(16), default="pending")
    amount_fen: so.Mapped[int] = so.mapped_column(sa.Integer)
    currency: so.Mapped[str] = so.mapped_column(sa.String(3), default="CNY", server_default="CNY")
    user_id: so.Mapped[int] = so.mapped_column(sa.ForeignKey("users.id"), index=True)
    provider_ref: so.Mapped[str | None] = so.mapped_column(sa.String(255), unique=True)
    created_at: so.Mapped[datetime] = created_column()
    confirmed_at: so.Mapped[datetime | None] = so.mapped_column(UTCDateTime())

    orders: so.Mapped[list[Order]] = so.relationship(back_populates="payment")


class Refund(db.Model):
    """Money returned against an order (whole or some lines); it lowers the subsidy base on its date."""

    __tablename__ = "refunds"
    __table_args__ = (
        sa.CheckConstraint(
            "status IN ('requested', 'accepted', 'refused', 'succeeded', 'failed')", name="status_known"
        ),
        fen_column("amount_fen"),
    )

    id: so.Mapped[int] = id_column()
    order_id: so.Mapped[int] = so.mapped_column(sa.ForeignKey("orders.id"), index=True)
    payment_id: so.Mapped[int | None] = so.mapped_column(sa.ForeignKey("payments.id"), index=True)
    status: so.Mapped[str] = so.mapped_column(sa.String(16), default="requested")
    amount_fen: so.Mapped[int] = so.mapped_column(sa.Integer)
    reason: so.Mapped[str] = so.mapped_column(sa.String(200))
    decision_note: so.Mapped[str | None] = so.mapped_column(sa.String(200))
    provider_ref: so.Mapped[str | None] = so.mapped_column(sa.String(255), unique=True)
    created_at: so.Mapped[datetime] = created_column()
    decided_at: so.Mapped[datetime | None] = so.mapped_column(UTCDateTime())
    refunded_on: so.Mapped[date | None] = so.mapped_column(sa.Date)
