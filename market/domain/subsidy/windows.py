"""Certification windows (认定) of the ledger: the shared rule of market.domain.certification, with a number."""

from __future__ import annotations

from dataclasses import dataclass

from market.domain.certification import Window
from market.domain.certification import any_holds_on as certified_on


@dataclass(frozen=True)
class Certification(Window):
    """One county certification as the ledger gives it: its window and its number."""

    number: str | None = None


__all__ = ["Certification", "certified_on"]
