"""Hostile input handled once for every route and form: ids bounded to INTEGER, control characters removed."""

from __future__ import annotations

import re
from typing import Any

from flask import Flask, Request, abort, request
from werkzeug.datastructures import ImmutableMultiDict, MultiDict
from werkzeug.routing import IntegerConverter, Map

MIN_ID = 1
MAX_ID = 2**31 - 1  # the largest INTEGER both SQLite and PostgreSQL store (PostgreSQL's INTEGER is 32-bit)
_ID_DIGITS = len(str(MAX_ID))

# Control characters (C0, DEL, C1) but tab, line feed and carriage return, which pasted tables and
# textareas legitimately carry. PostgreSQL cannot store NUL at all; the others break exports (XLSX refuses
# them) and are invisible on screen, so they are never part of what the visitor meant to send.
CONTROL_CHARACTERS = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f]")


def parse_id(raw: str | None) -> int | None:
    """A record id from a form field or query parameter: ASCII digits naming 1..MAX_ID, else None.

    The one rule for ids outside the URL path (inside it, the bounded `int` converter applies): a value the
    database could not even compare, such as 10**20, is refused here instead of failing in the query."""
    text = (raw or "").strip()
    if not text.isascii() or not text.isdigit() or len(text) > _ID_DIGITS:
        return None
    value = int(text)
    return value if MIN_ID <= value <= MAX_ID else None


def coerce_id(value: object) -> int:
    """WTForms `coerce` for a field that names a record: 0 (the "none chosen" choice) or an id within
    1..MAX_ID; anything else is a ValueError, which WTForms shows as the field's error. Plain `int` would let
    10**20 through to a query, where the database driver fails (a 500 instead of a message)."""
    if isinstance(value, int) and not isinstance(value, bool):
        number = value
    else:
        text = str(value).strip()
        if not text.isascii() or not text.isdigit() or len(text) > _ID_DIGITS:
            raise ValueError("not a record id")
        number = int(text)
    if not 0 <= number <= MAX_ID:
        raise ValueError("not a record id")
    return number


class BoundedIntConverter(IntegerConverter):
    """The app's `<int:...>` converter: ASCII digits only, within 1..MAX_ID unless the rule says otherwise.

    Installed as "int", so every rule written as `<int:some_id>`, now or later, answers 404 for an id the
    database cannot hold instead of sending it to a query that fails with a 500. A rule can still narrow
    the range (`<int(min=2000, max=2100):year>`), or ask for signed values; it cannot widen it past INTEGER."""

    regex = r"[0-9]+"  # werkzeug's \d+ would also take other scripts' digits ("١٢" as 12)

    def __init__(
        self, map: Map, fixed_digits: int = 0, min: int | None = None,  # noqa: A002 - werkzeug's own names
        max: int | None = None, signed: bool = False,  # noqa: A002
    ) -> None:
        low = (-MAX_ID - 1 if signed else MIN_ID) if min is None else min
        high = MAX_ID if max is None or max > MAX_ID else max
        super().__init__(map, fixed_digits=fixed_digits, min=low, max=high, signed=signed)


def strip_control_characters(text: str) -> str:
    """The text without control characters other than tab, line feed and carriage return."""
    return CONTROL_CHARACTERS.sub("", text)


def _holds_control_characters(value: object) -> bool:
    """True for a string holding a control character (uploaded files are never strings)."""
    return isinstance(value, str) and CONTROL_CHARACTERS.search(value) is not None


class StrippedParameters(ImmutableMultiDict[str, Any]):
    """Query parameters and form fields as parsed, control characters removed from names and text values.

    Stripped rather than refused:
    - the catalogue's rule (tested) is that a malformed query string falls back to a default, never an
      error, so a shared or retyped link with a stray byte still shows the page;
    - text pasted from PDFs, word processors or spreadsheets can carry invisible controls (vertical tab,
      form feed, unit separator); refusing would throw away a whole form over characters the visitor
      cannot see, let alone find and delete;
    - it happens while parsing, so every reader (CSRF check, WTForms, views, services) sees the same
      value: nothing can validate one string and store another.
    Uploaded files (FileStorage values) are left alone: their bytes are the storage module's business."""

    def __init__(self, mapping: Any = None) -> None:
        """Werkzeug passes a list of (name, value) pairs; anything else a MultiDict accepts works too."""
        if mapping is None:
            super().__init__()
            return
        pairs = mapping if isinstance(mapping, list | tuple) else list(MultiDict(mapping).items(multi=True))
        if any(_holds_control_characters(name) or _holds_control_characters(value) for name, value in pairs):
            pairs = [  # rare: copy only then, so the usual request pays for one search per string
                (strip_control_characters(name), strip_control_characters(value) if isinstance(value, str) else value)
                for name, value in pairs
            ]
        super().__init__(pairs)


class MarketRequest(Request):
    """The app's request: its `args`, `form` (and `values`) are StrippedParameters."""

    parameter_storage_class = StrippedParameters


def refuse_control_characters_in_path() -> None:
    """404 for a path holding a control character: no page has such a name, and stripping it would give
    one page two addresses (the catalogue already answers 404 for /category/%00)."""
    if CONTROL_CHARACTERS.search(request.path):
        abort(404)


def register(app: Flask) -> None:
    """Install the bounded `int` converter, the stripping request class and the path check.

    Call before the blueprints are registered (each rule takes its converter when it is added), and before
    the extensions, so the path check is the first hook of every request."""
    app.url_map.converters["int"] = BoundedIntConverter
    app.request_class = MarketRequest
    app.before_request(refuse_control_characters_in_path)
