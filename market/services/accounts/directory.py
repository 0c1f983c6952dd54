"""The admin's view of accounts: users page by page (searchable by email), role counts, the latest audit events."""

from __future__ import annotations

from dataclasses import dataclass

import sqlalchemy as sa
from flask_sqlalchemy.pagination import Pagination
from sqlalchemy import orm as so

from market.extensions import db
from market.models import AuditEvent, User, UserRole

PAGE_SIZE = 50
LATEST_EVENTS = 20


@dataclass(frozen=True)
class AdminOverview:
    """What the admin page shows."""

    users: Pagination
    email_part: str
    role_counts: dict[str, int]
    events: list[AuditEvent]


def admin_overview(email_part: str, page: int) -> AdminOverview:
    """One page of users (those whose email contains `email_part`, if given), role counts, latest audit events."""
    email_part = email_part.strip()[:100]
    query = sa.select(User).order_by(User.id)  # roles load with each user (selectin)
    if email_part:
        query = query.where(User.email.contains(email_part.lower(), autoescape=True))
    users = db.paginate(query, page=page, per_page=PAGE_SIZE, error_out=False)
    events = list(db.session.scalars(
        sa.select(AuditEvent).options(so.joinedload(AuditEvent.actor)).order_by(AuditEvent.id.desc())
        .limit(LATEST_EVENTS)
    ))
    return AdminOverview(users=users, email_part=email_part, role_counts=role_counts(), events=events)


def role_counts() -> dict[str, int]:
    """How many users hold each role."""
    return dict(
        db.session.execute(sa.select(UserRole.role, sa.func.count(UserRole.id)).group_by(UserRole.role)).all()
    )
