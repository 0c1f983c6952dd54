"""Helpers shared by the forms of every area."""

from __future__ import annotations

from flask import flash, render_template, request
from flask_wtf import FlaskForm

from market.services.errors import ServiceError


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
