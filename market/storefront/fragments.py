"""Memoised page bodies: the HTML of a catalogue page's content, keyed by everything it depends on.

A body template sees only the values passed to it (frozen, hashable service results), the language,
the URL (path and query string, for links such as the pager's) and the CSRF token, which is left as
a slot and filled in on every request. So an entry can never be stale or belong to someone else: a
change in the data is a different key. The page around the body (header, account menu, cart count,
flashed messages) is rendered for every request as usual.
"""

from __future__ import annotations

import secrets
import threading
from collections import OrderedDict
from collections.abc import Hashable
from typing import Any

from flask import current_app, g, render_template, request
from flask_babel import get_locale
from flask_wtf.csrf import generate_csrf
from markupsafe import Markup

MAX_BODIES = 512  # each a few kB to ~20 kB of HTML: at most ~10 MB per process
CSRF_SLOT = f"csrf-slot-{secrets.token_hex(16)}"  # random per process, so no content can contain it


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


def render_body(template: str, **context: Any) -> Markup:
    """Render (or reuse) a body template; `{{ csrf_slot }}` in it becomes this visitor's CSRF token."""
    if current_app.debug or current_app.config.get("TEMPLATES_AUTO_RELOAD"):
        html = render_template(template, csrf_slot=CSRF_SLOT, **context)
    else:
        key = (template, str(get_locale()), request.script_root, request.path, request.query_string,
               tuple(sorted(context.items())))
        html = bodies.get(key)
        if html is None:
            html = render_template(template, csrf_slot=CSRF_SLOT, **context)
            bodies.put(key, html)
    if CSRF_SLOT in html and not g.get("defer_csrf"):  # page_cache fills it later when it keeps the page
        html = html.replace(CSRF_SLOT, str(Markup.escape(generate_csrf())))
    return Markup(html)  # noqa: S704 - rendered by Jinja with autoescape; only the token was put in


def render_page(page_template: str, body_template: str, **context: Any) -> str:
    """Render a storefront page: its memoised body inside the usual shell (`page_template`)."""
    return render_template(page_template, body=render_body(body_template, **context), **context)
