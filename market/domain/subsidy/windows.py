"""Certification windows (认定): when an outlet or product is certified on a day, per SUBSIDY.md."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date


@dataclass(frozen=True)
class Certification:
    """One county certification: in force from `valid_from` through `valid_to` (None: open), until `revoked_on`."""

    number: str | None
    valid_from: date | None
    valid_to: date | None = None
    revoked_on: date | None = None

    def holds_on(self, day: date) -> bool:
        """True when in force on the day; without `from` never, and a revocation counts from its own day."""
        return (self.valid_from is not None and self.valid_from <= day
                and (self.valid_to is None or day <= self.valid_to)
                and (self.revoked_on is None or day < self.revoked_on))


def certified_on(certifications: Iterable[Certification], day: date) -> bool:
    """True when any certification holds on the day (a renewal after a gap is a second certification)."""
    return any(certification.holds_on(day) for certification in certifications)
