"""The XLSX reader: the first worksheet's cells, read with openpyxl in read-only (streaming) mode.

openpyxl gives the values Excel saved; this module turns them into the import's cell values. Numbers come out
as exact Decimals (a float through its shortest repr, the text Excel saved, never through float arithmetic);
a date cell as a date (a datetime when it has a time of day); an error as ErrorValue. When openpyxl reads saved
values it reports a formula whose value was never saved as an empty cell, so the sheet is read with its
formulas, and from its first formula on also with its saved values, in lockstep: such a cell becomes Unsaved
(its formula), never "empty". A text cell is text whatever it starts with. Before openpyxl sees the file, the
ZIP's declared unpacked sizes are checked, so a small "ZIP bomb" cannot fill memory (zipfile stops reading a
part at its declared size).
"""

from __future__ import annotations

import io
import warnings
import zipfile
import zlib
from collections.abc import Iterator
from datetime import date, datetime, time
from decimal import Context, Decimal
from typing import Any
from xml.etree.ElementTree import ParseError  # noqa: S405 - only the exception type, for damaged files

import openpyxl
from flask_babel import lazy_gettext as _l
from openpyxl.utils.exceptions import InvalidFileException
from openpyxl.workbook.workbook import Workbook as ReadOnlyWorkbook  # opened with read_only=True

from market.services.spreadsheets.reading import CellValue, ErrorValue, SpreadsheetRefused, Unsaved

MAX_PART_BYTES = 200 * 1024 * 1024  # declared unpacked size of any one part
MAX_UNPACKED_BYTES = 400 * 1024 * 1024  # declared unpacked size of the whole file
# What openpyxl (and the XML and ZIP code under it) raises for a file that is not a readable workbook.
_DAMAGED = (zipfile.BadZipFile, zipfile.LargeZipFile, InvalidFileException, ParseError, KeyError, IndexError,
            ValueError, TypeError, AttributeError, OverflowError, EOFError, OSError, zlib.error,
            NotImplementedError, RuntimeError)


def _damaged() -> SpreadsheetRefused:
    """The refusal for a file that is not a readable XLSX workbook."""
    return SpreadsheetRefused(_l("The XLSX file is damaged or is not an Excel workbook: save it from Excel again."))


def _check_unpacked_sizes(data: bytes) -> None:
    """SpreadsheetRefused when the archive declares parts too large once unpacked (or is no ZIP at all)."""
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        sizes = [info.file_size for info in archive.infolist()]
    if sizes and (max(sizes) > MAX_PART_BYTES or sum(sizes) > MAX_UNPACKED_BYTES):
        raise SpreadsheetRefused(_l("The XLSX file is too large once unpacked: split it into smaller files."))


EXCEL_DIGITS = Context(prec=15)  # Excel keeps and shows 15 significant digits of a number


def _number(value: int | float) -> Decimal:
    """The Decimal of a number cell as Excel shows it: an int as it is, a float rounded to 15 significant digits.

    Excel saves a typed 19.99 as 19.989999999999998 and a computed 69.6 as 69.59999999999999 (the binary double
    written with 17 digits); read exactly, such amounts would have more than two decimals. Rounded as Excel
    displays them, they are 19.99 and 69.6 again, and a value typed with three decimals keeps its third."""
    number = Decimal(value) if isinstance(value, int) else EXCEL_DIGITS.create_decimal(repr(value))
    if not number.is_finite():
        raise ValueError("not a finite number")
    return number.normalize() if not isinstance(value, int) else number


def _value(saved: Any, formula: Any) -> CellValue:
    """The import's value of one cell from its saved-value reading and its formula reading."""
    kind, value = saved.data_type, saved.value
    if value is None or value == "":
        if formula.data_type == "f":
            text = formula.value if isinstance(formula.value, str) else getattr(formula.value, "text", "") or ""
            return Unsaved(text.removeprefix("="))
        return None if value is None or kind != "s" else value
    if kind == "e":
        return ErrorValue(str(value))
    if isinstance(value, bool):
        return value
    if isinstance(value, datetime):
        return value.date() if value.time() == time() else value
    if isinstance(value, date):
        return value
    if isinstance(value, int | float):
        return _number(value)
    return str(value)  # text; also a time of day or a duration (a time format), as Excel shows it


def _load(data: bytes, *, data_only: bool) -> ReadOnlyWorkbook:
    """The workbook opened for streaming: its saved values (data_only) or its formulas."""
    return openpyxl.load_workbook(io.BytesIO(data), read_only=True, data_only=data_only)


def _sheet_rows(book: ReadOnlyWorkbook) -> Iterator[tuple[int, tuple[Any, ...]]]:
    """(row number, cells) of the first worksheet, blank rows included, whatever its <dimension> claims."""
    if not book.worksheets:
        raise _damaged()
    sheet = book.worksheets[0]
    sheet.reset_dimensions()
    return enumerate(sheet.iter_rows(min_row=1, min_col=1), start=1)


def iter_rows(data: bytes) -> Iterator[tuple[int, tuple[CellValue, ...]]]:
    """(row number, cells from column A) of the first worksheet, in order; SpreadsheetRefused if damaged.

    The sheet is read with its formulas; from the first row holding a formula on, it is also read with its
    saved values, in lockstep (a sheet without formulas is read once)."""
    try:
        _check_unpacked_sizes(data)
        with warnings.catch_warnings():
            # openpyxl warns about parts it leaves out (extensions, a missing default style) and about a date
            # serial no calendar holds (that cell becomes an error value): nothing a reader of values needs.
            warnings.filterwarnings("ignore", module=r"openpyxl(\.|$)")
            books = [_load(data, data_only=False)]
            try:
                saved_rows = None
                for number, formulas in _sheet_rows(books[0]):
                    if saved_rows is None and any(cell.data_type == "f" for cell in formulas):
                        books.append(_load(data, data_only=True))
                        saved_rows = _sheet_rows(books[1])
                        for _ in range(number - 1):
                            next(saved_rows)
                    saved = formulas if saved_rows is None else next(saved_rows)[1]
                    if formulas:
                        yield number, tuple(_value(s, f) for s, f in zip(saved, formulas, strict=True))
            finally:
                for book in books:
                    book.close()
    except SpreadsheetRefused:
        raise
    except (*_DAMAGED, StopIteration):
        raise _damaged() from None
