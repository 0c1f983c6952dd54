"""The working-day calendar: official holidays, adjusted working weekends and the years whose holidays are
published (market.domain.working_days counts with them)."""

from __future__ import annotations

from datetime import date, datetime

import sqlalchemy as sa
from sqlalchemy import orm as so

from market.domain.working_days import CalendarDayKind
from market.extensions import db
from market.models.base import UTCDateTime, enum_check, id_column, utcnow
from market.models.user import User


class CalendarDay(db.Model):
    """One date that is not what its weekday says: a holiday (放假) or a weekend working day (调休上班).
    Seeded from the `holidays` package for published years, then kept by county staff."""

    __tablename__ = "calendar_days"
    __table_args__ = (
        sa.UniqueConstraint("day"),
        enum_check("kind", CalendarDayKind, name="kind_known"),
    )

    id: so.Mapped[int] = id_column()
    day: so.Mapped[date] = so.mapped_column(sa.Date)
    kind: so.Mapped[str] = so.mapped_column(sa.String(12))
    name: so.Mapped[str] = so.mapped_column(sa.String(60))  # e.g. 国庆节, 国庆节调休上班
    changed_by_id: so.Mapped[int | None] = so.mapped_column(sa.ForeignKey("users.id", ondelete="SET NULL"))
    changed_at: so.Mapped[datetime] = so.mapped_column(UTCDateTime(), default=utcnow)

    changed_by: so.Mapped[User | None] = so.relationship()


class CalendarYear(db.Model):
    """A year whose holidays the State Council has published: only then do its calendar days count (in any
    other year Monday to Friday are the working days). Kept apart from the days so staff can enter a year's
    days first and publish it when they are complete."""

    __tablename__ = "calendar_years"
    __table_args__ = (
        sa.UniqueConstraint("year"),
        sa.CheckConstraint("year BETWEEN 2000 AND 2200", name="year_in_range"),
    )

    id: so.Mapped[int] = id_column()
    year: so.Mapped[int] = so.mapped_column(sa.Integer)
    published_by_id: so.Mapped[int | None] = so.mapped_column(sa.ForeignKey("users.id", ondelete="SET NULL"))
    published_at: so.Mapped[datetime] = so.mapped_column(UTCDateTime(), default=utcnow)

    published_by: so.Mapped[User | None] = so.relationship()
