"""The working-day calendar for county staff: a year's holidays and adjusted working days, entered, removed and
published (each change audited). County staff only (the blueprint's guard)."""

from __future__ import annotations

from datetime import date

from flask import abort, redirect, request, url_for
from flask.typing import ResponseReturnValue
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import RadioField, StringField, SubmitField
from wtforms.validators import ValidationError

from market import clock
from market.county import bp
from market.domain.working_days import CalendarDayKind
from market.forms import commit_or_flash, commit_or_show, length, render_form_page, required
from market.security import acting_user
from market.services.certification import calendar

KINDS = {
    CalendarDayKind.HOLIDAY: _l("Holiday (a day off)"),
    CalendarDayKind.WORKING_DAY: _l("Adjusted working day (a weekend day worked)"),
}
FIRST_YEAR, LAST_YEAR = 2000, 2200


def parse_day(raw: str | None) -> date | None:
    """A YYYY-MM-DD date, or None."""
    raw = (raw or "").strip()
    if len(raw) != 10 or not raw.isascii():
        return None
    try:
        return date.fromisoformat(raw)
    except ValueError:
        return None


def parse_year(raw: str | None, default: int) -> int:
    """A year within the calendar's range, or `default`."""
    raw = (raw or "").strip()
    if len(raw) == 4 and raw.isascii() and raw.isdigit() and FIRST_YEAR <= int(raw) <= LAST_YEAR:
        return int(raw)
    return default


def _a_date(form: FlaskForm, field: StringField) -> None:
    if parse_day(field.data) is None:
        raise ValidationError(_l("Enter a date as YYYY-MM-DD, such as 2026-10-01."))


class CalendarDayForm(FlaskForm):
    """Enter a holiday or an adjusted working day (or change the date's entry)."""

    day = StringField(_l("Date"), validators=[required(), _a_date], render_kw={"type": "date"})
    kind = RadioField(_l("Kind"), choices=list(KINDS.items()), default=CalendarDayKind.HOLIDAY,
                      validators=[required()])
    name = StringField(_l("Name, such as 国庆节"), validators=[required(), length(calendar.NAME_LENGTH)])
    submit = SubmitField(_l("Save the day"))


def _page(year: int, form: CalendarDayForm) -> ResponseReturnValue:
    return render_form_page("county/calendar.html", page=calendar.calendar_page(year, clock.today()), form=form,
                            kinds=KINDS)


def _to_year(year: int) -> ResponseReturnValue:
    return redirect(url_for("county.working_day_calendar", year=year))


@bp.route("/calendar")
def working_day_calendar() -> ResponseReturnValue:
    """A year's holidays and adjusted working days, whether it is published, and the form to add a day."""
    year = parse_year(request.args.get("year"), clock.today().year)
    return _page(year, CalendarDayForm())


@bp.route("/calendar/days", methods=["POST"])
def set_calendar_day() -> ResponseReturnValue:
    """Enter a day (or change the entry its date has), then show its year."""
    form = CalendarDayForm()
    if form.validate_on_submit():
        day = parse_day(form.day.data)
        assert day is not None  # the form's validator said so
        if commit_or_show(form, lambda: calendar.set_day(acting_user(), day, CalendarDayKind(form.kind.data),
                                                         form.name.data or "")):
            return _to_year(day.year)
    year = parse_year(request.form.get("year"), clock.today().year)
    return _page(year, form)


@bp.route("/calendar/days/remove", methods=["POST"])
def remove_calendar_day() -> ResponseReturnValue:
    """Remove a date's entry."""
    day = parse_day(request.form.get("day"))
    if day is None:
        abort(400, _("Choose a date to remove."))
    commit_or_flash(lambda: calendar.remove_day(acting_user(), day),
                    _("%(day)s removed from the calendar.", day=day.isoformat()))
    return _to_year(day.year)


@bp.route("/calendar/years", methods=["POST"])
def publish_calendar_year() -> ResponseReturnValue:
    """Mark a year's holidays as published, or (`withdraw`) no longer published."""
    year = parse_year(request.form.get("year"), 0)
    if not year:
        abort(400, _("Choose a year between %(first)d and %(last)d.", first=FIRST_YEAR, last=LAST_YEAR))
    if request.form.get("action") == "withdraw":
        commit_or_flash(lambda: calendar.withdraw_year(acting_user(), year),
                        _("%(year)d is no longer published: Monday to Friday count there.", year=year))
    else:
        commit_or_flash(lambda: calendar.publish_year(acting_user(), year),
                        _("%(year)d is published: its holidays now count in notice periods.", year=year))
    return _to_year(year)
