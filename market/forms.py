"""Helpers shared by the forms of every area."""

from __future__ import annotations

from flask import flash
from flask_wtf import FlaskForm

from market.services.errors import ServiceError


def apply_service_error(form: FlaskForm, err: ServiceError) -> None:
    """Show a service's refusal next to the field it names, or as a flash message."""
    field = getattr(form, err.field, None) if err.field else None
    if field is not None:
        field.errors = [*field.errors, err.message]
    else:
        flash(err.message, "error")
