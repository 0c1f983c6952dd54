"""Payments (one per checkout and provider) and refunds, in fen."""

from __future__ import annotations

from datetime import date, datetime
from typing import TYPE_CHECKING, Any

import sqlalchemy as sa
from sqlalchemy import orm as so

from market.domain.payment_flow import ENDED_UNPAID, PaymentIssueKind, PaymentStatus
from market.domain.refund_flow import RefundStatus
from market.extensions import db
from market.models.base import UTCDateTime, created_column, enum_check, fen_column, id_column

if TYPE_CHECKING:
    from market.models.order import Order, OrderLine


class Payment(db.Model):
    """Money expected for one or more orders through one provider (pickup: cash at the outlet)."""

    __tablename__ = "payments"
    __table_args__ = (
        enum_check("status", PaymentStatus, name="status_known"),
        fen_column("amount_fen"),
    )

    id: so.Mapped[int] = id_column()
    provider: so.Mapped[str] = so.mapped_column(sa.String(16))
    attempts: so.Mapped[int] = so.mapped_column(sa.Integer, default=0, server_default="0")
    provider_payment_ref: so.Mapped[str | None] = so.mapped_column(sa.String(255))  # e.g. a PaymentIntent
    status: so.Mapped[str] = so.mapped_column(sa.String(16), default=PaymentStatus.PENDING)
    amount_fen: so.Mapped[int] = so.mapped_column(sa.Integer)
    currency: so.Mapped[str] = so.mapped_column(sa.String(3), default="CNY", server_default="CNY")
    user_id: so.Mapped[int] = so.mapped_column(sa.ForeignKey("users.id"), index=True)
    provider_ref: so.Mapped[str | None] = so.mapped_column(sa.String(255), unique=True)
    created_at: so.Mapped[datetime] = created_column()
    confirmed_at: so.Mapped[datetime | None] = so.mapped_column(UTCDateTime())

    orders: so.Mapped[list[Order]] = so.relationship(back_populates="payment")

    @property
    def succeeded(self) -> bool:
        """Whether the provider confirmed the money."""
        return self.status == PaymentStatus.SUCCEEDED

    @property
    def ended_unpaid(self) -> bool:
        """Whether the payment failed or was cancelled (its unpaid orders were cancelled with it)."""
        return self.status in ENDED_UNPAID


class Refund(db.Model):
    """Money returned against an order (whole or some lines); it lowers the subsidy base on its date."""

    __tablename__ = "refunds"
    __table_args__ = (
        enum_check("status", RefundStatus, name="status_known"),
        fen_column("amount_fen"),
    )

    id: so.Mapped[int] = id_column()
    order_id: so.Mapped[int] = so.mapped_column(sa.ForeignKey("orders.id"), index=True)
    payment_id: so.Mapped[int | None] = so.mapped_column(sa.ForeignKey("payments.id"), index=True)
    requested_by_id: so.Mapped[int | None] = so.mapped_column(sa.ForeignKey("users.id", ondelete="SET NULL"))
    status: so.Mapped[str] = so.mapped_column(sa.String(16), default=RefundStatus.REQUESTED)
    order_status_before: so.Mapped[str | None] = so.mapped_column(sa.String(20))
    amount_fen: so.Mapped[int] = so.mapped_column(sa.Integer)
    reason: so.Mapped[str] = so.mapped_column(sa.String(200))
    decision_note: so.Mapped[str | None] = so.mapped_column(sa.String(200))
    provider_ref: so.Mapped[str | None] = so.mapped_column(sa.String(255), unique=True)
    created_at: so.Mapped[datetime] = created_column()
    decided_at: so.Mapped[datetime | None] = so.mapped_column(UTCDateTime())
    refunded_on: so.Mapped[date | None] = so.mapped_column(sa.Date)
    confirmed_by_provider: so.Mapped[bool] = so.mapped_column(sa.Boolean, default=False, server_default=sa.false())

    order: so.Mapped[Order] = so.relationship()
    payment: so.Mapped[Payment | None] = so.relationship()
    lines: so.Mapped[list[RefundLine]] = so.relationship(
        back_populates="refund", cascade="all, delete-orphan", order_by="RefundLine.id"
    )


class RefundLine(db.Model):
    """How many units of an order line a refund covers, and for how much."""

    __tablename__ = "refund_lines"
    __table_args__ = (sa.CheckConstraint("quantity >= 1", name="quantity_positive"), fen_column("amount_fen"))

    id: so.Mapped[int] = id_column()
    refund_id: so.Mapped[int] = so.mapped_column(sa.ForeignKey("refunds.id", ondelete="CASCADE"), index=True)
    order_line_id: so.Mapped[int] = so.mapped_column(sa.ForeignKey("order_lines.id"), index=True)
    quantity: so.Mapped[int] = so.mapped_column(sa.Integer)
    amount_fen: so.Mapped[int] = so.mapped_column(sa.Integer)

    refund: so.Mapped[Refund] = so.relationship(back_populates="lines")
    order_line: so.Mapped[OrderLine] = so.relationship()


class WebhookEvent(db.Model):
    """A provider event, stored by its id in the same transaction that applies it: processed once."""

    __tablename__ = "webhook_events"

    id: so.Mapped[str] = so.mapped_column(sa.String(255), primary_key=True)
    provider: so.Mapped[str] = so.mapped_column(sa.String(16))
    type: so.Mapped[str] = so.mapped_column(sa.String(64))
    payload: so.Mapped[dict[str, Any]] = so.mapped_column(sa.JSON)
    outcome: so.Mapped[str] = so.mapped_column(sa.String(200), default="")
    received_at: so.Mapped[datetime] = created_column()


class PaymentIssue(db.Model):
    """Something about money that staff must look at (a mismatch, an unknown refund, a late payment)."""

    __tablename__ = "payment_issues"
    __table_args__ = (
        enum_check("kind", PaymentIssueKind, name="kind_known"),
    )

    id: so.Mapped[int] = id_column()
    kind: so.Mapped[str] = so.mapped_column(sa.String(32))
    payment_id: so.Mapped[int | None] = so.mapped_column(sa.ForeignKey("payments.id"), index=True)
    detail: so.Mapped[dict[str, Any]] = so.mapped_column(sa.JSON)
    created_at: so.Mapped[datetime] = created_column()
    resolved_at: so.Mapped[datetime | None] = so.mapped_column(UTCDateTime())
    resolved_by_id: so.Mapped[int | None] = so.mapped_column(sa.ForeignKey("users.id", ondelete="SET NULL"))
    resolution_note: so.Mapped[str | None] = so.mapped_column(sa.String(200))

    payment: so.Mapped[Payment | None] = so.relationship()
