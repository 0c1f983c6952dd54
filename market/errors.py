"""Styled error pages (400/403/404/405/413/429/500) in the visitor's language; never a traceback."""

from __future__ import annotations

import math
import time

from flask import Flask, render_template
from flask_babel import lazy_gettext as _l
from flask_wtf.csrf import CSRFError
from werkzeug.exceptions import HTTPException, InternalServerError

from market.extensions import db, limiter

MESSAGES = {
    400: (_l("Bad request"), _l("The request could not be understood. Go back, reload the page and try again.")),
    403: (_l("Not allowed"), _l("Your account does not have access to this page.")),
    404: (_l("Page not found"), _l("The page you asked for does not exist or has been removed.")),
    405: (_l("Method not allowed"), _l("This page cannot be used that way.")),
    413: (_l("Upload too large"), _l("The file you sent is too large.")),
    429: (_l("Too many attempts"), _l("Too many attempts in a short time. Please wait a few minutes and try again.")),
    500: (
        _l("Something went wrong"),
        _l("An unexpected error happened on our side. It has been logged; please try again later."),
    ),
}


def render_error(code: int, detail: str | None = None) -> tuple[str, int]:
    """Render the shared error page for a status code."""
    title, message = MESSAGES.get(code, MESSAGES[500] if code >= 500 else MESSAGES[400])
    return render_template("errors/error.html", code=code, title=title, message=detail or message), code


def retry_after_seconds(default: int = 60) -> int:
    """Seconds until the limits this request broke let it through again (the longest of them)."""
    limits = [lim for lim in limiter.current_limits if lim.breached]
    if not limits and limiter.current_limit is not None:
        limits = [limiter.current_limit]
    if not limits:
        return default
    return max(1, math.ceil(max(lim.window[0] for lim in limits) - time.time()))  # window[0]: reset time


def register(app: Flask) -> None:
    """Install the error handlers."""

    @app.errorhandler(CSRFError)
    def csrf_error(error: CSRFError) -> tuple[str, int]:
        return render_error(
            400, str(_l("The form has expired or was not sent from this site. Reload the page and try again."))
        )

    @app.errorhandler(429)
    def too_many_requests(error: HTTPException) -> tuple[str, int, dict[str, str]]:
        """The styled 429 page, with Retry-After saying when to try again."""
        body, code = render_error(429)
        return body, code, {"Retry-After": str(retry_after_seconds())}

    @app.errorhandler(HTTPException)
    def http_error(error: HTTPException) -> tuple[str, int] | HTTPException:
        if error.code is None or error.code < 400:
            return error
        return render_error(error.code)

    @app.errorhandler(Exception)
    def unexpected(error: Exception) -> tuple[str, int]:
        if isinstance(error, HTTPException):  # pragma: no cover - handled above
            return render_error(error.code or 500)
        app.logger.exception("unhandled error", exc_info=error)
        db.session.rollback()
        return render_error(InternalServerError.code)
