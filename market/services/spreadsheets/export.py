"""Safe spreadsheet exports: CSV (UTF-8 with a BOM, so Excel reads Chinese) and XLSX, from rows of cells.

Data never becomes a formula: a text cell beginning with `=`, `+`, `-` or `@` (or a tab or carriage return,
which some programs skip before looking) is written with a leading apostrophe in CSV, and in XLSX every text
is an inline string, which a spreadsheet shows as typed and never evaluates. Numbers stay numbers; amounts
(`Yuan`) are numbers of yuan with two decimals, computed exactly from integer fen; dates are real dates.

The XLSX file is written with the standard library (a ZIP of a few XML parts, ECMA-376), streamed row by
row into the archive, so memory grows with the file and not with the rows' objects.
"""

from __future__ import annotations

import csv
import io
import re
import zipfile
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date, datetime
from xml.sax.saxutils import escape

from market.services.spreadsheets.reading import column_letter

CSV_TYPE = "text/csv; charset=utf-8"
XLSX_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
_NOT_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")  # characters XML 1.0 cannot carry
_EPOCH = date(1899, 12, 30)  # day 0 of the 1900 date system, past Excel's fictional 29 February 1900


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


# Cell styles (cellXfs): 0 plain, 1 header (bold), 2 amount (0.00), 3 date (yyyy-mm-dd).
_HEADER, _AMOUNT, _DATE = 1, 2, 3


def _xlsx_cell(ref: str, value: Cell, header: bool = False) -> str:
    """One <c> element; text as an inline string (never a formula), numbers, amounts and dates as numbers."""
    if value is None:
        return ""
    if isinstance(value, (bool, datetime)):
        raise TypeError("write a yes/no or a moment as text")
    if isinstance(value, int):
        return f'<c r="{ref}"><v>{value}</v></c>'
    if isinstance(value, Yuan):
        return f'<c r="{ref}" s="{_AMOUNT}"><v>{value.text()}</v></c>'
    if isinstance(value, date):
        return f'<c r="{ref}" s="{_DATE}"><v>{(value - _EPOCH).days}</v></c>'
    text = escape(_NOT_XML.sub("", str(value)))
    style = f' s="{_HEADER}"' if header else ""
    return f'<c r="{ref}" t="inlineStr"{style}><is><t xml:space="preserve">{text}</t></is></c>'


def _row(number: int, values: Sequence[Cell], header: bool = False) -> str:
    cells = "".join(_xlsx_cell(f"{column_letter(i)}{number}", v, header) for i, v in enumerate(values))
    return f'<row r="{number}">{cells}</row>'


def xlsx_bytes(header: Sequence[str], rows: Iterable[Sequence[Cell]], *, sheet: str = "Sheet1") -> bytes:
    """The rows under the header as an XLSX workbook of one sheet named `sheet` (header row frozen)."""
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", compression=zipfile.ZIP_DEFLATED) as book:
        book.writestr("[Content_Types].xml", _CONTENT_TYPES)
        book.writestr("_rels/.rels", _ROOT_RELS)
        book.writestr("xl/workbook.xml", _WORKBOOK.format(name=escape(_sheet_name(sheet), {'"': "&quot;"})))
        book.writestr("xl/_rels/workbook.xml.rels", _WORKBOOK_RELS)
        book.writestr("xl/styles.xml", _STYLES)
        with book.open("xl/worksheets/sheet1.xml", "w") as part:
            part.write(_SHEET_START.encode())
            part.write(_row(1, header, header=True).encode())
            chunk: list[str] = []
            for number, row in enumerate(rows, start=2):
                chunk.append(_row(number, row))
                if len(chunk) >= 1000:
                    part.write("".join(chunk).encode())
                    chunk.clear()
            part.write(("".join(chunk) + "</sheetData></worksheet>").encode())
    return out.getvalue()


def _sheet_name(name: str) -> str:
    """A sheet name Excel accepts: at most 31 characters, none of : \\ / ? * [ ]."""
    cleaned = re.sub(r"[:\\/?*\[\]]", " ", _NOT_XML.sub("", name)).strip("' ")[:31]
    return cleaned or "Sheet1"


_CONTENT_TYPES = (
    '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
    '<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
    '<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>'
    '<Default Extension="xml" ContentType="application/xml"/>'
    '<Override PartName="/xl/workbook.xml" '
    'ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/>'
    '<Override PartName="/xl/worksheets/sheet1.xml" '
    'ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/>'
    '<Override PartName="/xl/styles.xml" '
    'ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.styles+xml"/>'
    "</Types>"
)
_ROOT_RELS = (
    '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
    '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
    '<Relationship Id="rId1" '
    'Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" '
    'Target="xl/workbook.xml"/></Relationships>'
)
_WORKBOOK = (
    '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
    '<workbook xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" '
    'xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships">'
    '<sheets><sheet name="{name}" sheetId="1" r:id="rId1"/></sheets></workbook>'
)
_WORKBOOK_RELS = (
    '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
    '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
    '<Relationship Id="rId1" '
    'Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/worksheet" '
    'Target="worksheets/sheet1.xml"/>'
    '<Relationship Id="rId2" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/styles" '
    'Target="styles.xml"/></Relationships>'
)
_STYLES = (
    '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
    '<styleSheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">'
    '<numFmts count="1"><numFmt numFmtId="164" formatCode="yyyy-mm-dd"/></numFmts>'
    '<fonts count="2"><font><sz val="11"/><name val="Calibri"/></font>'
    '<font><b/><sz val="11"/><name val="Calibri"/></font></fonts>'
    '<fills count="2"><fill><patternFill patternType="none"/></fill>'
    '<fill><patternFill patternType="gray125"/></fill></fills>'
    '<borders count="1"><border><left/><right/><top/><bottom/><diagonal/></border></borders>'
    '<cellStyleXfs count="1"><xf numFmtId="0" fontId="0" fillId="0" borderId="0"/></cellStyleXfs>'
    '<cellXfs count="4"><xf numFmtId="0" fontId="0" fillId="0" borderId="0" xfId="0"/>'
    '<xf numFmtId="0" fontId="1" fillId="0" borderId="0" xfId="0" applyFont="1"/>'
    '<xf numFmtId="2" fontId="0" fillId="0" borderId="0" xfId="0" applyNumberFormat="1"/>'
    '<xf numFmtId="164" fontId="0" fillId="0" borderId="0" xfId="0" applyNumberFormat="1"/></cellXfs>'
    '<cellStyles count="1"><cellStyle name="Normal" xfId="0" builtinId="0"/></cellStyles>'
    "</styleSheet>"
)
_SHEET_START = (
    '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
    '<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">'
    '<sheetViews><sheetView workbookViewId="0"><pane ySplit="1" topLeftCell="A2" activePane="bottomLeft" '
    'state="frozen"/></sheetView></sheetViews><sheetData>'
)
