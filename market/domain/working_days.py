"""Working days for the public notice (公示): official holidays, adjusted working weekends, published years. Pure.

The State Council publishes each year's holidays late in the year before: days off (放假, some of them
weekdays swapped with a weekend, 调休) and weekend days that are working days instead (调休上班). A year is
*published* once county staff (or the seed, from the `holidays` package) have marked it so; only then do its
holiday and working-day entries count. In a year that is not published, Monday to Friday are working days and
nothing else is, and the caller is told which years of a period were counted that way, so the notice can say
that the year's holidays are not yet published.

The notice period, precisely: a decision taken on day D (any day, working or not) goes on notice for N working
days. The period starts on the first working day after D and ends at the end of its N-th working day, the
`last_day`; objections are accepted through `last_day`, and the notice may close from the next day on. A
period of 5 working days decided on a Friday in an ordinary week runs Monday to Friday of the next week.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, timedelta
from enum import StrEnum

SATURDAY = 5


class CalendarDayKind(StrEnum):
    """What an entry of the calendar says about its date. The members' order is the order of the CHECK."""

    HOLIDAY = "holiday"  # an official day off (放假), a weekday or not
    WORKING_DAY = "working_day"  # a weekend day that is a working day (调休上班)


class CalendarError(ValueError):
    """A calendar entry or a period that cannot be; the message is one line for the person who asked."""


def is_weekend(day: date) -> bool:
    """Saturday or Sunday."""
    return day.weekday() >= SATURDAY


def entry_problem(day: date, kind: CalendarDayKind) -> str | None:
    """Why an entry makes no sense, or None: an adjusted working day is always a Saturday or a Sunday
    (a weekday is a working day anyway). A holiday may fall on a weekend: the official lists name those too."""
    if kind == CalendarDayKind.WORKING_DAY and not is_weekend(day):
        return "An adjusted working day must be a Saturday or a Sunday."
    return None


@dataclass(frozen=True)
class NoticePeriod:
    """A notice period: its first and last working day, and the years it crosses whose holidays are not
    published (Monday to Friday counted there)."""

    first_day: date
    last_day: date
    unpublished_years: tuple[int, ...]

    @property
    def closes_on(self) -> date:
        """The first day on which the notice may close (the day after its last working day)."""
        return self.last_day + timedelta(days=1)


@dataclass(frozen=True)
class WorkingCalendar:
    """The official holidays, the adjusted working days and the published years, as loaded for a range.

    Entries of a year that is not published are kept but ignored until it is."""

    holidays: frozenset[date]
    working_days: frozenset[date]
    published_years: frozenset[int]

    @classmethod
    def of(cls, holidays: Iterable[date] = (), working_days: Iterable[date] = (),
           published_years: Iterable[int] = ()) -> WorkingCalendar:
        """Build a calendar, refusing a date that is both a holiday and a working day, or a working day that
        is not on a weekend."""
        calendar = cls(frozenset(holidays), frozenset(working_days), frozenset(published_years))
        both = calendar.holidays & calendar.working_days
        if both:
            raise CalendarError(f"{min(both).isoformat()} is both a holiday and a working day.")
        for day in sorted(calendar.working_days):
            if entry_problem(day, CalendarDayKind.WORKING_DAY):
                raise CalendarError(f"{day.isoformat()} is a weekday, not an adjusted working day.")
        return calendar

    def is_published(self, year: int) -> bool:
        """True when the year's holidays are published (its entries count)."""
        return year in self.published_years

    def is_working_day(self, day: date) -> bool:
        """True when `day` is a working day: in a published year a weekday that is not a holiday or a weekend
        day that is an adjusted working day; in any other year Monday to Friday."""
        if self.is_published(day.year):
            if day in self.working_days:
                return True
            if day in self.holidays:
                return False
        return not is_weekend(day)

    def next_working_day(self, after: date) -> date:
        """The first working day strictly after `after`."""
        day = after + timedelta(days=1)
        while not self.is_working_day(day):
            day += timedelta(days=1)
        return day

    def notice_period(self, decided_on: date, working_days: int) -> NoticePeriod:
        """The notice period of a decision taken on `decided_on` lasting `working_days` working days (see the
        module docstring): it starts on the next working day and ends on its `working_days`-th working day."""
        if working_days < 1:
            raise CalendarError("A notice period lasts at least one working day.")
        first = last = self.next_working_day(decided_on)
        for _ in range(working_days - 1):
            last = self.next_working_day(last)
        years = range(first.year, last.year + 1)
        return NoticePeriod(first, last, tuple(year for year in years if not self.is_published(year)))

    def notice_ends_on(self, decided_on: date, working_days: int) -> date:
        """The last working day of the notice period of a decision taken on `decided_on`."""
        return self.notice_period(decided_on, working_days).last_day

    def working_days_between(self, first: date, last: date) -> int:
        """How many working days lie in [first, last] (0 when last is before first)."""
        count, day = 0, first
        while day <= last:
            count += self.is_working_day(day)
            day += timedelta(days=1)
        return count
