"""Real spreadsheet files made in tests: XLSX parts written as Excel writes them, CSV as Excel saves it.

The XLSX writer puts text in the shared strings, numbers as the shortest text of their float (what Excel saves),
the sheet's <dimension> as Excel writes it, dates as serial numbers in a date-formatted style (built-in 14 or a
custom Chinese format), and formulas with or without a saved value (a file written by a program that never
calculated it has none).
"""

from __future__ import annotations

import io
import zipfile
from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal
from xml.sax.saxutils import escape

MAIN = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
REL = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"


@dataclass(frozen=True)
class Formula:
    """A formula cell; `saved` is its saved value (None: never calculated)."""

    text: str
    saved: float | str | None = None


@dataclass(frozen=True)
class ChineseDate:
    """A date cell in the custom format yyyy"年"m"月"d"日"."""

    day: date


@dataclass(frozen=True)
class ErrorCell:
    """A cell holding an error such as #DIV/0!."""

    code: str


def _letters(index: int) -> str:
    letters = ""
    index += 1
    while index:
        index, rest = divmod(index - 1, 26)
        letters = chr(65 + rest) + letters
    return letters


def _serial(day: date | datetime) -> str:
    base = datetime(1899, 12, 30)
    moment = day if isinstance(day, datetime) else datetime(day.year, day.month, day.day)
    delta = moment - base
    value = delta.days + delta.seconds / 86400
    return repr(value) if delta.seconds else str(delta.days)


def xlsx_bytes(rows: list[list[object]], *, sheet_name: str = "销售") -> bytes:
    """An XLSX workbook whose first sheet holds `rows` from A1 (None: an empty cell)."""
    strings: list[str] = []
    index_of: dict[str, int] = {}

    def shared(text: str) -> int:
        if text not in index_of:
            index_of[text] = len(strings)
            strings.append(text)
        return index_of[text]

    body = []
    for r, row in enumerate(rows, start=1):
        cells = []
        for c, value in enumerate(row):
            ref = f"{_letters(c)}{r}"
            if value is None:
                continue
            if isinstance(value, str):
                cells.append(f'<c r="{ref}" t="s"><v>{shared(value)}</v></c>')
            elif isinstance(value, bool):
                cells.append(f'<c r="{ref}" t="b"><v>{int(value)}</v></c>')
            elif isinstance(value, ChineseDate):
                cells.append(f'<c r="{ref}" s="2"><v>{_serial(value.day)}</v></c>')
            elif isinstance(value, date):
                cells.append(f'<c r="{ref}" s="1"><v>{_serial(value)}</v></c>')
            elif isinstance(value, int | float | Decimal):
                cells.append(f'<c r="{ref}"><v>{value!r}</v></c>' if isinstance(value, float)
                             else f'<c r="{ref}"><v>{value}</v></c>')
            elif isinstance(value, ErrorCell):
                cells.append(f'<c r="{ref}" t="e"><v>{escape(value.code)}</v></c>')
            elif isinstance(value, Formula):
                saved = "" if value.saved is None else f"<v>{escape(str(value.saved))}</v>"
                kind = ' t="str"' if isinstance(value.saved, str) else ""
                cells.append(f'<c r="{ref}"{kind}><f>{escape(value.text)}</f>{saved}</c>')
            else:
                raise TypeError(value)
        body.append(f'<row r="{r}">{"".join(cells)}</row>')
    corner = f"{_letters(max((len(row) for row in rows), default=1) - 1)}{max(len(rows), 1)}"
    sheet = (f'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\r\n<worksheet xmlns="{MAIN}" '
             f'xmlns:r="{REL}"><dimension ref="A1:{corner}"/><sheetData>{"".join(body)}</sheetData></worksheet>')
    sst = (f'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\r\n<sst xmlns="{MAIN}" count="{len(strings)}" '
           f'uniqueCount="{len(strings)}">' + "".join(f"<si><t>{escape(s)}</t></si>" for s in strings) + "</sst>")
    styles = (f'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\r\n<styleSheet xmlns="{MAIN}">'
              '<numFmts count="1"><numFmt numFmtId="176" '
              'formatCode="yyyy&quot;年&quot;m&quot;月&quot;d&quot;日&quot;"/>'
              '</numFmts><cellXfs count="3"><xf numFmtId="0"/><xf numFmtId="14" applyNumberFormat="1"/>'
              '<xf numFmtId="176" applyNumberFormat="1"/></cellXfs></styleSheet>')
    workbook = (f'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\r\n<workbook xmlns="{MAIN}" '
                f'xmlns:r="{REL}"><sheets><sheet name="{escape(sheet_name)}" sheetId="1" r:id="rId1"/></sheets>'
                '</workbook>')
    rels = ('<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\r\n<Relationships '
            'xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
            '<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/'
            'worksheet" Target="worksheets/sheet1.xml"/></Relationships>')
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as book:
        book.writestr("[Content_Types].xml", CONTENT_TYPES)
        book.writestr("_rels/.rels", ROOT_RELS)
        book.writestr("xl/workbook.xml", workbook)
        book.writestr("xl/_rels/workbook.xml.rels", rels)
        book.writestr("xl/worksheets/sheet1.xml", sheet)
        book.writestr("xl/sharedStrings.xml", sst)
        book.writestr("xl/styles.xml", styles)
    return out.getvalue()


_OFFICE = "application/vnd.openxmlformats-officedocument.spreadsheetml"
CONTENT_TYPES = (
    '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\r\n'
    '<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
    '<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>'
    '<Default Extension="xml" ContentType="application/xml"/>'
    f'<Override PartName="/xl/workbook.xml" ContentType="{_OFFICE}.sheet.main+xml"/>'
    f'<Override PartName="/xl/worksheets/sheet1.xml" ContentType="{_OFFICE}.worksheet+xml"/>'
    f'<Override PartName="/xl/sharedStrings.xml" ContentType="{_OFFICE}.sharedStrings+xml"/>'
    f'<Override PartName="/xl/styles.xml" ContentType="{_OFFICE}.styles+xml"/></Types>'
)
ROOT_RELS = (
    '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\r\n'
    '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
    f'<Relationship Id="rId1" Type="{REL}/officeDocument" Target="xl/workbook.xml"/></Relationships>'
)


def excel_csv(rows: list[list[str]], *, encoding: str = "gb18030", bom: bool = False) -> bytes:
    """CSV as Excel saves it: comma separated, quoted only where needed, CRLF line ends, in `encoding`."""
    import csv

    text = io.StringIO()
    csv.writer(text, lineterminator="\r\n").writerows(rows)
    data = text.getvalue().encode(encoding)
    return b"\xef\xbb\xbf" + data if bom else data
