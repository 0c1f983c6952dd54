"""Sampling (抽查) of offline sale lines: how many lines to draw, and which, reproducibly from a seed. Pure."""

from __future__ import annotations

import random
from collections.abc import Sequence

MAX_PERCENT = 100


def sample_size(population: int, *, count: int | None = None, percent: int | None = None) -> int:
    """N lines, or N% of the population rounded up; at least one line and at most the population.

    Exactly one of `count` and `percent` is given; ValueError (with a one-line reason) for nonsense."""
    if population < 1:
        raise ValueError("there are no lines to draw from")
    if (count is None) == (percent is None):
        raise ValueError("give either a number of lines or a percentage")
    if count is not None:
        if count < 1:
            raise ValueError("draw at least one line")
        return min(count, population)
    assert percent is not None
    if not 1 <= percent <= MAX_PERCENT:
        raise ValueError("a percentage runs from 1 to 100")
    return max(1, -(-population * percent // 100))


def draw(population: Sequence[int], size: int, seed: str) -> list[int]:
    """`size` ids drawn from `population` (taken in ascending order, whatever order it came in), sorted.

    The same population, size and seed always give the same lines: anyone can repeat a recorded draw."""
    ordered = sorted(set(population))
    if not 1 <= size <= len(ordered):
        raise ValueError("the sample size must be between 1 and the population")
    return sorted(random.Random(seed).sample(ordered, size))  # noqa: S311 - a reproducible draw, not a secret
