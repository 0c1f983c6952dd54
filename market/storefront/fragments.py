"""Memoised page fragments, and the per-visitor slots of pages kept for everyone.

Bodies: the HTML of a catalogue page's content, keyed by everything it depends on. A body template sees
only the values passed to it (frozen, hashable service results), the language, the URL (path and query
string, for links such as the pager's) and the CSRF token, which is left as a slot and filled in on
every request. So an entry can never be stale or belong to someone else: a change in the data is a
different key.

Slots: base.html asks for its per-visitor parts through `account_menu()`, `flash_messages()` and
`csrf_token()`. Normally they render at once; while a page is rendered to be kept (page_cache), they
leave random per-process markers instead, which `KeptPage.fill` replaces for each request from that
request's own session: so the kept copy holds nobody's login state, cart count, message or token.
The account menu is memoised too (per language, name, portal links and cart count).
"""

from __future__ import annotations

import re
import secrets
import threading
from collections import OrderedDict
from collections.abc import Hashable
from dataclasses import dataclass
from typing import Any

from flask import Blueprint, current_app, g, get_flashed_messages, render_template, request, session
from flask_wtf.csrf import generate_csrf
from markupsafe import Markup

from market.i18n import select_locale
from market.storefront.visitors import current_visitor

MAX_BODIES = 512  # each a few kB to ~20 kB of HTML: at most ~10 MB per process
MAX_MENUS = 1024  # each under 1 kB
MAX_TOKENS = 4096  # signed CSRF tokens of recent sessions, ~100 bytes each
# Random per process, so no content can contain them.
CSRF_SLOT, MENU_SLOT, FLASH_SLOT = (f"{name}-slot-{secrets.token_hex(16)}" for name in ("csrf", "menu", "flash"))
_SLOTS = re.compile(f"({CSRF_SLOT}|{MENU_SLOT}|{FLASH_SLOT})")


class BodyCache:
    """Least-recently-used rendered bodies."""

    def __init__(self, max_entries: int = MAX_BODIES) -> None:
        self.max_entries = max_entries
        self.entries: OrderedDict[Hashable, str] = OrderedDict()
        self.lock = threading.Lock()

    def get(self, key: Hashable) -> str | None:
        """The body stored under the key, if any."""
        with self.lock:
            body = self.entries.get(key)
            if body is not None:
                self.entries.move_to_end(key)
            return body

    def put(self, key: Hashable, body: str) -> None:
        """Store a body, forgetting the least recently used beyond the limit."""
        with self.lock:
            self.entries[key] = body
            self.entries.move_to_end(key)
            while len(self.entries) > self.max_entries:
                self.entries.popitem(last=False)

    def clear(self) -> None:
        """Forget everything (tests)."""
        with self.lock:
            self.entries.clear()


bodies = BodyCache()
menus = BodyCache(MAX_MENUS)
signed_tokens = BodyCache(MAX_TOKENS)


def _memoise() -> bool:
    """Whether rendered fragments are reused (not while templates are being edited)."""
    return not (current_app.debug or current_app.config.get("TEMPLATES_AUTO_RELOAD"))


def slots_pending() -> bool:
    """Whether this request's page is being rendered to be kept, its per-visitor parts left as slots."""
    return bool(g.get("page_slots"))


def signed_csrf() -> str:
    """This visitor's CSRF token, as Flask-WTF's `generate_csrf` gives it, signed once per session's token.

    Flask-WTF signs the session's token again for every page (a tenth of a kept page's time). Its tokens
    never expire here (WTF_CSRF_TIME_LIMIT None), so an earlier signature of the same token serves as well;
    Flask-WTF takes a token found in `g` as this request's.
    """
    config = current_app.config
    field = config.get("WTF_CSRF_FIELD_NAME", "csrf_token")
    raw = session.get(field)
    reusable = raw is not None and field not in g and config.get("WTF_CSRF_TIME_LIMIT", 3600) is None
    key = (config.get("WTF_CSRF_SECRET_KEY") or current_app.secret_key, raw)
    signed = signed_tokens.get(key) if reusable else None
    if signed is not None:
        setattr(g, field, signed)
    token = generate_csrf()
    if reusable and signed is None:
        signed_tokens.put(key, token)
    return token


def _csrf() -> str:
    """This visitor's CSRF token, escaped for an HTML attribute."""
    return str(Markup.escape(signed_csrf()))


def account_menu_html() -> str:
    """The header's account menu for this request's visitor: cart count, login state, name, portal links."""
    visitor = current_visitor()
    cart_count = session.get("cart_count", 0)
    # Only the login and register links carry the current path (to come back to it).
    path = None if visitor.signed_in else (request.full_path if request.query_string else request.path)
    key = (select_locale(), request.script_root, visitor.name, visitor.roles, cart_count, path)
    html = menus.get(key) if _memoise() else None
    if html is None:
        html = render_template("shell/_account_menu.html", visitor=visitor, cart_count=cart_count,
                               current_path=path, csrf_slot=CSRF_SLOT)
        if _memoise():
            menus.put(key, html)
    return html.replace(CSRF_SLOT, _csrf()) if CSRF_SLOT in html else html


def flashes_html() -> str:
    """This visitor's flashed messages, taken out of the session (so shown once); "" when there are none."""
    messages = get_flashed_messages(with_categories=True)
    return render_template("shell/_flashes.html", messages=messages) if messages else ""


def csrf_token() -> str:
    """Templates' `csrf_token()`: this visitor's token, or its slot in a page rendered to be kept."""
    return CSRF_SLOT if slots_pending() else signed_csrf()


def account_menu() -> Markup:
    """Templates' `account_menu()`: the menu, or its slot in a page rendered to be kept."""
    return Markup(MENU_SLOT if slots_pending() else account_menu_html())  # noqa: S704 - rendered by Jinja


def flash_messages() -> Markup:
    """Templates' `flash_messages()`: the messages, or their slot in a page rendered to be kept."""
    return Markup(FLASH_SLOT if slots_pending() else flashes_html())  # noqa: S704 - rendered by Jinja


@dataclass(frozen=True)
class KeptPage:
    """A page as kept for every visitor: its HTML split at the slots (the odd parts are slot markers)."""

    parts: tuple[str, ...]

    @classmethod
    def of(cls, html: str) -> KeptPage:
        """Split a page rendered with slots."""
        return cls(tuple(_SLOTS.split(html)))

    def fill(self) -> str:
        """The page for this request's visitor (call with slots no longer pending)."""
        fillers = {CSRF_SLOT: _csrf, MENU_SLOT: account_menu_html, FLASH_SLOT: flashes_html}
        return "".join(fillers[part]() if i % 2 else part for i, part in enumerate(self.parts))


def render_body(template: str, **context: Any) -> Markup:
    """Render (or reuse) a body template; `{{ csrf_slot }}` in it becomes this visitor's CSRF token."""
    if not _memoise():
        html = render_template(template, csrf_slot=CSRF_SLOT, **context)
    else:
        key = (template, select_locale(), request.script_root, request.path, request.query_string,
               tuple(sorted(context.items())))
        html = bodies.get(key)
        if html is None:
            html = render_template(template, csrf_slot=CSRF_SLOT, **context)
            bodies.put(key, html)
    if CSRF_SLOT in html and not slots_pending():  # a page being kept keeps the slot; KeptPage.fill fills it
        html = html.replace(CSRF_SLOT, _csrf())
    return Markup(html)  # noqa: S704 - rendered by Jinja with autoescape; only the token was put in


def render_page(page_template: str, body_template: str, **context: Any) -> str:
    """Render a storefront page: its memoised body inside the usual shell (`page_template`)."""
    return render_template(page_template, body=render_body(body_template, **context), **context)


def register(bp: Blueprint) -> None:
    """Offer the slot-aware per-visitor parts to every template (replacing Flask-WTF's `csrf_token`)."""
    bp.add_app_template_global(csrf_token, "csrf_token")
    bp.add_app_template_global(account_menu, "account_menu")
    bp.add_app_template_global(flash_messages, "flash_messages")
