"""Declarative column sets for imports: which headers name a column, which columns are required, and typed
cell parsers; plus the preview every import shows (each row, its values and its errors).

A column set finds its columns by header (Chinese or English, case and spaces ignored), ignores columns it does
not know, and names every missing required column. Cell parsers take what the reader gives (text from CSV;
text, Decimal, date, bool or Unsaved from XLSX) and return a value or raise CellProblem with a message.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from datetime import date, datetime
from decimal import Decimal
from typing import Any, NoReturn

from flask_babel import lazy_gettext as _l

from market.domain.money import MAX_FEN, AmountError, parse_yuan
from market.services.spreadsheets.reading import CellValue, ErrorValue, Row, SpreadsheetRefused, Unsaved, column_letter

_FULL_WIDTH = str.maketrans("０１２３４５６７８９．－／", "0123456789.-/")
_DATE_TEXT = re.compile(r"([0-9]{4})[-/]([0-9]{1,2})[-/]([0-9]{1,2})")
_WHOLE_TEXT = re.compile(r"[+-]?[0-9]+(?:\.0+)?")  # signed and long too: out of range, not "not whole"


class CellProblem(ValueError):
    """A cell that cannot be read as its column's type; the message is for the person who filled it in."""

    def __init__(self, message: Any) -> None:
        super().__init__(str(message))
        self.message = message


Parser = Callable[[CellValue], Any]


@dataclass(frozen=True)
class Column:
    """A column: its key in the parsed row, the header names it answers to (the first is shown in messages and
    templates), its parser, and whether it is required. An empty optional cell gives `default`."""

    key: str
    names: tuple[str, ...]
    parse: Parser
    required: bool = True
    default: Any = None

    @property
    def label(self) -> str:
        """The header name shown in messages and in the template."""
        return self.names[0]


@dataclass(frozen=True, slots=True)
class CellError:
    """One problem in a row: the cell ("C7", or "" for the row as a whole), the column's label and the message."""

    cell: str
    column: str
    message: Any

    def __str__(self) -> str:
        where = " ".join(part for part in (self.cell, self.column) if part)
        return f"{where}: {self.message}" if where else str(self.message)


@dataclass
class RowResult:
    """A data row in the preview: its spreadsheet number, the parsed values and its errors (none when valid)."""

    number: int
    values: dict[str, Any]
    errors: list[CellError] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        """Whether the row can be imported."""
        return not self.errors


@dataclass
class Preview:
    """Every row of an upload with its errors. Nothing may be imported unless `ok`."""

    rows: list[RowResult]

    @property
    def bad_rows(self) -> list[RowResult]:
        """The rows with at least one error, in spreadsheet order."""
        return [row for row in self.rows if row.errors]

    @property
    def ok(self) -> bool:
        """True when there are rows and none has an error."""
        return bool(self.rows) and not any(row.errors for row in self.rows)


def _normal(name: str) -> str:
    """A header name for matching: no spaces or underscores, lower case, full-width letters folded."""
    return re.sub(r"[\s_\-]+", "", name).casefold()


@dataclass(frozen=True)
class ColumnSet:
    """The columns an import reads."""

    columns: tuple[Column, ...]

    def locate(self, header: Iterable[str]) -> dict[str, int]:
        """Column key -> 0-based position in the header; SpreadsheetRefused naming every missing required column
        (and any column given twice). Unknown columns are ignored."""
        wanted = {_normal(name): column for column in self.columns for name in column.names}
        found: dict[str, int] = {}
        for index, name in enumerate(header):
            column = wanted.get(_normal(name))
            if column is None:
                continue
            if column.key in found:
                raise SpreadsheetRefused(_l("The column %(name)s appears twice in the first row.", name=column.label))
            found[column.key] = index
        missing = [column.label for column in self.columns if column.required and column.key not in found]
        if missing:
            raise SpreadsheetRefused(_l("Missing required columns: %(names)s. The first row must name the columns "
                                        "as in the template.", names=", ".join(missing)))
        return found

    def parse_row(self, row: Row, positions: dict[str, int]) -> RowResult:
        """The row's values by key, and an error for every cell its column cannot read."""
        result = RowResult(row.number, {})
        cells = row.cells
        for column in self.columns:
            index = positions.get(column.key)
            value = cells[index] if index is not None and index < len(cells) else None
            if value is None or value.__class__ is str and not value.strip():
                if column.required:
                    result.errors.append(CellError(_ref(index, row.number), column.label, _l("this cell is empty")))
                result.values[column.key] = column.default
                continue
            try:
                if isinstance(value, Unsaved | ErrorValue):
                    _plain(value, _ref(index, row.number))
                result.values[column.key] = column.parse(value)
            except CellProblem as problem:
                result.errors.append(CellError(_ref(index, row.number), column.label, problem.message))
                result.values[column.key] = None
        return result


def _ref(index: int | None, number: int) -> str:
    """The cell's reference ("C7"), or "" for a column the file does not have."""
    return "" if index is None else f"{column_letter(index)}{number}"


def _plain(value: Unsaved | ErrorValue, ref: str) -> NoReturn:
    """The problem of a formula without a saved value or an error cell, naming the cell."""
    if isinstance(value, Unsaved):
        raise CellProblem(_l("the formula in %(cell)s has no saved value: open the file in Excel, save it and "
                             "upload it again (or paste the values)", cell=ref))
    raise CellProblem(_l("%(cell)s holds the error %(code)s", cell=ref, code=value.code))


def text(max_length: int) -> Parser:
    """Text, stripped, at most `max_length` characters; a number cell gives its digits (10023, not 10023.0);
    text beginning with =, +, - or @ is kept as it is (data, never a formula)."""

    def parse(value: CellValue) -> str:
        if isinstance(value, Decimal):
            result = str(int(value)) if value == value.to_integral_value() else format(value.normalize(), "f")
        elif isinstance(value, datetime | date):
            result = value.isoformat()
        elif isinstance(value, bool):
            raise CellProblem(_l("expected text, not TRUE/FALSE"))
        else:
            result = str(value).strip()
        if len(result) > max_length:
            raise CellProblem(_l("at most %(max)d characters", max=max_length))
        return result

    return parse


def whole_number(minimum: int = 1, maximum: int = 1_000_000) -> Parser:
    """A whole number within [minimum, maximum]: a number cell (2.0 is 2) or digits in text."""

    def parse(value: CellValue) -> int:
        number: Decimal | None = None
        if isinstance(value, Decimal):
            number = value
        elif isinstance(value, str) and _WHOLE_TEXT.fullmatch(value.strip().translate(_FULL_WIDTH)):
            number = Decimal(value.strip().translate(_FULL_WIDTH))
        if number is None or isinstance(value, bool) or number != number.to_integral_value():
            raise CellProblem(_l("not a whole number"))
        if not minimum <= number <= maximum:
            raise CellProblem(_l("must be a whole number from %(min)d to %(max)s", min=minimum, max=f"{maximum:,}"))
        return int(number)

    return parse


def money_fen(value: CellValue) -> int:
    """An amount in yuan as integer fen: a number cell is the exact decimal of its value (at most two decimals),
    text is read like a typed amount (¥1,234.50)."""
    if isinstance(value, Decimal):
        if value < 0:
            raise CellProblem(_l("an amount cannot be negative"))
        if value * 100 > MAX_FEN:
            raise CellProblem(_l("the amount is too large"))
        exponent = value.normalize().as_tuple().exponent
        if isinstance(exponent, int) and exponent < -2:
            raise CellProblem(_l("at most two decimals (fen): %(value)s", value=format(value, "f")[:24]))
        return int(value * 100)
    if isinstance(value, str):
        try:
            return parse_yuan(value)
        except AmountError as err:
            raise CellProblem(_AMOUNT_MESSAGES.get(err.problem, _AMOUNT_MESSAGES["format"])) from None
    raise CellProblem(_l("not an amount in yuan (write it like 1234.50)"))


_AMOUNT_MESSAGES = {
    "negative": _l("an amount cannot be negative"),
    "decimals": _l("at most two decimals (fen)"),
    "decimal_comma": _l("use a point for the decimals (12.50, not 12,50)"),
    "too_large": _l("the amount is too large"),
    "format": _l("not an amount in yuan (write it like 1234.50)"),
}


def calendar_date(value: CellValue) -> date:
    """A date: a date cell, or text YYYY-MM-DD (also YYYY/M/D, as Excel writes dates into a Chinese CSV)."""
    if isinstance(value, datetime):
        return value.date()
    if isinstance(value, date):
        return value
    if isinstance(value, str):
        found = _DATE_TEXT.fullmatch(value.strip().translate(_FULL_WIDTH))
        if found:
            try:
                return date(int(found[1]), int(found[2]), int(found[3]))
            except ValueError:
                pass
    raise CellProblem(_l("not a date (write it as YYYY-MM-DD, such as 2026-11-03)"))


def choice(options: dict[str, str], shown: str) -> Parser:
    """One of `options` (the accepted spellings, matched without case or spaces, mapped to a code)."""
    table = {_normal(name): code for name, code in options.items()}

    def parse(value: CellValue) -> str:
        code = table.get(_normal(str(value))) if isinstance(value, str) else None
        if code is None:
            raise CellProblem(_l("not one of: %(options)s", options=shown))
        return code

    return parse


def inspect(rows: Iterable[Row], columns: ColumnSet, positions: dict[str, int]) -> Preview:
    """Every row parsed by the column set, in spreadsheet order."""
    return Preview([columns.parse_row(row, positions) for row in rows])
