"""The aware-UTC timestamp type and column helpers shared by the models."""

from __future__ import annotations

from datetime import UTC, datetime
from enum import StrEnum

import sqlalchemy as sa
from sqlalchemy import orm as so


def utcnow() -> datetime:
    """The current time, timezone-aware in UTC (a callable default, evaluated per row)."""
    return datetime.now(UTC)


class UTCDateTime(sa.types.TypeDecorator):
    """Store UTC; always return aware UTC datetimes (SQLite drops offsets otherwise)."""

    impl = sa.DateTime(timezone=True)
    cache_ok = True

    def process_bind_param(self, value: datetime | None, dialect: sa.Dialect) -> datetime | None:
        """Refuse naive datetimes and convert aware ones to UTC."""
        if value is None:
            return None
        if value.tzinfo is None:
            raise ValueError("naive datetime given to a UTC column")
        value = value.astimezone(UTC)
        return value.replace(tzinfo=None) if dialect.name == "sqlite" else value

    def process_result_value(self, value: datetime | None, dialect: sa.Dialect) -> datetime | None:
        """Attach UTC to what SQLite returns naive."""
        if value is None:
            return None
        return value.replace(tzinfo=UTC) if value.tzinfo is None else value.astimezone(UTC)


def fen_column(name: str) -> sa.CheckConstraint:
    """A CHECK that a fen (integer money) column is not negative."""
    return sa.CheckConstraint(f"{name} >= 0", name=f"{name}_nonnegative")


def enum_check(column: str, values: type[StrEnum], name: str) -> sa.CheckConstraint:
    """A CHECK that `column` holds one of the enum's values, listed in the members' order (so the text stays
    what the migrations wrote). The enum is kept in `info`, where a test compares it with the database."""
    listed = ", ".join(f"'{member.value}'" for member in values)
    return sa.CheckConstraint(f"{column} IN ({listed})", name=name, info={"enum": values, "column": column})


def id_column() -> so.MappedColumn[int]:
    """An integer primary key (Integer, so SQLite aliases rowid)."""
    return so.mapped_column(sa.Integer, primary_key=True)


def created_column() -> so.MappedColumn[datetime]:
    """A creation timestamp set when the row is inserted."""
    return so.mapped_column(UTCDateTime(), default=utcnow, nullable=False)
