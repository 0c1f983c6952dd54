"""Recording audit events for state changes that county decisions or money depend on."""

from __future__ import annotations

from typing import Any

from market.extensions import db
from market.models import AuditEvent, User


def record(
    actor: User | None,
    action: str,
    obj: Any,
    before: dict[str, Any] | None = None,
    after: dict[str, Any] | None = None,
) -> AuditEvent:
    """Append one audit event for `obj` (a model instance with an id) and flush it."""
    db.session.flush()  # the object needs its id
    event = AuditEvent(
        actor_id=actor.id if actor is not None else None,
        action=action,
        object_type=obj.__tablename__,
        object_id=str(obj.id),
        before=before,
        after=after,
    )
    db.session.add(event)
    db.session.flush()
    return event
