"""Append-only audit events: who changed what, when, from what to what."""

from __future__ import annotations

from datetime import datetime
from typing import Any

import sqlalchemy as sa
from sqlalchemy import event
from sqlalchemy import orm as so

from market.extensions import db
from market.models.base import created_column, id_column


class AuditEvent(db.Model):
    """One recorded state change; rows are never updated or deleted."""

    __tablename__ = "audit_events"

    id: so.Mapped[int] = id_column()
    actor_id: so.Mapped[int | None] = so.mapped_column(
        sa.ForeignKey("users.id", ondelete="SET NULL"), index=True
    )
    action: so.Mapped[str] = so.mapped_column(sa.String(64), index=True)
    object_type: so.Mapped[str] = so.mapped_column(sa.String(40))
    object_id: so.Mapped[str] = so.mapped_column(sa.String(64))
    before: so.Mapped[dict[str, Any] | None] = so.mapped_column(sa.JSON)
    after: so.Mapped[dict[str, Any] | None] = so.mapped_column(sa.JSON)
    created_at: so.Mapped[datetime] = created_column()

    actor = so.relationship("User")


class AuditIsAppendOnly(RuntimeError):
    """Raised when code tries to change or remove an audit event."""


@event.listens_for(AuditEvent, "before_update")
def _refuse_update(mapper: so.Mapper, connection: sa.Connection, target: AuditEvent) -> None:
    raise AuditIsAppendOnly("audit events are append-only")


@event.listens_for(AuditEvent, "before_delete")
def _refuse_delete(mapper: so.Mapper, connection: sa.Connection, target: AuditEvent) -> None:
    raise AuditIsAppendOnly("audit events are append-only")
