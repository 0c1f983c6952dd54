"""The XLSX reader: the first worksheet's cells, streamed from the file's XML with the standard library.

An XLSX file is a ZIP of XML parts (ECMA-376). We read the workbook (which sheet is first, and whether dates
count from 1904), the shared strings, the number formats (to tell a date cell from a number cell) and then
stream the sheet with iterparse, so memory grows with the rows kept, not with the XML. Numbers come out as the
exact Decimal of the text Excel saved (never through a float); a number in a date format comes out as a date;
a formula comes out as its saved value, or as Unsaved when no value was saved. Decompressed sizes are bounded,
so a small "ZIP bomb" cannot fill memory; the XML parser (expat) resolves no external entities.
"""

from __future__ import annotations

import io
import posixpath
import re
import zipfile
import zlib
from collections.abc import Iterator
from datetime import date, datetime, timedelta
from decimal import Decimal, InvalidOperation
from xml.etree import ElementTree as ET  # noqa: S405 - expat: no external entities, billion laughs guarded

from flask_babel import lazy_gettext as _l

from market.services.spreadsheets.reading import CellValue, ErrorValue, SpreadsheetRefused, Unsaved

NS = "{http://schemas.openxmlformats.org/spreadsheetml/2006/main}"
REL_NS = "{http://schemas.openxmlformats.org/officeDocument/2006/relationships}"
PKG_REL_NS = "{http://schemas.openxmlformats.org/package/2006/relationships}"
MAX_PART_BYTES = 200 * 1024 * 1024  # decompressed size of any one part we read
# Built-in number formats that show a date or time (18.8.30; 27-36 and 50-58 are the East Asian date formats).
DATE_FORMAT_IDS = frozenset([*range(14, 23), *range(27, 37), *range(45, 48), *range(50, 59)])
_CELL_REF = re.compile(r"([A-Z]{1,3})([0-9]+)")
_QUOTED = re.compile(r'"[^"]*"|\[[^]]*]|\\.|_.|\*.')
EPOCH_1900 = datetime(1899, 12, 30)  # noqa: DTZ001 - serial dates have no time zone
EPOCH_1904 = datetime(1904, 1, 1)  # noqa: DTZ001


def _damaged() -> SpreadsheetRefused:
    """The refusal for a file that is not a readable XLSX workbook."""
    return SpreadsheetRefused(_l("The XLSX file is damaged or is not an Excel workbook: save it from Excel again."))


def _part(book: zipfile.ZipFile, name: str) -> bytes | None:
    """A part's bytes (None when the part is missing), its declared decompressed size bounded."""
    try:
        info = book.getinfo(name)
    except KeyError:
        return None
    if info.file_size > MAX_PART_BYTES:
        raise SpreadsheetRefused(_l("The XLSX file is too large once unpacked: split it into smaller files."))
    return book.read(info)  # zipfile stops at the declared size and checks the CRC


def _xml(data: bytes) -> ET.Element:
    """A small part parsed."""
    return ET.fromstring(data)  # noqa: S314 - see the module docstring


def _first_sheet(book: zipfile.ZipFile) -> tuple[str, bool]:
    """The first worksheet's part name and whether the workbook counts dates from 1904."""
    workbook = _part(book, "xl/workbook.xml")
    if workbook is None:
        raise _damaged()
    root = _xml(workbook)
    pr = root.find(f"{NS}workbookPr")
    date1904 = pr is not None and pr.get("date1904", "").lower() in ("1", "true")
    sheet = root.find(f"{NS}sheets/{NS}sheet")
    rels = _part(book, "xl/_rels/workbook.xml.rels")
    if sheet is not None and rels is not None:
        wanted = sheet.get(f"{REL_NS}id")
        for rel in _xml(rels).iter(f"{PKG_REL_NS}Relationship"):
            if rel.get("Id") == wanted:
                target = rel.get("Target", "")
                name = target.lstrip("/") if target.startswith("/") else posixpath.normpath(f"xl/{target}")
                return name, date1904
    return "xl/worksheets/sheet1.xml", date1904


def _text_of(element: ET.Element) -> str:
    """The text of a shared or inline string: its <t>, or its rich-text runs joined (reading hints left out)."""
    parts = []
    for child in element:
        if child.tag == f"{NS}t":
            parts.append(child.text or "")
        elif child.tag == f"{NS}r":
            parts.extend(t.text or "" for t in child.iter(f"{NS}t"))
    return "".join(parts)


def _shared_strings(book: zipfile.ZipFile) -> list[str]:
    """The workbook's shared strings, in order."""
    data = _part(book, "xl/sharedStrings.xml")
    if data is None:
        return []
    strings: list[str] = []
    for _event, element in ET.iterparse(io.BytesIO(data)):  # noqa: S314
        if element.tag == f"{NS}si":
            strings.append(_text_of(element))
            element.clear()
    return strings


def is_date_format(code: str) -> bool:
    """Whether a custom number format shows a date or time ("yyyy-mm-dd", 'yyyy"年"m"月"d"日"')."""
    bare = _QUOTED.sub("", code).lower()
    return "general" not in bare and any(letter in bare for letter in "dmyhs")


def _date_styles(book: zipfile.ZipFile) -> frozenset[int]:
    """The indexes of the cell styles whose number format is a date or time."""
    data = _part(book, "xl/styles.xml")
    if data is None:
        return frozenset()
    root = _xml(data)
    custom = {int(f.get("numFmtId", "0")): f.get("formatCode", "") for f in root.iter(f"{NS}numFmt")}
    xfs = root.find(f"{NS}cellXfs")
    found = set()
    for index, xf in enumerate([] if xfs is None else xfs.findall(f"{NS}xf")):
        fmt = int(xf.get("numFmtId", "0"))
        if fmt in custom and is_date_format(custom[fmt]) or fmt not in custom and fmt in DATE_FORMAT_IDS:
            found.add(index)
    return frozenset(found)


def _serial_date(number: Decimal, date1904: bool) -> date | datetime:
    """A date serial as a date (a whole day) or a datetime (with a time of day)."""
    if number < 0 or number > 2_958_465:  # 9999-12-31
        raise ValueError("date serial out of range")
    epoch = EPOCH_1904 if date1904 else EPOCH_1900
    if not date1904 and number < 60:  # Excel's phantom 1900-02-29: serials before it are one day later
        number += 1
    moment = epoch + timedelta(days=int(number), seconds=round((number % 1) * 86400))
    return moment.date() if moment.time() == datetime.min.time() else moment


def _column_index(ref: str | None, fallback: int) -> int:
    """The 0-based column of a cell reference such as "C7" (the next column when the reference is absent)."""
    found = _CELL_REF.fullmatch(ref or "")
    if not found:
        return fallback
    index = 0
    for letter in found[1]:
        index = index * 26 + ord(letter) - 64
    return index - 1


_V, _F, _IS, _C, _ROW = f"{NS}v", f"{NS}f", f"{NS}is", f"{NS}c", f"{NS}row"


def _value(cell: ET.Element, strings: list[str], date_styles: frozenset[int], date1904: bool) -> CellValue:
    """A cell's value by its type attribute and style."""
    kind = cell.get("t", "n")
    raw = formula = inline = None
    for child in cell:
        if child.tag == _V:
            raw = child.text
        elif child.tag == _F:
            formula = child.text or ""
        elif child.tag == _IS:
            inline = child
    if kind == "inlineStr":
        return None if inline is None else _text_of(inline)
    if formula is not None and not raw:
        return Unsaved(formula)
    if raw is None:
        return None
    if kind == "s":
        return strings[int(raw)]
    if kind == "str":
        return raw
    if kind == "b":
        return raw.strip() == "1"
    if kind == "e":
        return ErrorValue(raw)
    if kind == "d":
        return datetime.fromisoformat(raw.strip())
    number = Decimal(raw.strip())
    if not number.is_finite():
        raise ValueError("not a finite number")
    style = cell.get("s")
    if style is not None and int(style) in date_styles:
        try:
            return _serial_date(number, date1904)
        except (ValueError, OverflowError):
            return number  # no day Excel could show: the column's parser says it is not a date
    return number


def iter_rows(data: bytes) -> Iterator[tuple[int, tuple[CellValue, ...]]]:
    """(row number, cells from column A) of the first worksheet, in order; SpreadsheetRefused if damaged."""
    try:
        book = zipfile.ZipFile(io.BytesIO(data))
        sheet_name, date1904 = _first_sheet(book)
        strings = _shared_strings(book)
        date_styles = _date_styles(book)
        sheet = _part(book, sheet_name)
        if sheet is None:
            raise _damaged()
        number = 0
        cells: dict[int, CellValue] = {}
        for _event, element in ET.iterparse(io.BytesIO(sheet)):  # noqa: S314
            if element.tag == _C:
                cells[_column_index(element.get("r"), len(cells) and max(cells) + 1)] = _value(
                    element, strings, date_styles, date1904)
            elif element.tag == _ROW:
                number = int(element.get("r") or number + 1)
                if cells:
                    yield number, tuple(cells.get(i) for i in range(max(cells) + 1))
                cells = {}
                element.clear()
    except SpreadsheetRefused:
        raise
    except (zipfile.BadZipFile, zipfile.LargeZipFile, ET.ParseError, KeyError, IndexError, ValueError,
            InvalidOperation, OverflowError, EOFError, zlib.error, NotImplementedError, RuntimeError):
        raise _damaged() from None
