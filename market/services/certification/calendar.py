"""The working-day calendar: loading it for notice periods, seeding published years from the `holidays`
package, and county staff's edits (each audited)."""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date, timedelta

import holidays
import sqlalchemy as sa
from flask import current_app
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l

from market.domain.working_days import CalendarDayKind, CalendarError, NoticePeriod, WorkingCalendar, entry_problem
from market.extensions import db
from market.models import CalendarDay, CalendarYear, User
from market.models.base import utcnow
from market.services.accounts import audit
from market.services.errors import ServiceError

# Years whose holidays the State Council has published and the `holidays` package carries as published (its
# entries for later years are rule-based guesses without the adjusted working weekends, so they are not used).
# Add a year here once the package has its notice; until then staff enter it at /county/calendar.
PUBLISHED_YEARS: tuple[int, ...] = (2026,)
NAME_LENGTH = 60
# The domain's one-line refusals, in the user's language.
PROBLEMS = {"An adjusted working day must be a Saturday or a Sunday.":
            _l("An adjusted working day must be a Saturday or a Sunday.")}
SWAPPED = re.compile(r"\d{4}-\d{2}-\d{2}")  # the package's label of a swapped day off names the worked day


def load_calendar(first: date, last: date) -> WorkingCalendar:
    """The calendar entries dated first..last and every published year, in one query."""
    days = sa.select(CalendarDay.day, CalendarDay.kind, sa.null().label("year")).where(
        CalendarDay.day.between(first, last))
    years = sa.select(sa.null(), sa.null(), CalendarYear.year)
    holidays_, working, published = set(), set(), set()
    for day, kind, year in db.session.execute(sa.union_all(days, years)):
        if year is not None:
            published.add(int(year))
        elif kind == CalendarDayKind.HOLIDAY:
            holidays_.add(_as_date(day))
        else:
            working.add(_as_date(day))
    return WorkingCalendar.of(holidays_, working, published)


def _as_date(value: date | str) -> date:
    """A date column read through a UNION (SQLite may hand back its text)."""
    return value if isinstance(value, date) else date.fromisoformat(value)


def notice_working_days() -> int:
    """MARKET_NOTICE_WORKING_DAYS: how many working days a decision stays on notice."""
    return int(current_app.config["MARKET_NOTICE_WORKING_DAYS"])


def notice_period(decided_on: date, working_days: int | None = None) -> NoticePeriod:
    """The notice period of a decision taken on `decided_on` (see market.domain.working_days), over the
    calendar as the database holds it; `working_days` defaults to MARKET_NOTICE_WORKING_DAYS."""
    n = notice_working_days() if working_days is None else working_days
    span = timedelta(days=max(31, 3 * n))
    while True:  # load a range, widen it if the period runs past it (only when a break is very long)
        last = decided_on + span
        try:
            period = load_calendar(decided_on, last).notice_period(decided_on, n)
        except CalendarError as exc:
            raise ServiceError(str(exc)) from None
        if period.last_day <= last:
            return period
        span *= 2


def notice_ends_on(decided_on: date, working_days: int | None = None) -> date:
    """The last working day of the notice period of a decision taken on `decided_on`."""
    return notice_period(decided_on, working_days).last_day


def official_days(year: int) -> list[tuple[date, CalendarDayKind, str]]:
    """The State Council's holidays and adjusted working days of `year` as the `holidays` package has them,
    named in Chinese: a swapped day off as "国庆节（调休）", a worked weekend day as "国庆节调休上班"."""
    package = holidays.country_holidays("CN", years=year, language="zh_CN")
    named = {day: str(name) for day, name in package.items() if day.year == year}
    festivals = {day: name for day, name in named.items() if not SWAPPED.search(name)}

    def festival_near(day: date) -> str | None:
        if not festivals:
            return None
        nearest = min(festivals, key=lambda d: (abs((d - day).days), d))
        return festivals[nearest].replace("（补假）", "")

    worked_for: dict[date, str] = {}
    entries = []
    for day, name in sorted(named.items()):
        found = SWAPPED.search(name)
        if found:
            festival = festival_near(day)
            name = f"{festival}（调休）" if festival else name
            worked_for[date.fromisoformat(found.group())] = festival or ""
        entries.append((day, CalendarDayKind.HOLIDAY, name[:NAME_LENGTH]))
    for day in sorted(d for d in package.weekend_workdays if d.year == year):
        entries.append((day, CalendarDayKind.WORKING_DAY, f"{worked_for.get(day, '')}调休上班"))
    return sorted(entries)


def seed_published_calendar(years: tuple[int, ...] = PUBLISHED_YEARS) -> dict[str, int]:
    """Enter and publish each year of `years` not yet published, from the `holidays` package; a year already
    published is left as staff keep it, and a date staff entered first is kept. Safe to run again."""
    done = set(db.session.scalars(sa.select(CalendarYear.year).where(CalendarYear.year.in_(years))))
    created = {"calendar years": 0, "calendar days": 0}
    for year in sorted(set(years) - done):
        entries = official_days(year)
        taken = set(db.session.scalars(sa.select(CalendarDay.day).where(
            CalendarDay.day.between(date(year, 1, 1), date(year, 12, 31)))))
        fresh = [CalendarDay(day=day, kind=kind, name=name) for day, kind, name in entries if day not in taken]
        db.session.add_all(fresh)
        published = CalendarYear(year=year)
        db.session.add(published)
        audit.record(None, "calendar.year_seeded", published, after={
            "year": year, "days": len(fresh), "source": f"holidays {holidays.__version__}"})
        created["calendar years"] += 1
        created["calendar days"] += len(fresh)
    db.session.flush()
    return created


def year_entries(year: int) -> list[CalendarDay]:
    """A year's calendar entries in date order."""
    return list(db.session.scalars(sa.select(CalendarDay).where(
        CalendarDay.day.between(date(year, 1, 1), date(year, 12, 31))).order_by(CalendarDay.day)))


def published_years() -> list[CalendarYear]:
    """The published years, oldest first."""
    return list(db.session.scalars(sa.select(CalendarYear).order_by(CalendarYear.year)))


def _snapshot(row: CalendarDay) -> dict[str, str]:
    return {"day": row.day.isoformat(), "kind": row.kind, "name": row.name}


def set_day(actor: User, day: date, kind: CalendarDayKind, name: str) -> CalendarDay:
    """Enter a holiday or an adjusted working day, or change the entry the date already has."""
    name = name.strip()
    if not name:
        raise ServiceError(_("Give the day a name, such as 国庆节."), field="name")
    if len(name) > NAME_LENGTH:
        raise ServiceError(_("A name has at most %(n)d characters.", n=NAME_LENGTH), field="name")
    problem = entry_problem(day, kind)
    if problem:
        raise ServiceError(str(PROBLEMS.get(problem, problem)), field="day")
    row = db.session.scalar(sa.select(CalendarDay).where(CalendarDay.day == day))
    before = _snapshot(row) if row else None
    changes = {"kind": kind, "name": name, "changed_by_id": actor.id, "changed_at": utcnow()}
    if row is None:
        row = CalendarDay(day=day, **changes)
        db.session.add(row)
    else:
        for key, value in changes.items():
            setattr(row, key, value)
    audit.record(actor, "calendar.day_set", row, before=before, after=_snapshot(row))
    return row


def remove_day(actor: User, day: date) -> None:
    """Remove a date's entry: it becomes what its weekday says."""
    row = db.session.scalar(sa.select(CalendarDay).where(CalendarDay.day == day))
    if row is None:
        raise ServiceError(_("%(day)s is not in the calendar.", day=day.isoformat()), field="day")
    audit.record(actor, "calendar.day_removed", row, before=_snapshot(row))
    db.session.delete(row)
    db.session.flush()


def publish_year(actor: User, year: int) -> CalendarYear:
    """Mark a year's holidays as published: from now on its entries count in notice periods."""
    if not 2000 <= year <= 2200:
        raise ServiceError(_("Choose a year between %(first)d and %(last)d.", first=2000, last=2200), field="year")
    if db.session.scalar(sa.select(CalendarYear).where(CalendarYear.year == year)):
        raise ServiceError(_("%(year)d is already published.", year=year), field="year")
    row = CalendarYear(year=year, published_by_id=actor.id, published_at=utcnow())
    db.session.add(row)
    audit.record(actor, "calendar.year_published", row, after={"year": year, "days": len(year_entries(year))})
    return row


def withdraw_year(actor: User, year: int) -> None:
    """Take back a year's publication (marked by mistake): Monday to Friday count there again."""
    row = db.session.scalar(sa.select(CalendarYear).where(CalendarYear.year == year))
    if row is None:
        raise ServiceError(_("%(year)d is not published.", year=year), field="year")
    audit.record(actor, "calendar.year_withdrawn", row, before={"year": year})
    db.session.delete(row)
    db.session.flush()


@dataclass(frozen=True)
class CalendarPage:
    """What the county's calendar page shows for one year."""

    year: int
    published: CalendarYear | None
    entries: list[CalendarDay]
    today_period: NoticePeriod  # the notice period of a decision taken today, as an example
    published_years: list[int]


def calendar_page(year: int, today: date) -> CalendarPage:
    """A year's entries and publication, and the notice period a decision taken `today` would have."""
    published = db.session.scalar(sa.select(CalendarYear).where(CalendarYear.year == year))
    years = [row.year for row in published_years()]
    return CalendarPage(year, published, year_entries(year), notice_period(today), years)
