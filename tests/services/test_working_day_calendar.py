"""The working-day calendar service: the seed from the `holidays` package, notice periods over the database,
and county staff's audited edits."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
import sqlalchemy as sa

from market.config import ConfigError, Settings
from market.domain.working_days import CalendarDayKind, NoticePeriod
from market.extensions import db
from market.models import AuditEvent, CalendarDay, CalendarYear
from market.services.certification.calendar import (
    PUBLISHED_YEARS,
    load_calendar,
    notice_ends_on,
    notice_period,
    official_days,
    publish_year,
    remove_day,
    seed_published_calendar,
    set_day,
    withdraw_year,
    year_entries,
)
from market.services.errors import ServiceError
from tests.calendar_2026 import HOLIDAYS_2026, WORKING_DAYS_2026
from tests.factories import UserFactory

D = date


def actions() -> list[str]:
    return list(db.session.scalars(sa.select(AuditEvent.action).order_by(AuditEvent.id)))


def test_the_package_has_the_state_councils_2026_calendar():
    entries = official_days(2026)
    assert {d for d, kind, _ in entries if kind == CalendarDayKind.HOLIDAY} == HOLIDAYS_2026
    assert {d for d, kind, _ in entries if kind == CalendarDayKind.WORKING_DAY} == WORKING_DAYS_2026


@pytest.mark.parametrize(("day", "name"), [
    (D(2026, 10, 1), "国庆节"),
    (D(2026, 10, 5), "国庆节（补假）"),
    (D(2026, 10, 6), "国庆节（调休）"),
    (D(2026, 9, 20), "国庆节调休上班"),
    (D(2026, 10, 10), "国庆节调休上班"),
    (D(2026, 2, 14), "春节调休上班"),
    (D(2026, 2, 28), "春节调休上班"),
    (D(2026, 1, 4), "元旦调休上班"),
    (D(2026, 5, 9), "劳动节调休上班"),
    (D(2026, 9, 25), "中秋节"),
])
def test_seeded_days_are_named_after_their_festival(day, name):
    assert {d: n for d, _, n in official_days(2026)}[day] == name


def test_only_published_years_are_seeded_by_default():
    assert PUBLISHED_YEARS == (2026,)


def test_seeding_twice_enters_and_publishes_2026_once(db_session):
    first = seed_published_calendar()
    second = seed_published_calendar()
    assert first == {"calendar years": 1, "calendar days": len(HOLIDAYS_2026) + len(WORKING_DAYS_2026)}
    assert second == {"calendar years": 0, "calendar days": 0}
    assert list(db.session.scalars(sa.select(CalendarYear.year))) == [2026]
    assert actions() == ["calendar.year_seeded"]


def test_the_seed_keeps_a_day_staff_entered_first(db_session):
    staff = UserFactory(roles_given=("county_staff",))
    set_day(staff, D(2026, 10, 8), CalendarDayKind.HOLIDAY, "县庆")
    set_day(staff, D(2026, 10, 1), CalendarDayKind.HOLIDAY, "国庆")
    seed_published_calendar()
    names = {row.day: row.name for row in year_entries(2026)}
    assert names[D(2026, 10, 1)] == "国庆" and names[D(2026, 10, 8)] == "县庆"


def test_a_notice_period_over_national_day_ends_later_than_in_an_ordinary_week(db_session):
    seed_published_calendar()
    assert notice_ends_on(D(2026, 9, 30)) == D(2026, 10, 13)
    assert notice_ends_on(D(2026, 11, 4)) == D(2026, 11, 11)
    assert notice_period(D(2026, 12, 30)) == NoticePeriod(D(2026, 12, 31), D(2027, 1, 6), (2027,))


def test_without_a_seed_every_year_counts_monday_to_friday(db_session):
    assert notice_period(D(2026, 9, 30)) == NoticePeriod(D(2026, 10, 1), D(2026, 10, 7), (2026,))


def test_the_period_follows_the_setting(db_session, migrated_app):
    seed_published_calendar()
    migrated_app.config["MARKET_NOTICE_WORKING_DAYS"] = 7
    try:
        assert notice_ends_on(D(2026, 11, 4)) == D(2026, 11, 13)
    finally:
        migrated_app.config["MARKET_NOTICE_WORKING_DAYS"] = 5
    assert notice_ends_on(D(2026, 11, 4), 1) == D(2026, 11, 5)


def test_a_period_longer_than_the_first_range_loaded_is_still_counted(db_session):
    staff = UserFactory(roles_given=("county_staff",))
    publish_year(staff, 2030)
    for offset in range(60):  # a silly two months of holidays: the service must widen what it loads
        set_day(staff, D(2030, 1, 1) + timedelta(days=offset), CalendarDayKind.HOLIDAY, "假")
    assert notice_ends_on(D(2029, 12, 31), 5) == D(2030, 3, 8)


def test_load_calendar_reads_one_range_and_every_published_year(db_session):
    seed_published_calendar()
    calendar = load_calendar(D(2026, 10, 1), D(2026, 10, 31))
    assert calendar.published_years == {2026}
    assert calendar.holidays == {d for d in HOLIDAYS_2026 if d.month == 10}
    assert calendar.working_days == {D(2026, 10, 10)}


def test_staff_add_change_and_remove_a_day_each_audited(db_session):
    staff = UserFactory(roles_given=("county_staff",))
    publish_year(staff, 2027)
    assert notice_ends_on(D(2026, 12, 31), 1) == D(2027, 1, 1)
    set_day(staff, D(2027, 1, 1), CalendarDayKind.HOLIDAY, " 元旦 ")
    assert notice_ends_on(D(2026, 12, 31), 1) == D(2027, 1, 4)
    row = set_day(staff, D(2027, 1, 1), CalendarDayKind.HOLIDAY, "元旦节")
    assert (row.name, row.changed_by_id) == ("元旦节", staff.id)
    remove_day(staff, D(2027, 1, 1))
    assert notice_ends_on(D(2026, 12, 31), 1) == D(2027, 1, 1)
    withdraw_year(staff, 2027)
    assert actions() == ["calendar.year_published", "calendar.day_set", "calendar.day_set",
                         "calendar.day_removed", "calendar.year_withdrawn"]
    changed = db.session.scalars(sa.select(AuditEvent).where(AuditEvent.action == "calendar.day_set")).all()
    assert changed[1].before == {"day": "2027-01-01", "kind": "holiday", "name": "元旦"}
    assert changed[1].after == {"day": "2027-01-01", "kind": "holiday", "name": "元旦节"}
    assert db.session.scalar(sa.select(sa.func.count()).select_from(CalendarDay)) == 0


@pytest.mark.parametrize(("day", "kind", "name", "field"), [
    (D(2027, 1, 4), CalendarDayKind.WORKING_DAY, "调休上班", "day"),  # a Monday
    (D(2027, 1, 2), CalendarDayKind.WORKING_DAY, "   ", "name"),
    (D(2027, 1, 2), CalendarDayKind.WORKING_DAY, "长" * 61, "name"),
])
def test_a_nonsense_entry_is_refused(db_session, day, kind, name, field):
    staff = UserFactory(roles_given=("county_staff",))
    with pytest.raises(ServiceError) as refused:
        set_day(staff, day, kind, name)
    assert refused.value.field == field
    assert actions() == []


def test_removing_a_missing_day_or_publishing_twice_is_refused(db_session):
    staff = UserFactory(roles_given=("county_staff",))
    with pytest.raises(ServiceError, match="2027-01-01"):
        remove_day(staff, D(2027, 1, 1))
    publish_year(staff, 2027)
    with pytest.raises(ServiceError, match="already"):
        publish_year(staff, 2027)
    with pytest.raises(ServiceError, match="not published"):
        withdraw_year(staff, 2028)
    with pytest.raises(ServiceError):
        publish_year(staff, 1999)


@pytest.mark.parametrize(("raw", "expected"), [(None, 5), ("", 5), ("10", 10), (" 3 ", 3)])
def test_the_notice_setting_defaults_to_five_working_days(tmp_path, raw, expected):
    env = {"MARKET_INSTANCE_PATH": str(tmp_path)}
    if raw is not None:
        env["MARKET_NOTICE_WORKING_DAYS"] = raw
    settings = Settings.from_env(env)
    assert settings.notice_working_days == expected
    assert settings.as_flask_config()["MARKET_NOTICE_WORKING_DAYS"] == expected


@pytest.mark.parametrize("raw", ["0", "-2", "five", "2.5"])
def test_a_notice_setting_that_is_not_a_positive_whole_number_is_refused(tmp_path, raw):
    with pytest.raises(ConfigError, match="MARKET_NOTICE_WORKING_DAYS"):
        Settings.from_env({"MARKET_INSTANCE_PATH": str(tmp_path), "MARKET_NOTICE_WORKING_DAYS": raw})


def test_market_seed_enters_the_published_calendar(db_session):
    from market.services.catalog.reference import seed_reference

    seed_reference()
    assert list(db.session.scalars(sa.select(CalendarYear.year))) == [2026]
    assert {row.day for row in year_entries(2026)} == HOLIDAYS_2026 | WORKING_DAYS_2026


def test_every_refusal_of_the_domain_has_a_translatable_message():
    from market.domain.working_days import entry_problem
    from market.services.certification.calendar import PROBLEMS

    assert entry_problem(D(2027, 1, 4), CalendarDayKind.WORKING_DAY) in PROBLEMS
