"""Jinja filters and globals: ¥ amounts, Shanghai dates, localised names, the language switch."""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

from flask import Flask, current_app, g, request
from flask_babel import get_locale, get_translations

from market import labels
from market.domain.certification import Lapse
from market.domain.dates import SHANGHAI
from market.domain.money import format_yuan
from market.i18n import LANGUAGES, html_lang


def shanghai_datetime(value: datetime | None) -> str:
    """An aware timestamp shown in Beijing time."""
    if value is None:
        return ""
    return value.astimezone(SHANGHAI).strftime("%Y-%m-%d %H:%M")


def iso_date(value: date | None) -> str:
    """A business date as YYYY-MM-DD ("" when open)."""
    return value.isoformat() if value else ""


def localized(obj: Any, field: str = "name") -> str:
    """`obj.<field>_en` for English pages (when present), else `obj.<field>_zh`."""
    lang = str(get_locale() or "zh")
    if lang == "en":
        value = getattr(obj, f"{field}_en", None)
        if value:
            return value
    return getattr(obj, f"{field}_zh")


def _translations() -> Any:
    """This request's translations, looked up once per request (Flask-Babel looks them up on every
    string, about 40% of rendering a page). Templates are never rendered inside force_locale()."""
    translations = g.get("_market_translations")
    if translations is None:
        translations = g._market_translations = get_translations()
    return translations


def register(app: Flask) -> None:
    """Add the filters and the context every page uses."""
    app.jinja_env.install_gettext_callables(  # replaces Flask-Babel's per-string lookups
        gettext=lambda s: _translations().ugettext(s),
        ngettext=lambda s, p, n: _translations().ungettext(s, p, n),
        pgettext=lambda c, s: _translations().upgettext(c, s),
        npgettext=lambda c, s, p, n: _translations().unpgettext(c, s, p, n),
        newstyle=True,
    )
    app.jinja_env.filters["yuan"] = format_yuan
    app.jinja_env.filters["bjtime"] = shanghai_datetime
    app.jinja_env.filters["isodate"] = iso_date
    app.jinja_env.globals["localized"] = localized
    app.jinja_env.globals["labels"] = labels.ALL
    app.jinja_env.globals["lapse_kinds"] = Lapse

    @app.context_processor
    def shell_context() -> dict[str, Any]:
        locale = str(get_locale() or "zh")
        return {
            "languages": LANGUAGES,
            "current_locale": locale,
            "html_lang": html_lang(locale),
            "icp_number": current_app.config.get("MARKET_ICP", ""),
            "current_path": request.full_path if request.query_string else request.path,
        }
