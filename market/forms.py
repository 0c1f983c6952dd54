"""Helpers shared by the forms of every area."""

from __future__ import annotations

from collections.abc import Callable

from flask import flash, render_template, request
from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms.validators import DataRequired, Email, Length

from market.extensions import db
from market.services.errors import ServiceError

MOBILE = r"^1[3-9]\d{9}$"  # an 11-digit mainland mobile number


def apply_service_error(form: FlaskForm, err: ServiceError) -> None:
    """Show a service's refusal next to the field it names, or as a flash message."""
    field = getattr(form, err.field, None) if err.field else None
    if field is not None:
        field.errors = [*field.errors, err.message]
    else:
        flash(err.message, "error")


def render_form_page(template: str, **context: object) -> tuple[str, int]:
    """Render a page with a form: 200 on GET; on POST the form is shown again only because the input
    was refused, so answer 422 (the browser shows the messages, clients see a 4xx)."""
    return render_template(template, **context), 422 if request.method == "POST" else 200


# Validators with the market's own messages (WTForms' built-in Chinese mixes in English words).
def required() -> DataRequired:
    """A field that must be filled in."""
    return DataRequired(message=_l("This field is required."))


def valid_email() -> Email:
    """A syntactically valid email address."""
    return Email(message=_l("Enter a valid email address, such as name@example.com."))


def length(max: int, min: int = -1) -> Length:  # noqa: A002 - WTForms' own names
    """At most `max` (and at least `min`) characters."""
    if min > 0:
        return Length(min=min, max=max, message=_l("Use %(min)d to %(max)d characters."))
    return Length(max=max, message=_l("Use at most %(max)d characters."))


def commit_or_flash(action: Callable[[], object], success: str) -> bool:
    """Run one service call: commit and flash `success`, or roll back and flash the service's refusal.

    The shape of every button-like POST: nothing is half-written when a rule says no."""
    try:
        action()
    except ServiceError as err:
        db.session.rollback()
        flash(err.message, "error")
        return False
    db.session.commit()
    flash(success, "success")
    return True


def commit_or_show(form: FlaskForm, action: Callable[[], object]) -> bool:
    """Run one service call for a form: commit, or roll back and show the service's refusal on the form.

    The shape of every form POST: nothing is half-written when a rule says no; True when it was saved."""
    try:
        action()
    except ServiceError as err:
        db.session.rollback()
        apply_service_error(form, err)
        return False
    db.session.commit()
    return True
