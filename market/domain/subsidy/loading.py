"""Strict JSON for schemes and ledgers: UTF-8 only, no NaN/Infinity, numbers kept as text, duplicate keys marked."""

from __future__ import annotations

import json

from .errors import JsonNumber, SubsidyInputError, one_line


class DuplicateKeys(dict):
    """A JSON object that repeated a key; validation rejects it where the object is a record that matters.

    Python's json would silently keep the last value, another reader the first: for public money the
    ledger must not mean two things, so a scheme or ledger record with a repeated key is an error.
    """

    __slots__ = ("duplicate",)


class _NonStandardConstant(ValueError):
    pass


def _object(pairs: list[tuple[str, object]]) -> dict:
    obj = dict(pairs)
    if len(obj) != len(pairs):
        seen: set[str] = set()
        for key, _ in pairs:  # pragma: no branch - a repeated key exists
            if key in seen:
                marked = DuplicateKeys(pairs)
                marked.duplicate = key
                return marked
            seen.add(key)
    return obj


def _reject_constant(name: str) -> object:
    raise _NonStandardConstant(name)


def decode_utf8(raw: bytes, source: str) -> str:
    """The bytes of a JSON file as text; a UTF-8 byte order mark is allowed (Windows editors write one)."""
    try:
        return raw.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise SubsidyInputError(source, f"not UTF-8 text (invalid byte at offset {exc.start})") from None


def parse_json(text: str, source: str) -> object:
    """Parse standard JSON; every number becomes a JsonNumber (no scheme or ledger field is a number)."""
    try:
        return json.loads(text, parse_float=JsonNumber, parse_int=JsonNumber,
                          parse_constant=_reject_constant, object_pairs_hook=_object)
    except _NonStandardConstant as exc:
        raise SubsidyInputError(source, f"not valid JSON: {exc} is not a JSON value") from None
    except json.JSONDecodeError as exc:
        raise SubsidyInputError(
            source, f"not valid JSON: {one_line(exc.msg)} at line {exc.lineno} column {exc.colno}") from None
    except RecursionError:
        raise SubsidyInputError(source, "not valid JSON: nested too deeply") from None
