"""The error a service raises when input breaks a business rule; views show it next to the field."""

from __future__ import annotations


class ServiceError(Exception):
    """A business rule refused the request; `field` names the form field to blame, if any."""

    def __init__(self, message: str, field: str | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.field = field
