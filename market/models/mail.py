"""The transactional outbox: mail written with the change that causes it, sent after the commit."""

from __future__ import annotations

from datetime import datetime

import sqlalchemy as sa
from sqlalchemy import orm as so

from market.domain.mail_flow import MailStatus
from market.extensions import db
from market.models.base import UTCDateTime, created_column, enum_check, id_column, utcnow


class OutgoingMail(db.Model):
    """One message, composed in the recipient's language when it was queued. `attempts` counts claims, so
    it also tells a sender whether the row is still the one it claimed; a sent mail's body is erased."""

    __tablename__ = "outgoing_mail"
    __table_args__ = (
        enum_check("status", MailStatus, name="status_known"),
        sa.CheckConstraint("attempts >= 0", name="attempts_nonnegative"),
        sa.Index("ix_outgoing_mail_status_next_attempt_at", "status", "next_attempt_at"),
    )

    id: so.Mapped[int] = id_column()
    kind: so.Mapped[str] = so.mapped_column(sa.String(40))  # what the mail is about, e.g. "order.ready"
    recipient: so.Mapped[str] = so.mapped_column(sa.String(254))
    subject: so.Mapped[str] = so.mapped_column(sa.String(200))
    body: so.Mapped[str] = so.mapped_column(sa.Text)
    status: so.Mapped[str] = so.mapped_column(sa.String(10), default=MailStatus.PENDING)
    attempts: so.Mapped[int] = so.mapped_column(sa.Integer, default=0, server_default="0")
    created_at: so.Mapped[datetime] = created_column()
    next_attempt_at: so.Mapped[datetime] = so.mapped_column(UTCDateTime(), default=utcnow)
    claimed_at: so.Mapped[datetime | None] = so.mapped_column(UTCDateTime())
    sent_at: so.Mapped[datetime | None] = so.mapped_column(UTCDateTime())
    last_error: so.Mapped[str | None] = so.mapped_column(sa.String(500))
