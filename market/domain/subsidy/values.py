"""Field validators shared by scheme and ledger parsing: the input types of SUBSIDY.md and their messages."""

from __future__ import annotations

import re
from datetime import date
from decimal import (
    MAX_EMAX,
    MAX_PREC,
    MIN_EMIN,
    ROUND_HALF_UP,
    Context,
    Decimal,
    DivisionByZero,
    InvalidOperation,
    Overflow,
)

from .errors import JsonNumber, SubsidyInputError, identity, show
from .loading import DuplicateKeys

# fullmatch, never match: `$` would accept a trailing newline; [0-9], never \d: \d accepts any script's digits.
MONEY = re.compile(r"[0-9]+(?:\.[0-9]{1,2})?").fullmatch
RATE = re.compile(r"[0-9]+(?:\.[0-9]{1,6})?").fullmatch
WEIGHT = re.compile(r"[0-9]+(?:\.[0-9]{1,4})?").fullmatch
DATE = re.compile(r"[0-9]{4}-[0-9]{2}-[0-9]{2}").fullmatch

# +, - and * are exact in this context whatever the size of the numbers (no rounding ever happens);
# the engine's only roundings are explicit (quantize for rule 4, integer floor division for rule 5).
EXACT = Context(prec=MAX_PREC, Emax=MAX_EMAX, Emin=MIN_EMIN, rounding=ROUND_HALF_UP,
                traps=[InvalidOperation, DivisionByZero, Overflow])

_MISSING = object()


def fen(text: str) -> int:
    """Fen of a string that matched MONEY: "128.5" -> 12850 (exact, integer arithmetic)."""
    try:
        dot = text.find(".")
        if dot < 0:
            return int(text) * 100
        return int(text.replace(".", "", 1)) * (10 if len(text) - dot == 2 else 1)
    except ValueError:  # more digits than int() parses from text (sys.get_int_max_str_digits); still exact
        return int(Decimal(text).scaleb(2, EXACT))


def not_a_string(value: object, kind: str | None = None, example: str = "") -> str:
    """Message for a value of another JSON type where a string is required (kind: "money", "a date"...)."""
    number = isinstance(value, JsonNumber)
    head = f"{show(value)} is a JSON number" if number else f"{show(value)} is not a JSON string"
    if kind is None:
        return head + (", not a string" if number else "")
    return f"{head}; {kind} must be a JSON string like {example}"


def money_problem(value: object) -> str:
    """Why a value is not money (a JSON string of a plain non-negative decimal with at most two places)."""
    if type(value) is not str:
        return not_a_string(value, "money", '"128.00"')
    if value.startswith("-") and MONEY(value[1:]):
        return f"{show(value)} is negative; money cannot be negative"
    return f"{show(value)} is not a plain decimal with at most two places"


def date_problem(value: object) -> str:
    """Why a value is not a business date (a JSON string YYYY-MM-DD naming a real calendar date)."""
    if type(value) is not str:
        return not_a_string(value, "a date", '"2026-03-02"')
    if DATE(value):
        return f"{show(value)} is not a real calendar date"
    return f"{show(value)} is not a date written YYYY-MM-DD"


def parse_date(value: str) -> date | None:
    """The date of a YYYY-MM-DD string, or None when it is not one or names no real day."""
    if not DATE(value):
        return None
    try:
        return date(int(value[:4]), int(value[5:7]), int(value[8:]))
    except ValueError:
        return None


def flag_problem(value: object) -> str:
    """Why a value is not a flag."""
    return f"{show(value)} is not a JSON boolean (true or false)"


class Where:
    """The record being validated, to name it in messages: file, JSON path and identifying field."""

    __slots__ = ("source", "record", "ident")

    def __init__(self, source: str, record: str | None, ident: str | None = None) -> None:
        self.source, self.record, self.ident = source, record, ident

    def error(self, field: str | None, message: str) -> SubsidyInputError:
        """The error for a field of this record (or the record itself when field is None)."""
        return SubsidyInputError(self.source, message, record=self.record, ident=self.ident, field=field)

    def inner(self, path: str) -> Where:
        """A record nested in this one (same identifying field, which names the record it belongs to)."""
        return Where(self.source, path if self.record is None else f"{self.record}.{path}", self.ident)

    def identified(self, label: str, value: object) -> Where:
        """This record, now named also by its identifying field (when that is a string)."""
        return Where(self.source, self.record, identity(label, value))


def record(value: object, where: Where, what: str = "a JSON object") -> dict:
    """A JSON object; one with a repeated key is refused (it would not mean one thing)."""
    if type(value) is dict:
        return value
    if isinstance(value, DuplicateKeys):
        raise where.error(value.duplicate, "key appears twice in the same object")
    raise where.error(None, f"{show(value)} is not {what}")


def get(obj: dict, key: str, where: Where, *, required: bool) -> object:
    """The value of a key: absent or null gives None for an optional key and an error for a required one."""
    value = obj.get(key, _MISSING)
    if value is _MISSING:
        if required:
            raise where.error(key, "missing")
        return None
    if value is None and required:
        raise where.error(key, "null, but a value is required")
    return value


def text(obj: dict, key: str, where: Where, *, required: bool) -> str | None:
    """A string field (codes, names, ids)."""
    value = get(obj, key, where, required=required)
    if value is None or type(value) is str:
        return value
    raise where.error(key, not_a_string(value))


def money(obj: dict, key: str, where: Where, *, required: bool = False) -> Decimal | None:
    """A money field as an exact Decimal (None when optional and absent or null)."""
    value = get(obj, key, where, required=required)
    if value is None:
        return None
    if type(value) is str and MONEY(value):
        return Decimal(value)
    raise where.error(key, money_problem(value))


def ratio(obj: dict, key: str, where: Where, *, places: int, required: bool = False) -> Decimal | None:
    """A rate (6 places) or household weight (4 places) as an exact Decimal."""
    value = get(obj, key, where, required=required)
    if value is None:
        return None
    if type(value) is not str:
        raise where.error(key, not_a_string(value, "a ratio", '"0.03"'))
    shape = RATE if places == 6 else WEIGHT
    if value.startswith("-") and shape(value[1:]):
        raise where.error(key, f"{show(value)} is negative: {'outside [0, 1]' if places == 6 else 'less than 1'}")
    if not shape(value):
        raise where.error(key, f"{show(value)} is not a plain decimal with at most {places} places")
    return Decimal(value)


def day(obj: dict, key: str, where: Where, *, required: bool = False) -> date | None:
    """A date field (None when optional and absent or null)."""
    value = get(obj, key, where, required=required)
    if value is None:
        return None
    parsed = parse_date(value) if type(value) is str else None
    if parsed is None:
        raise where.error(key, date_problem(value))
    return parsed


def flag(obj: dict, key: str, where: Where) -> bool:
    """An optional flag, false when absent or null."""
    value = get(obj, key, where, required=False)
    if value is None:
        return False
    if value is True or value is False:
        return value
    raise where.error(key, flag_problem(value))


def items(obj: dict, key: str, where: Where, *, required: bool) -> list:
    """A list field (an empty list when optional and absent or null)."""
    value = get(obj, key, where, required=required)
    if value is None:
        return []
    if type(value) is not list:
        raise where.error(key, f"{show(value)} is not a JSON list")
    return value
