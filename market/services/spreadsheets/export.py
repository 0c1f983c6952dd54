"""Safe spreadsheet exports: CSV (UTF-8 with a BOM, so Excel reads Chinese) and XLSX, from rows of cells.

Data never becomes a formula: a text cell beginning with `=`, `+`, `-` or `@` (or a tab or carriage return,
which some programs skip before looking) is written with a leading apostrophe in CSV, and in XLSX every text
is a string cell (openpyxl would otherwise store a text beginning with `=` as a formula), which a spreadsheet
shows as typed and never evaluates. Numbers stay numbers; amounts (`Yuan`) are numbers of yuan with two decimals
(format 0.00), computed exactly from integer fen; dates are date cells (format yyyy-mm-dd).

The XLSX file is written by openpyxl in write-only mode, row by row, so memory grows with the file and not
with the rows' objects.
"""

from __future__ import annotations

import contextlib
import csv
import io
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal
from typing import TYPE_CHECKING

from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.styles import Font

if TYPE_CHECKING:
    from openpyxl.worksheet._write_only import WriteOnlyWorksheet

CSV_TYPE = "text/csv; charset=utf-8"
XLSX_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
_NOT_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")  # characters XML 1.0 cannot carry
_BOLD = Font(bold=True)


@dataclass(frozen=True)
class Yuan:
    """An amount in integer fen, written as a number of yuan with two decimals (13650 -> 136.50)."""

    fen: int

    def text(self) -> str:
        """The exact decimal text: "136.50", "-0.05"."""
        sign = "-" if self.fen < 0 else ""
        whole, frac = divmod(abs(self.fen), 100)
        return f"{sign}{whole}.{frac:02d}"


Cell = str | int | Yuan | date | None


def safe_text(text: str) -> str:
    """Text a spreadsheet shows as typed: a leading apostrophe before what would start a formula."""
    return "'" + text if text.startswith(FORMULA_STARTS) else text


def _csv_cell(value: Cell) -> str:
    """One CSV field: numbers and amounts as numbers, dates as YYYY-MM-DD, text made safe."""
    if value is None:
        return ""
    if isinstance(value, bool):
        raise TypeError("write a yes/no as text")
    if isinstance(value, int):
        return str(value)
    if isinstance(value, Yuan):
        return value.text()
    if isinstance(value, datetime):
        raise TypeError("write a moment as text (in the reader's time zone) or as its date")
    if isinstance(value, date):
        return value.isoformat()
    return safe_text(str(value))


def csv_bytes(header: Sequence[str], rows: Iterable[Sequence[Cell]]) -> bytes:
    """The rows under the header as CSV: UTF-8 with a BOM, CRLF line ends (as Excel writes them)."""
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow([_csv_cell(h) for h in header])
    for row in rows:
        writer.writerow([_csv_cell(v) for v in row])
    return ("\ufeff" + out.getvalue()).encode("utf-8")


_AMOUNT_FORMAT = "0.00"  # Excel's built-in format 2
_DATE_FORMAT = "yyyy-mm-dd"


def _xlsx_cell(sheet: WriteOnlyWorksheet, value: Cell, header: bool = False) -> WriteOnlyCell | None:
    """One cell: text always a string (never a formula), numbers, amounts (0.00) and dates (yyyy-mm-dd)."""
    if value is None:
        return None
    if isinstance(value, (bool, datetime)):
        raise TypeError("write a yes/no or a moment as text")
    if isinstance(value, int):
        return WriteOnlyCell(sheet, value)
    if isinstance(value, Yuan):
        cell = WriteOnlyCell(sheet, Decimal(value.text()))
        cell.number_format = _AMOUNT_FORMAT
        return cell
    if isinstance(value, date):
        cell = WriteOnlyCell(sheet, value)
        cell.number_format = _DATE_FORMAT
        return cell
    cell = WriteOnlyCell(sheet, _NOT_XML.sub("", str(value)))
    cell.data_type = "s"  # openpyxl would take a text beginning with "=" for a formula
    if header:
        cell.font = _BOLD
    return cell


def xlsx_bytes(header: Sequence[str], rows: Iterable[Sequence[Cell]], *, sheet: str = "Sheet1") -> bytes:
    """The rows under the header as an XLSX workbook of one sheet named `sheet` (header row frozen)."""
    book = Workbook(write_only=True)
    ws = book.create_sheet(_sheet_name(sheet))
    ws.freeze_panes = "A2"
    out = io.BytesIO()
    try:
        ws.append([_xlsx_cell(ws, h, header=True) for h in header])
        for row in rows:
            ws.append([_xlsx_cell(ws, v) for v in row])
    except BaseException:
        with contextlib.suppress(Exception):
            book.save(io.BytesIO())  # closes the sheet's writer and removes its temporary file
        raise
    book.save(out)
    return out.getvalue()


def _sheet_name(name: str) -> str:
    """A sheet name Excel accepts: at most 31 characters, none of : \\ / ? * [ ]."""
    cleaned = re.sub(r"[:\\/?*\[\]]", " ", _NOT_XML.sub("", name)).strip("' ")[:31]
    return cleaned or "Sheet1"
