"""Business dates are calendar dates in Asia/Shanghai. Pure."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta
from zoneinfo import ZoneInfo

SHANGHAI = ZoneInfo("Asia/Shanghai")


def business_date(moment: datetime | None = None) -> date:
    """The Asia/Shanghai calendar date of an aware moment (default: now)."""
    moment = moment or datetime.now(UTC)
    if moment.tzinfo is None:
        raise ValueError("business_date needs an aware datetime")
    return moment.astimezone(SHANGHAI).date()


def on_day(moment: datetime, day: date) -> datetime:
    """The same moment moved by whole days so that its business date is `day` (the time of day is kept)."""
    return moment + timedelta(days=(day - business_date(moment)).days)
