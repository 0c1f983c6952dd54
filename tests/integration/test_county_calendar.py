"""The county's working-day calendar page: county staff only, a year's days listed, a day added, changed and
removed, a year published and withdrawn, every change audited, refusals shown as 4xx, CSRF required."""

from __future__ import annotations

from datetime import date

import sqlalchemy as sa

from market.extensions import db
from market.models import AuditEvent, CalendarDay, CalendarYear, OutletMembership
from market.services.certification.calendar import seed_published_calendar
from tests.conftest import csrf_token
from tests.factories import PASSWORD, OutletFactory, UserFactory

EN = {"Accept-Language": "en"}


def login_county(auth, email: str = "county@example.com") -> None:
    UserFactory(email=email, roles_given=("county_staff",), locale="en")
    auth.login(email, PASSWORD)


def page(client, path: str) -> str:
    response = client.get(path, headers=EN)
    assert response.status_code == 200, path
    return response.get_data(as_text=True)


def post(client, path: str, **data: str):
    token = csrf_token(client, "/county/calendar")
    return client.post(path, data={"csrf_token": token, **data}, headers=EN)


def actions() -> list[str]:
    db.session.rollback()
    return list(db.session.scalars(sa.select(AuditEvent.action).order_by(AuditEvent.id)))


def days() -> dict[date, tuple[str, str]]:
    db.session.rollback()
    return {row.day: (row.kind, row.name) for row in db.session.scalars(sa.select(CalendarDay))}


def test_consumers_and_outlet_staff_are_refused(client, auth, app):
    outlet = OutletFactory()
    assert client.get("/county/calendar").status_code == 302  # anonymous: to the login page
    for roles in (("consumer",), ("outlet_staff",)):
        user = UserFactory(roles_given=roles)
        if "outlet_staff" in roles:
            db.session.add(OutletMembership(user=user, outlet=outlet))
            db.session.commit()
        auth.login(user.email, PASSWORD)
        assert client.get("/county/calendar").status_code == 403
        token = csrf_token(client, "/account/")
        for path, data in (("/county/calendar/days", {"day": "2027-01-01", "kind": "holiday", "name": "元旦"}),
                           ("/county/calendar/days/remove", {"day": "2026-10-01"}),
                           ("/county/calendar/years", {"year": "2027"})):
            assert client.post(path, data={"csrf_token": token, **data}).status_code == 403, path
        auth.logout()
    assert days() == {} and actions() == []


def test_staff_see_2026_as_seeded_with_the_notice_period_of_today(client, auth, app):
    seed_published_calendar()
    db.session.commit()
    app.config["MARKET_TODAY"] = date(2026, 9, 30)
    try:
        login_county(auth)
        html = page(client, "/county/calendar?year=2026")
    finally:
        app.config["MARKET_TODAY"] = None
    assert "国庆节调休上班" in html and "2026-09-20" in html and "2026-10-07" in html
    assert "The holidays of 2026 are published" in html
    assert "from 2026-10-08 to 2026-10-13 (5 working days)" in html
    assert "holidays package" in html


def test_the_index_links_to_the_calendar(client, auth, app):
    login_county(auth)
    assert 'href="/county/calendar"' in page(client, "/county/")


def test_a_year_not_published_says_so_and_today_in_it_counts_monday_to_friday(client, auth, app):
    app.config["MARKET_TODAY"] = date(2026, 12, 30)
    try:
        login_county(auth)
        html = page(client, "/county/calendar?year=2027")
    finally:
        app.config["MARKET_TODAY"] = None
    assert "are not marked as published" in html and "Mark 2027 as published" in html
    assert "Holidays of 2026, 2027 are not yet published" in html


def test_staff_add_change_and_remove_a_day_and_publish_a_year(client, auth, app):
    login_county(auth)
    response = post(client, "/county/calendar/days", day="2027-01-01", kind="holiday", name="元旦", year="2027")
    assert response.status_code == 302 and response.location.endswith("/county/calendar?year=2027")
    post(client, "/county/calendar/days", day="2027-01-01", kind="holiday", name="元旦节", year="2027")
    post(client, "/county/calendar/days", day="2027-02-20", kind="working_day", name="春节调休上班", year="2027")
    assert days() == {date(2027, 1, 1): ("holiday", "元旦节"), date(2027, 2, 20): ("working_day", "春节调休上班")}
    assert "元旦节" in page(client, "/county/calendar?year=2027")

    assert post(client, "/county/calendar/years", year="2027", action="publish").status_code == 302
    db.session.rollback()
    assert db.session.scalar(sa.select(CalendarYear.year)) == 2027
    assert "The holidays of 2027 are published" in page(client, "/county/calendar?year=2027")

    assert post(client, "/county/calendar/days/remove", day="2027-01-01").status_code == 302
    assert post(client, "/county/calendar/years", year="2027", action="withdraw").status_code == 302
    assert list(days()) == [date(2027, 2, 20)]
    assert db.session.scalar(sa.select(sa.func.count()).select_from(CalendarYear)) == 0
    assert actions() == ["calendar.day_set", "calendar.day_set", "calendar.day_set", "calendar.year_published",
                         "calendar.day_removed", "calendar.year_withdrawn"]
    db.session.rollback()
    actor = db.session.scalar(sa.select(AuditEvent.actor_id).where(AuditEvent.action == "calendar.day_removed"))
    assert actor is not None


def test_a_weekday_as_working_day_or_a_bad_date_is_shown_on_the_form(client, auth, app):
    login_county(auth)
    weekday = post(client, "/county/calendar/days", day="2027-01-04", kind="working_day", name="上班")
    assert weekday.status_code == 422
    assert "An adjusted working day must be a Saturday or a Sunday." in weekday.get_data(as_text=True)
    for bad in ("2027-02-30", "tomorrow", ""):
        response = post(client, "/county/calendar/days", day=bad, kind="holiday", name="节")
        assert response.status_code == 422, bad
    unnamed = post(client, "/county/calendar/days", day="2027-01-01", kind="holiday", name="")
    assert unnamed.status_code == 422
    odd_kind = post(client, "/county/calendar/days", day="2027-01-01", kind="weekend", name="节")
    assert odd_kind.status_code == 422
    assert days() == {} and actions() == []


def test_refusals_are_clear_4xx_never_500(client, auth, app):
    login_county(auth)
    assert post(client, "/county/calendar/days/remove", day="nonsense").status_code == 400
    assert post(client, "/county/calendar/years", year="19999").status_code == 400
    missing = post(client, "/county/calendar/days/remove", day="2027-01-01")
    assert missing.status_code == 302
    assert "2027-01-01 is not in the calendar." in page(client, "/county/calendar?year=2027")
    post(client, "/county/calendar/years", year="2027")
    post(client, "/county/calendar/years", year="2027")
    assert "2027 is already published." in page(client, "/county/calendar")
    assert page(client, "/county/calendar?year=abc")  # an odd year shows today's year
    assert actions() == ["calendar.year_published"]


def test_a_post_without_the_csrf_token_is_refused(client, auth, app):
    login_county(auth)
    response = client.post("/county/calendar/days", data={"day": "2027-01-01", "kind": "holiday", "name": "元旦"})
    assert response.status_code == 400
    assert client.post("/county/calendar/years", data={"year": "2027"}).status_code == 400
    assert days() == {} and actions() == []
