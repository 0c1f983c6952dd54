"""Certification windows (认定有效期): when a county decision is in force. Pure."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date


@dataclass(frozen=True)
class Window:
    """From `valid_from` (inclusive) to `valid_to` (inclusive, open when None), ended early by revocation."""

    valid_from: date | None
    valid_to: date | None = None
    revoked_on: date | None = None


def holds_on(window: Window, day: date) -> bool:
    """True when the window is in force on the day; a revocation takes effect on its own date."""
    if window.valid_from is None or day < window.valid_from:
        return False
    if window.valid_to is not None and day > window.valid_to:
        return False
    return window.revoked_on is None or day < window.revoked_on


def any_holds_on(windows: Iterable[Window], day: date) -> bool:
    """True when any of the windows holds on the day (a renewal after a gap is a second window)."""
    return any(holds_on(w, day) for w in windows)
