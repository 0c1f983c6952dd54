"""Language choice: Simplified Chinese by default, English on request; remembered in the session."""

from __future__ import annotations

from flask import request, session
from flask_login import current_user

LANGUAGES = {"zh": "中文", "en": "English"}
DEFAULT_LANGUAGE = "zh"


def select_locale() -> str:
    """The session's choice, else the user's saved locale, else Chinese (the county's language)."""
    chosen = session.get("lang")
    if chosen in LANGUAGES:
        return chosen
    if current_user and current_user.is_authenticated and current_user.locale in LANGUAGES:
        return current_user.locale
    return DEFAULT_LANGUAGE


def html_lang(locale: str) -> str:
    """The value of <html lang> for a locale."""
    return "zh-CN" if locale == "zh" else "en"


def is_english() -> bool:
    """True when the page is rendered in English (to pick name_en over name_zh)."""
    return select_locale() == "en" if request else False
