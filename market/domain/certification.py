"""Certification windows (认定有效期): when a county decision is in force. Pure; one rule for the
storefront, the back-office and the subsidy engine (SUBSIDY.md)."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date
from enum import StrEnum


@dataclass(frozen=True)
class Window:
    """From `valid_from` (inclusive) to `valid_to` (inclusive, open when None), ended early by revocation."""

    valid_from: date | None
    valid_to: date | None = None
    revoked_on: date | None = None

    def holds_on(self, day: date) -> bool:
        """In force on the day: never without a start; a revocation takes effect on its own date."""
        return (self.valid_from is not None and self.valid_from <= day
                and (self.valid_to is None or day <= self.valid_to)
                and (self.revoked_on is None or day < self.revoked_on))


def holds_on(window: Window, day: date) -> bool:
    """True when the window is in force on the day."""
    return window.holds_on(day)


def any_holds_on(windows: Iterable[Window], day: date) -> bool:
    """True when any of the windows holds on the day (a renewal after a gap is a second window)."""
    return any(w.holds_on(day) for w in windows)


class Lapse(StrEnum):
    """Why no certification holds on a day, judged from the most recent window."""

    EXPIRED = "expired"
    REVOKED = "revoked"
    PENDING = "pending"  # granted, not yet in force
    NEVER = "never"


def lapse(windows: Iterable[Window], day: date) -> tuple[Lapse, date | None] | None:
    """Why nothing holds on the day, from the most recent window: (REVOKED, on), (EXPIRED, to),
    (PENDING, from) or (NEVER, None); None when a window holds."""
    windows = list(windows)
    if any(w.holds_on(day) for w in windows):
        return None
    started = [w for w in windows if w.valid_from is not None]
    if not started:
        return (Lapse.NEVER, None)
    latest = max(started, key=lambda w: w.valid_from)  # type: ignore[arg-type, return-value]
    if latest.valid_from > day:  # type: ignore[operator]
        return (Lapse.PENDING, latest.valid_from)
    if latest.revoked_on is not None and latest.revoked_on <= day:
        return (Lapse.REVOKED, latest.revoked_on)
    return (Lapse.EXPIRED, latest.valid_to)
