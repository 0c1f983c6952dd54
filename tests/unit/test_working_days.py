"""Working days and notice periods over China's 2026 calendar and the unpublished 2027 (Monday to Friday)."""

from __future__ import annotations

from datetime import date, timedelta

import pytest

from market.domain.working_days import (
    CalendarDayKind,
    CalendarError,
    NoticePeriod,
    WorkingCalendar,
    entry_problem,
)
from tests.calendar_2026 import HOLIDAYS_2026, WORKING_DAYS_2026

CALENDAR = WorkingCalendar.of(HOLIDAYS_2026, WORKING_DAYS_2026, {2026})
D = date

WORKING_DAY = [  # (day, is it a working day in CALENDAR, why)
    (D(2026, 11, 11), True, "an ordinary Wednesday"),
    (D(2026, 11, 14), False, "an ordinary Saturday"),
    (D(2026, 10, 1), False, "National Day"),
    (D(2026, 10, 4), False, "a Sunday inside the National Day break"),
    (D(2026, 10, 7), False, "a weekday swapped for 10 Oct"),
    (D(2026, 10, 8), True, "the first working day after the break"),
    (D(2026, 10, 10), True, "a Saturday worked for the break"),
    (D(2026, 10, 11), False, "the Sunday after it"),
    (D(2026, 9, 20), True, "a Sunday worked for the National Day break"),
    (D(2026, 9, 25), False, "Mid-Autumn Festival, a Friday"),
    (D(2026, 2, 14), True, "a Saturday worked for the Spring Festival"),
    (D(2026, 2, 23), False, "the last day of the Spring Festival break, a Monday"),
    (D(2027, 1, 1), True, "New Year's Day of 2027, not published: a Friday counts"),
    (D(2027, 1, 2), False, "a Saturday of 2027"),
    (D(2027, 10, 1), True, "National Day 2027, not published: a Friday counts"),
]


@pytest.mark.parametrize(("day", "expected", "why"), WORKING_DAY)
def test_whether_a_day_is_a_working_day(day, expected, why):
    assert CALENDAR.is_working_day(day) is expected, why


PERIODS = [  # (decided on, working days, first day, last day, unpublished years, why)
    (D(2026, 11, 6), 5, D(2026, 11, 9), D(2026, 11, 13), (), "Friday: the next week, Monday to Friday"),
    (D(2026, 11, 4), 5, D(2026, 11, 5), D(2026, 11, 11), (), "Wednesday in an ordinary week: 7 days"),
    (D(2026, 9, 30), 5, D(2026, 10, 8), D(2026, 10, 13), (), "Wednesday before National Day: 13 days"),
    (D(2026, 10, 3), 5, D(2026, 10, 8), D(2026, 10, 13), (), "decided on a holiday"),
    (D(2026, 9, 24), 5, D(2026, 9, 28), D(2026, 10, 9), (), "over Mid-Autumn and National Day"),
    (D(2026, 9, 18), 5, D(2026, 9, 20), D(2026, 9, 24), (), "starts on a worked Sunday"),
    (D(2026, 2, 13), 5, D(2026, 2, 14), D(2026, 2, 27), (), "over the Spring Festival"),
    (D(2026, 11, 6), 1, D(2026, 11, 9), D(2026, 11, 9), (), "one working day"),
    (D(2026, 11, 6), 10, D(2026, 11, 9), D(2026, 11, 20), (), "ten working days"),
    (D(2025, 12, 31), 5, D(2026, 1, 4), D(2026, 1, 8), (), "from an unknown 2025 into New Year 2026"),
    (D(2026, 12, 30), 5, D(2026, 12, 31), D(2027, 1, 6), (2027,), "into 2027: 1 Jan 2027 counts, unpublished"),
    (D(2027, 9, 30), 5, D(2027, 10, 1), D(2027, 10, 7), (2027,), "National Day 2027, unpublished: Mon-Fri"),
    (D(2026, 12, 25), 20, D(2026, 12, 28), D(2027, 1, 22), (2027,), "a long period into 2027"),
]


@pytest.mark.parametrize(("decided_on", "n", "first", "last", "unpublished", "why"), PERIODS)
def test_the_notice_period_of_a_decision(decided_on, n, first, last, unpublished, why):
    period = CALENDAR.notice_period(decided_on, n)
    assert period == NoticePeriod(first, last, unpublished), why
    assert CALENDAR.notice_ends_on(decided_on, n) == last
    assert CALENDAR.working_days_between(first, last) == n
    assert period.closes_on == last + timedelta(days=1)


def test_a_period_over_national_day_ends_later_than_one_in_an_ordinary_week():
    ordinary = CALENDAR.notice_ends_on(D(2026, 11, 4), 5)
    national_day = CALENDAR.notice_ends_on(D(2026, 9, 30), 5)
    assert (national_day - D(2026, 9, 30)).days == 13
    assert (ordinary - D(2026, 11, 4)).days == 7


def test_once_2027_is_published_its_new_year_holiday_moves_the_end():
    calendar = WorkingCalendar.of(HOLIDAYS_2026 | {D(2027, 1, 1)}, WORKING_DAYS_2026, {2026, 2027})
    assert calendar.notice_period(D(2026, 12, 30), 5) == NoticePeriod(D(2026, 12, 31), D(2027, 1, 7), ())


def test_entries_of_an_unpublished_year_do_not_count_until_it_is_published():
    calendar = WorkingCalendar.of({D(2027, 1, 1)}, {D(2027, 1, 2)}, {2026})
    assert calendar.is_working_day(D(2027, 1, 1)) is True
    assert calendar.is_working_day(D(2027, 1, 2)) is False
    assert not calendar.is_published(2027)
    assert calendar.is_published(2026)


def test_a_published_year_without_entries_counts_monday_to_friday():
    calendar = WorkingCalendar.of(published_years={2030})
    assert calendar.notice_period(D(2030, 1, 4), 5) == NoticePeriod(D(2030, 1, 7), D(2030, 1, 11), ())


@pytest.mark.parametrize("n", [0, -1])
def test_a_period_lasts_at_least_one_working_day(n):
    with pytest.raises(CalendarError):
        CALENDAR.notice_period(D(2026, 11, 4), n)


def test_a_day_cannot_be_both_a_holiday_and_a_working_day():
    with pytest.raises(CalendarError, match="2026-10-10"):
        WorkingCalendar.of({D(2026, 10, 10)}, {D(2026, 10, 10)}, {2026})


def test_a_weekday_cannot_be_an_adjusted_working_day():
    with pytest.raises(CalendarError, match="2026-10-09"):
        WorkingCalendar.of((), {D(2026, 10, 9)}, {2026})


ENTRIES = [  # (day, kind, acceptable)
    (D(2026, 10, 10), CalendarDayKind.WORKING_DAY, True),
    (D(2026, 9, 20), CalendarDayKind.WORKING_DAY, True),
    (D(2026, 10, 9), CalendarDayKind.WORKING_DAY, False),
    (D(2026, 10, 1), CalendarDayKind.HOLIDAY, True),
    (D(2026, 10, 3), CalendarDayKind.HOLIDAY, True),
]


@pytest.mark.parametrize(("day", "kind", "acceptable"), ENTRIES)
def test_which_calendar_entries_make_sense(day, kind, acceptable):
    assert (entry_problem(day, kind) is None) is acceptable


def test_the_kinds_keep_their_database_order():
    assert [k.value for k in CalendarDayKind] == ["holiday", "working_day"]
