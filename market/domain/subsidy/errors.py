"""The one error raised for bad scheme or ledger input, with a one-line message naming where it is."""

from __future__ import annotations

_MAX_SHOWN = 60


class SubsidyInputError(ValueError):
    """Bad scheme or ledger input; str() is one line: `FILE: RECORD (id X): field F: MESSAGE`.

    `source` names the file, `record` the JSON path of the object at fault (`sales[17]`,
    `outlets[2].certifications[0]`, `tiers[1]`; None for a top-level field or the whole file),
    `ident` how that record (or the record it belongs to) identifies itself, e.g. `id S17`,
    `field` the key at fault (None when the whole record or file is at fault).
    """

    def __init__(self, source: str, message: str, *, record: str | None = None,
                 ident: str | None = None, field: str | None = None) -> None:
        self.source = source
        self.record = record
        self.ident = ident
        self.field = field
        self.message = message
        super().__init__(self._line())

    def _line(self) -> str:
        parts = [self.source]
        if self.record is not None:
            parts.append(self.record if self.ident is None else f"{self.record} ({self.ident})")
        elif self.ident is not None:
            parts.append(f"({self.ident})")
        if self.field is not None:
            parts.append(f"field {self.field}")
        parts.append(self.message)
        return one_line(": ".join(parts))


class JsonNumber:
    """A JSON number kept as the text it was written as (no field of a scheme or ledger is a number)."""

    __slots__ = ("text",)

    def __init__(self, text: str) -> None:
        self.text = text

    def __repr__(self) -> str:
        return self.text


def one_line(text: str) -> str:
    """The text with line breaks and other unprintable characters escaped, so a message stays one line."""
    if text.isprintable():
        return text
    return "".join(c if c.isprintable() else f"\\u{ord(c):04x}" for c in text)


def show(value: object) -> str:
    """A JSON value as it looked in the input, shortened, for messages: "12,5", 128.0, true, null, a list."""
    if value is None:
        return "null"
    if value is True or value is False:
        return "true" if value else "false"
    if isinstance(value, str):
        text = value if len(value) <= _MAX_SHOWN else value[:_MAX_SHOWN] + "…"
        return '"' + one_line(text.replace("\\", "\\\\").replace('"', '\\"')) + '"'
    if isinstance(value, JsonNumber):
        return one_line(value.text[:_MAX_SHOWN])
    if isinstance(value, int | float):
        return repr(value)[:_MAX_SHOWN]
    if isinstance(value, dict):
        return "an object"
    if isinstance(value, list):
        return "a list"
    return type(value).__name__  # pragma: no cover - JSON has no other types


def identity(label: str, value: object) -> str | None:
    """`id S17` for a record whose identifying field is a string (quoted if empty or padded: `id ""`), else None."""
    if isinstance(value, str):
        return f"{label} {one_line(value)}" if value.strip() == value and value else f"{label} {show(value)}"
    return None
