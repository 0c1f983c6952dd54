"""Orders (one per outlet per checkout: the unit of attribution and fulfilment), lines and timeline."""

from __future__ import annotations

from datetime import date, datetime
from typing import TYPE_CHECKING

import sqlalchemy as sa
from sqlalchemy import orm as so
from sqlalchemy.ext.hybrid import hybrid_property

from market.domain import order_flow
from market.domain.order_flow import UNPAID_OPEN, OrderStatus
from market.extensions import db
from market.models.base import UTCDateTime, created_column, enum_check, fen_column, id_column
from market.models.outlet import Listing, Outlet

if TYPE_CHECKING:
    from market.models.payment import Payment
    from market.models.user import User

FULFILMENTS = ("pickup", "delivery")
WAITING_FOR_PICKUP = "status = 'ready_for_pickup'"  # pickup codes are unique among an outlet's waiting orders


class Order(db.Model):
    """A buyer's order at one outlet; its lines snapshot prices at placing."""

    __tablename__ = "orders"
    __table_args__ = (
        enum_check("status", OrderStatus, name="status_known"),
        sa.CheckConstraint("fulfilment IN ('pickup', 'delivery')", name="fulfilment_known"),
        fen_column("total_fen"),
        sa.Index("ix_orders_status_hold", "status", "hold_until"),
        sa.Index("uq_orders_waiting_pickup_code", "outlet_id", "pickup_code", unique=True,
                 sqlite_where=sa.text(WAITING_FOR_PICKUP), postgresql_where=sa.text(WAITING_FOR_PICKUP)),
    )

    id: so.Mapped[int] = id_column()
    number: so.Mapped[str] = so.mapped_column(sa.String(24), unique=True)
    user_id: so.Mapped[int] = so.mapped_column(sa.ForeignKey("users.id"), index=True)
    outlet_id: so.Mapped[int] = so.mapped_column(sa.ForeignKey("outlets.id"), index=True)
    payment_id: so.Mapped[int | None] = so.mapped_column(sa.ForeignKey("payments.id"), index=True)
    status: so.Mapped[str] = so.mapped_column(sa.String(20), default=OrderStatus.PLACED)
    fulfilment: so.Mapped[str] = so.mapped_column(sa.String(10))
    recipient: so.Mapped[str] = so.mapped_column(sa.String(40))
    phone: so.Mapped[str] = so.mapped_column(sa.String(20), index=True)
    province: so.Mapped[str | None] = so.mapped_column(sa.String(20))
    city: so.Mapped[str | None] = so.mapped_column(sa.String(20))
    county: so.Mapped[str | None] = so.mapped_column(sa.String(20))
    address_detail: so.Mapped[str | None] = so.mapped_column(sa.String(120))
    total_fen: so.Mapped[int] = so.mapped_column(sa.Integer)
    placed_at: so.Mapped[datetime] = created_column()
    hold_until: so.Mapped[datetime | None] = so.mapped_column(UTCDateTime())
    paid_at: so.Mapped[datetime | None] = so.mapped_column(UTCDateTime())
    paid_on: so.Mapped[date | None] = so.mapped_column(sa.Date, index=True)
    pickup_code: so.Mapped[str | None] = so.mapped_column(sa.String(6))  # given when a pickup order is ready
    carrier: so.Mapped[str | None] = so.mapped_column(sa.String(40))  # delivery orders, when shipped
    tracking_number: so.Mapped[str | None] = so.mapped_column(sa.String(60))

    user: so.Mapped[User] = so.relationship()
    outlet: so.Mapped[Outlet] = so.relationship()
    payment: so.Mapped[Payment | None] = so.relationship(back_populates="orders")
    lines: so.Mapped[list[OrderLine]] = so.relationship(
        back_populates="order", cascade="all, delete-orphan", order_by="OrderLine.id"
    )
    events: so.Mapped[list[OrderEvent]] = so.relationship(
        back_populates="order", cascade="all, delete-orphan", order_by="OrderEvent.id"
    )

    @hybrid_property
    def awaiting_payment(self) -> bool:
        """Unpaid and still held (order_flow.awaiting_payment); in a query, the same rule in SQL."""
        return order_flow.awaiting_payment(self.status, self.paid_at is not None)

    @awaiting_payment.inplace.expression
    @classmethod
    def _awaiting_payment_expression(cls) -> sa.ColumnElement[bool]:
        return sa.and_(cls.status.in_(UNPAID_OPEN), cls.paid_at.is_(None))


class OrderLine(db.Model):
    """A product at the price and name it had when the order was placed."""

    __tablename__ = "order_lines"
    __table_args__ = (
        sa.CheckConstraint("quantity >= 1", name="quantity_positive"),
        fen_column("unit_price_fen"),
        fen_column("line_total_fen"),
        sa.CheckConstraint("refunded_quantity >= 0 AND refunded_quantity <= quantity", name="refund_bounded"),
        fen_column("refunded_fen"),
    )

    id: so.Mapped[int] = id_column()
    order_id: so.Mapped[int] = so.mapped_column(sa.ForeignKey("orders.id", ondelete="CASCADE"), index=True)
    listing_id: so.Mapped[int] = so.mapped_column(sa.ForeignKey("listings.id"), index=True)
    product_id: so.Mapped[int] = so.mapped_column(sa.ForeignKey("products.id"), index=True)
    sku: so.Mapped[str] = so.mapped_column(sa.String(40))
    name_zh: so.Mapped[str] = so.mapped_column(sa.String(80))
    name_en: so.Mapped[str] = so.mapped_column(sa.String(120))
    unit: so.Mapped[str] = so.mapped_column(sa.String(20))
    unit_price_fen: so.Mapped[int] = so.mapped_column(sa.Integer)
    quantity: so.Mapped[int] = so.mapped_column(sa.Integer)
    line_total_fen: so.Mapped[int] = so.mapped_column(sa.Integer)
    refunded_quantity: so.Mapped[int] = so.mapped_column(sa.Integer, default=0, server_default="0")
    refunded_fen: so.Mapped[int] = so.mapped_column(sa.Integer, default=0, server_default="0")

    order: so.Mapped[Order] = so.relationship(back_populates="lines")
    listing: so.Mapped[Listing] = so.relationship()


class OrderEvent(db.Model):
    """One step of an order's timeline: the status it moved to, who moved it, when, and why."""

    __tablename__ = "order_events"

    id: so.Mapped[int] = id_column()
    order_id: so.Mapped[int] = so.mapped_column(sa.ForeignKey("orders.id", ondelete="CASCADE"), index=True)
    status: so.Mapped[str] = so.mapped_column(sa.String(20))
    action: so.Mapped[str] = so.mapped_column(sa.String(20))
    actor_id: so.Mapped[int | None] = so.mapped_column(sa.ForeignKey("users.id", ondelete="SET NULL"))
    note: so.Mapped[str | None] = so.mapped_column(sa.String(200))
    created_at: so.Mapped[datetime] = created_column()

    order: so.Mapped[Order] = so.relationship(back_populates="events")
