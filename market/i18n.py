"""Language choice: Simplified Chinese by default, English on request; remembered in the session."""

from __future__ import annotations

from flask import g, has_request_context, session
from flask_login import current_user

LANGUAGES = {"zh": "中文", "en": "English"}
DEFAULT_LANGUAGE = "zh"


def select_locale() -> str:
    """The session's choice, else the user's saved locale, else Chinese (the county's language).

    Outside a request (the `market` CLI, whose own texts are English) messages are English.
    """
    if not has_request_context():
        return "en"
    chosen = session.get("lang")
    if chosen in LANGUAGES:
        return chosen
    if "visitor_locale" in g:  # the storefront's page cache knows the saved locale without loading the user
        saved = g.visitor_locale
    else:
        saved = current_user.locale if current_user and current_user.is_authenticated else None
    return saved if saved in LANGUAGES else DEFAULT_LANGUAGE


def html_lang(locale: str) -> str:
    """The value of <html lang> for a locale."""
    return "zh-CN" if locale == "zh" else "en"


