"""Reading an uploaded spreadsheet (CSV or XLSX) into rows of cells numbered as the spreadsheet numbers them.

Row 1 is the header; data rows keep their spreadsheet numbers (blank rows are skipped, not renumbered), so a
message about "row 7" points at the row the person sees in Excel. CSV is decoded as UTF-8 (with or without a
byte-order mark) or, failing that, as GB18030, which Excel writes for Chinese; every CSV cell is text. XLSX
cells keep their types (text, exact Decimal numbers, dates, booleans, formulas without a saved value). Nothing
is ever evaluated: a text cell "=1+1" is the text "=1+1". The format is told from the bytes, not the name.
"""

from __future__ import annotations

import csv
import functools
import io
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal

from flask_babel import lazy_gettext as _l

from market.services.errors import ServiceError

MAX_BYTES = 10 * 1024 * 1024
MAX_ROWS = 50_000  # data rows, the header not counted
ZIP_MAGIC = b"PK\x03\x04"
OLE_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"  # Excel 97-2003 .xls (and other old Office files)
UTF8_BOM = b"\xef\xbb\xbf"


@dataclass(frozen=True, slots=True)
class Unsaved:
    """A formula cell whose value was never saved (a file written by a program, not by Excel)."""

    formula: str


@dataclass(frozen=True, slots=True)
class ErrorValue:
    """A cell holding a spreadsheet error such as #DIV/0! or #N/A."""

    code: str


CellValue = str | Decimal | date | datetime | bool | Unsaved | ErrorValue | None


@dataclass(frozen=True, slots=True)
class Row:
    """One data row: its number in the spreadsheet (header = 1) and its cells from column A on."""

    number: int
    cells: tuple[CellValue, ...]

    def cell(self, index: int) -> CellValue:
        """The cell in column `index` (0 = A); None past the row's last cell."""
        return self.cells[index] if index < len(self.cells) else None


@dataclass(frozen=True)
class Table:
    """A spreadsheet's first sheet: the header's texts and the non-blank data rows."""

    kind: str  # "csv" or "xlsx"
    header: tuple[str, ...]
    rows: list[Row]


class SpreadsheetRefused(ServiceError):
    """The upload cannot be read at all (too big, too many rows, damaged, not a spreadsheet)."""

    def __init__(self, message: str) -> None:
        super().__init__(message, "file")


Progress = Callable[[int], None]  # told how many more rows were read


@functools.cache
def column_letter(index: int) -> str:
    """The spreadsheet letters of a 0-based column index: 0 -> A, 25 -> Z, 26 -> AA."""
    letters = ""
    index += 1
    while index:
        index, rest = divmod(index - 1, 26)
        letters = chr(65 + rest) + letters
    return letters


def read_table(data: bytes, *, progress: Progress | None = None) -> Table:
    """The upload's header and data rows; SpreadsheetRefused with a message for the uploader otherwise."""
    if len(data) > MAX_BYTES:
        raise SpreadsheetRefused(_l("The file is larger than %(mb)d MB: split it into smaller files.",
                                    mb=MAX_BYTES // (1024 * 1024)))
    if not data.strip():
        raise SpreadsheetRefused(_l("The file is empty."))
    if data.startswith(ZIP_MAGIC):
        from market.services.spreadsheets import xlsx  # the XLSX reader, only when needed

        return _table("xlsx", xlsx.iter_rows(data), progress)
    if data.startswith(OLE_MAGIC):
        raise SpreadsheetRefused(_l("This is an old Excel 97-2003 (.xls) file: save it as .xlsx or CSV in Excel."))
    return _table("csv", _csv_rows(_decode(data)), progress)


def _decode(data: bytes) -> str:
    """CSV text: UTF-8 (a leading BOM dropped) tried strictly first, then GB18030; binary refused."""
    if b"\x00" in data[:4096]:
        raise SpreadsheetRefused(_l("This file is not a CSV or XLSX spreadsheet."))
    if data.startswith(UTF8_BOM):
        data = data[len(UTF8_BOM):]
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError:
        pass
    try:
        return data.decode("gb18030")
    except UnicodeDecodeError:
        raise SpreadsheetRefused(
            _l("The CSV file is neither UTF-8 nor GB18030 text: save it from Excel as CSV again.")) from None


def _csv_rows(text: str) -> Iterator[tuple[int, tuple[CellValue, ...]]]:
    """(row number, cells) of the CSV records; CRLF, LF and quoted line breaks as Excel writes them."""
    reader = csv.reader(io.StringIO(text, newline=""))
    number = 0
    try:
        for record in reader:
            number += 1
            yield number, tuple(cell if cell.strip() else None for cell in record)
    except csv.Error as err:
        raise SpreadsheetRefused(
            _l("The CSV file is damaged near row %(row)d: %(detail)s", row=number + 1, detail=str(err))) from None


def _blank(cells: Iterable[CellValue]) -> bool:
    """True when no cell holds anything."""
    return all(cell is None or (isinstance(cell, str) and not cell.strip()) for cell in cells)


def _table(kind: str, rows: Iterator[tuple[int, tuple[CellValue, ...]]], progress: Progress | None) -> Table:
    """The header (row 1) and the non-blank data rows, refused past MAX_ROWS."""
    header: tuple[str, ...] | None = None
    data: list[Row] = []
    pending = 0
    for number, cells in rows:
        if number == 1:
            header = tuple("" if cell is None else str(cell).strip() for cell in cells)
            continue
        if _blank(cells):
            continue
        if len(data) >= MAX_ROWS:
            raise SpreadsheetRefused(
                _l("The file has more than %(max)s rows of data: split it into smaller files.", max=f"{MAX_ROWS:,}"))
        data.append(Row(number, cells))
        pending += 1
        if progress is not None and pending == 1000:
            progress(pending)
            pending = 0
    if progress is not None and pending:
        progress(pending)
    if not header or _blank(header):
        raise SpreadsheetRefused(_l("The first row must hold the column names."))
    if not data:
        raise SpreadsheetRefused(_l("The file has no rows of data under the column names."))
    return Table(kind, header, data)
