"""The check shared by the (status, action) transition tables: every pair named, every pair's outcome."""

from __future__ import annotations

import itertools
from collections.abc import Callable
from enum import StrEnum

import pytest

from market.domain.transitions import TransitionRefused

REFUSED = None  # a table's outcome for a pair the machine refuses


def assert_names_every_pair(table: dict, statuses: type[StrEnum], actions: type[StrEnum]) -> None:
    """The table leaves no (status, action) pair out."""
    assert set(table) == set(itertools.product(statuses, actions))


def cases(table: dict) -> list[tuple]:
    """(status, action, expected) for pytest.mark.parametrize."""
    return [(status, action, expected) for (status, action), expected in table.items()]


def assert_move(next_status: Callable, status: StrEnum, action: StrEnum, expected: StrEnum | None) -> None:
    """The machine gives `expected` (or refuses), whether the status is the enum or the plain string the
    database gives back."""
    for stored in (status, status.value):
        if expected is REFUSED:
            with pytest.raises(TransitionRefused):
                next_status(stored, action)
        else:
            assert next_status(stored, action) is expected
