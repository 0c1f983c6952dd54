"""Sampling offline sale lines: sizes (N lines, N% rounded up, at least one) and reproducible draws."""

from __future__ import annotations

import pytest

from market.domain.sale_sample import draw, sample_size


@pytest.mark.parametrize(
    ("population", "count", "percent", "size"),
    [
        (100, 5, None, 5),
        (3, 5, None, 3),  # never more than there are
        (1, 1, None, 1),
        (100, None, 10, 10),
        (101, None, 10, 11),  # 10.1 rounded up
        (9, None, 10, 1),  # 0.9 rounded up
        (1, None, 1, 1),  # at least one line
        (250, None, 1, 3),  # 2.5 rounded up
        (7, None, 100, 7),
        (30, None, 33, 10),  # 9.9 rounded up
    ],
)
def test_sample_size(population: int, count: int | None, percent: int | None, size: int) -> None:
    assert sample_size(population, count=count, percent=percent) == size


@pytest.mark.parametrize(
    ("population", "count", "percent", "message"),
    [
        (0, 1, None, "no lines"),
        (10, None, None, "either"),
        (10, 1, 10, "either"),
        (10, 0, None, "at least one"),
        (10, -3, None, "at least one"),
        (10, None, 0, "1 to 100"),
        (10, None, 101, "1 to 100"),
    ],
)
def test_sample_size_refusals(population: int, count: int | None, percent: int | None, message: str) -> None:
    with pytest.raises(ValueError, match=message):
        sample_size(population, count=count, percent=percent)


def test_the_same_seed_draws_the_same_lines_in_any_input_order() -> None:
    population = list(range(1000, 1100))
    first = draw(population, 10, "4f1c")
    assert first == draw(list(reversed(population)), 10, "4f1c")
    assert len(set(first)) == 10 and set(first) <= set(population)
    assert first == sorted(first)


def test_other_seeds_draw_other_lines() -> None:
    population = list(range(1000))
    draws = {tuple(draw(population, 10, seed)) for seed in ("a", "b", "c", "d")}
    assert len(draws) == 4


def test_a_draw_of_everything_is_everything() -> None:
    assert draw([5, 3, 3, 9], 3, "x") == [3, 5, 9]


@pytest.mark.parametrize("size", [0, 4])
def test_a_draw_larger_than_the_population_or_empty_is_refused(size: int) -> None:
    with pytest.raises(ValueError, match="between 1 and the population"):
        draw([1, 2, 3], size, "x")
