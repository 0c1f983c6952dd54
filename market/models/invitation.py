"""Invitations to join an outlet's staff, mailed to an address that has no account yet."""

from __future__ import annotations

from datetime import datetime

import sqlalchemy as sa
from sqlalchemy import orm as so

from market.extensions import db
from market.models.base import UTCDateTime, created_column, id_column
from market.models.outlet import Outlet
from market.models.user import User


class OutletInvitation(db.Model):
    """One mailed invitation: only a digest of its token is kept; it expires, and is used at most once."""

    __tablename__ = "outlet_invitations"
    __table_args__ = (
        sa.UniqueConstraint("token_digest"),
        sa.CheckConstraint("accepted_at IS NULL OR cancelled_at IS NULL", name="accepted_or_cancelled"),
        sa.CheckConstraint("expires_at > created_at", name="expires_after_creation"),
    )

    id: so.Mapped[int] = id_column()
    outlet_id: so.Mapped[int] = so.mapped_column(sa.ForeignKey("outlets.id", ondelete="CASCADE"), index=True)
    email: so.Mapped[str] = so.mapped_column(sa.String(254))
    is_owner: so.Mapped[bool] = so.mapped_column(sa.Boolean, default=False, server_default=sa.false())
    token_digest: so.Mapped[str] = so.mapped_column(sa.String(64))  # SHA-256 hex of the mailed token
    invited_by_id: so.Mapped[int | None] = so.mapped_column(sa.ForeignKey("users.id", ondelete="SET NULL"))
    created_at: so.Mapped[datetime] = created_column()
    expires_at: so.Mapped[datetime] = so.mapped_column(UTCDateTime())
    accepted_at: so.Mapped[datetime | None] = so.mapped_column(UTCDateTime())
    accepted_by_id: so.Mapped[int | None] = so.mapped_column(sa.ForeignKey("users.id", ondelete="SET NULL"))
    cancelled_at: so.Mapped[datetime | None] = so.mapped_column(UTCDateTime())

    outlet: so.Mapped[Outlet] = so.relationship()
    invited_by: so.Mapped[User | None] = so.relationship(foreign_keys=[invited_by_id])

    def open_on(self, moment: datetime) -> bool:
        """True while the link can still be used: neither accepted nor cancelled, and not yet expired."""
        return self.accepted_at is None and self.cancelled_at is None and moment < self.expires_at
