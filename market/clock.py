"""The app's clock: now and today, moved to MARKET_TODAY in development so flows that span days can be tried.

Views and commands read the time here and hand it to services (which never read a clock of their own). With
MARKET_TODAY unset this is the real time; set, the date is that day and the time of day stays real, so holds,
notice periods and reminders run as they would on that day.
"""

from __future__ import annotations

from datetime import UTC, date, datetime

from flask import current_app, has_app_context

from market.domain.dates import business_date, on_day


def now() -> datetime:
    """The current moment (aware UTC), on MARKET_TODAY's date when that is set."""
    real = datetime.now(UTC)
    pinned = current_app.config.get("MARKET_TODAY") if has_app_context() else None
    return on_day(real, pinned) if pinned else real


def today() -> date:
    """The business date (Asia/Shanghai) of now()."""
    return business_date(now())
