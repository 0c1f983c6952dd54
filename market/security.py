"""Access guards per role, safe redirects, and the security headers on every response."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any
from urllib.parse import urlsplit

from flask import Flask, Response, abort, redirect, request, session, url_for
from flask_login import current_user

CONTENT_SECURITY_POLICY = (
    "default-src 'self'; img-src 'self' data:; style-src 'self'; script-src 'self'; "
    "object-src 'none'; base-uri 'self'; form-action 'self'; frame-ancestors 'none'"
)


def safe_next(target: str | None, default: str = "/") -> str:
    """A local path to go back to; anything absolute, scheme-relative or odd becomes `default`."""
    if not target or not target.startswith("/") or target.startswith("//") or "\\" in target:
        return default
    parts = urlsplit(target)
    if parts.scheme or parts.netloc or any(ord(c) < 32 for c in target):
        return default
    return target


LANDING = (  # where a role lands after logging in, most specific first
    ("admin", "admin.index"),
    ("county_staff", "county.index"),
    ("outlet_staff", "outlet.index"),
    ("institution_buyer", "institution.index"),
)


def landing_page(user: Any) -> str:
    """The page a user lands on after login when no other page was asked for."""
    names = user.role_names
    endpoint = next((ep for role, ep in LANDING if role in names), "account.profile")
    return url_for(endpoint)


def acting_user() -> Any:
    """The logged-in user as a real model object, to hand to services (which never read current_user)."""
    return current_user._get_current_object()  # type: ignore[attr-defined]


def login_redirect() -> Response:
    """Redirect an anonymous visitor to the login page, remembering where they were going."""
    path = request.full_path if request.query_string else request.path
    return redirect(url_for("account.login", next=safe_next(path)))  # type: ignore[return-value]


def guard_blueprint(role: str) -> Callable[[], Any]:
    """A before_request hook guarding a whole blueprint: anonymous -> login (302), logged in without the
    role -> 403. Whether admins pass is `User.has_role`'s rule, the one place that says so."""

    def check() -> Any:
        if not current_user.is_authenticated:
            return login_redirect()
        if not current_user.has_role(role):
            abort(403)
        return None

    return check


def _headers(response: Response) -> Response:
    response.headers.setdefault("Content-Security-Policy", CONTENT_SECURITY_POLICY)
    response.headers.setdefault("X-Content-Type-Options", "nosniff")
    response.headers.setdefault("X-Frame-Options", "DENY")
    response.headers.setdefault("Referrer-Policy", "strict-origin-when-cross-origin")
    response.headers.setdefault("Permissions-Policy", "camera=(), microphone=(), geolocation=()")
    response.headers.setdefault("Cross-Origin-Opener-Policy", "same-origin")
    if request.scheme == "https":
        response.headers.setdefault("Strict-Transport-Security", "max-age=31536000")
    if session.get("_user_id"):  # a logged-in visitor's pages stay out of shared caches
        response.headers.setdefault("Cache-Control", "private, no-store")
    return response


def register(app: Flask) -> None:
    """Add the security headers to every response."""
    app.after_request(_headers)
