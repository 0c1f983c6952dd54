"""Offline (counter) sale lines reported by outlets, their import batches, risk signals and the county's samples."""

from __future__ import annotations

from datetime import date, datetime
from typing import TYPE_CHECKING, Any

import sqlalchemy as sa
from sqlalchemy import orm as so

from market.domain.offline_sale import PaymentMethod, RiskKind, SaleState, reason_kind
from market.extensions import db
from market.models.base import UTCDateTime, created_column, enum_check, fen_column, id_column

if TYPE_CHECKING:
    from market.models.catalog import Product
    from market.models.outlet import Outlet
    from market.models.user import User


class OfflineSaleBatch(db.Model):
    """One imported spreadsheet: its lines went in together, in one transaction. Withdrawing a batch (allowed
    while all its lines are unverified) deletes its lines and keeps this row, marked withdrawn."""

    __tablename__ = "offline_sale_batches"
    __table_args__ = (
        sa.CheckConstraint("row_count >= 0", name="row_count_nonnegative"),
        fen_column("total_fen"),
    )

    id: so.Mapped[int] = id_column()
    outlet_id: so.Mapped[int] = so.mapped_column(sa.ForeignKey("outlets.id"), index=True)
    file_name: so.Mapped[str] = so.mapped_column(sa.String(200))
    entered_by_id: so.Mapped[int | None] = so.mapped_column(sa.ForeignKey("users.id", ondelete="SET NULL"))
    created_at: so.Mapped[datetime] = created_column()
    row_count: so.Mapped[int] = so.mapped_column(sa.Integer)
    total_fen: so.Mapped[int] = so.mapped_column(sa.BigInteger)
    withdrawn_at: so.Mapped[datetime | None] = so.mapped_column(UTCDateTime())
    withdrawn_by_id: so.Mapped[int | None] = so.mapped_column(sa.ForeignKey("users.id", ondelete="SET NULL"))

    outlet: so.Mapped[Outlet] = so.relationship()
    entered_by: so.Mapped[User | None] = so.relationship(foreign_keys=[entered_by_id])


class OfflineSale(db.Model):
    """A counter sale line: what was sold, when, for how much, on which receipt; verified by the county."""

    __tablename__ = "offline_sales"
    __table_args__ = (
        enum_check("state", SaleState, name="state_known"),
        enum_check("payment_method", PaymentMethod, name="payment_method_known"),
        sa.CheckConstraint("quantity >= 1", name="quantity_positive"),
        fen_column("amount_fen"),
        sa.UniqueConstraint("outlet_id", "receipt_no"),
        sa.Index("ix_offline_sales_outlet_state_date", "outlet_id", "state", "sale_date"),
        sa.Index("ix_offline_sales_state_date", "state", "sale_date"),
        sa.Index("ix_offline_sales_receipt_no", "receipt_no"),
        sa.Index("ix_offline_sales_photo_hash", "photo_hash"),
        # A line's id names it in the ledger (OFF-<id>) and the audit trail: SQLite must never hand the id of a
        # deleted line (an unverified line deleted, a batch withdrawn) to a new one, as plain rowids do.
        {"sqlite_autoincrement": True},
    )

    id: so.Mapped[int] = id_column()
    outlet_id: so.Mapped[int] = so.mapped_column(sa.ForeignKey("outlets.id"))
    sale_date: so.Mapped[date] = so.mapped_column(sa.Date)  # Asia/Shanghai
    product_id: so.Mapped[int] = so.mapped_column(sa.ForeignKey("products.id"), index=True)
    quantity: so.Mapped[int] = so.mapped_column(sa.Integer)
    amount_fen: so.Mapped[int] = so.mapped_column(sa.Integer)
    payment_method: so.Mapped[str] = so.mapped_column(sa.String(16), default=PaymentMethod.CASH)
    receipt_no: so.Mapped[str] = so.mapped_column(sa.String(40))
    note: so.Mapped[str] = so.mapped_column(sa.String(200), default="", server_default="")
    photo_key: so.Mapped[str | None] = so.mapped_column(sa.String(200), unique=True)  # private storage keys
    photo_thumb_key: so.Mapped[str | None] = so.mapped_column(sa.String(200), unique=True)
    photo_hash: so.Mapped[str | None] = so.mapped_column(sa.String(64))  # sha256 of the re-encoded image
    state: so.Mapped[str] = so.mapped_column(sa.String(16), default=SaleState.UNVERIFIED)
    reason: so.Mapped[str | None] = so.mapped_column(sa.String(200))  # of the last rejection or reopening
    batch_id: so.Mapped[int | None] = so.mapped_column(sa.ForeignKey("offline_sale_batches.id"), index=True)
    entered_by_id: so.Mapped[int | None] = so.mapped_column(sa.ForeignKey("users.id", ondelete="SET NULL"))
    entered_at: so.Mapped[datetime] = created_column()
    decided_by_id: so.Mapped[int | None] = so.mapped_column(sa.ForeignKey("users.id", ondelete="SET NULL"))
    decided_at: so.Mapped[datetime | None] = so.mapped_column(UTCDateTime())

    outlet: so.Mapped[Outlet] = so.relationship()
    product: so.Mapped[Product] = so.relationship()
    batch: so.Mapped[OfflineSaleBatch | None] = so.relationship()
    entered_by: so.Mapped[User | None] = so.relationship(foreign_keys=[entered_by_id])
    decided_by: so.Mapped[User | None] = so.relationship(foreign_keys=[decided_by_id])
    risks: so.Mapped[list[OfflineSaleRisk]] = so.relationship(
        back_populates="sale", cascade="all, delete-orphan", order_by="OfflineSaleRisk.kind"
    )

    @property
    def reason_kind(self) -> str | None:
        """"rejected", "reopened" or None: how the pages label the line's reason (offline_sale.reason_kind)."""
        return reason_kind(self.state, self.reason)


class OfflineSaleRisk(db.Model):
    """A risk signal on a line, with what it is about (e.g. the other outlet or the median) for its explanation."""

    __tablename__ = "offline_sale_risks"
    __table_args__ = (
        enum_check("kind", RiskKind, name="kind_known"),
        sa.UniqueConstraint("sale_id", "kind"),
    )

    id: so.Mapped[int] = id_column()
    sale_id: so.Mapped[int] = so.mapped_column(sa.ForeignKey("offline_sales.id", ondelete="CASCADE"))
    kind: so.Mapped[str] = so.mapped_column(sa.String(20))
    detail: so.Mapped[dict[str, Any]] = so.mapped_column(sa.JSON, default=dict)
    found_at: so.Mapped[datetime] = created_column()

    sale: so.Mapped[OfflineSale] = so.relationship(back_populates="risks")


offline_sale_sample_lines = sa.Table(
    "offline_sale_sample_lines",
    db.metadata,
    sa.Column("sample_id", sa.ForeignKey("offline_sale_samples.id", ondelete="CASCADE"), primary_key=True),
    sa.Column("sale_id", sa.ForeignKey("offline_sales.id", ondelete="CASCADE"), primary_key=True, index=True),
)


class OfflineSaleSample(db.Model):
    """A random draw (抽查) of lines for staff to check against receipts first: the seed and who drew it."""

    __tablename__ = "offline_sale_samples"
    __table_args__ = (sa.CheckConstraint("size >= 1", name="size_positive"),)

    id: so.Mapped[int] = id_column()
    drawn_by_id: so.Mapped[int | None] = so.mapped_column(sa.ForeignKey("users.id", ondelete="SET NULL"))
    drawn_at: so.Mapped[datetime] = created_column()
    seed: so.Mapped[str] = so.mapped_column(sa.String(64))
    size: so.Mapped[int] = so.mapped_column(sa.Integer)
    population: so.Mapped[int] = so.mapped_column(sa.Integer)  # how many lines it was drawn from
    batch_id: so.Mapped[int | None] = so.mapped_column(sa.ForeignKey("offline_sale_batches.id"), index=True)
    criteria: so.Mapped[dict[str, Any]] = so.mapped_column(sa.JSON, default=dict)  # the filter it was drawn from

    drawn_by: so.Mapped[User | None] = so.relationship()
    lines: so.Mapped[list[OfflineSale]] = so.relationship(secondary=offline_sale_sample_lines)
