"""Safe spreadsheet exports: CSV with a BOM and XLSX, where text never becomes a formula, numbers stay numbers,
amounts are yuan with two decimals and dates are dates; the XLSX (written by openpyxl) holds no formula when
openpyxl reads it back and reads back through the import's reader."""

from __future__ import annotations

import io
import zipfile
from datetime import date, datetime
from decimal import Decimal

import openpyxl
import pytest
from openpyxl.worksheet.worksheet import Worksheet

from market.services.spreadsheets import xlsx
from market.services.spreadsheets.export import Yuan, csv_bytes, safe_text, xlsx_bytes

HEADER = ["日期", "小票号", "数量", "金额", "备注"]
ROWS = [
    [date(2026, 11, 3), "=HYPERLINK(\"http://x\",\"点我\")", 2, Yuan(13650), "+86 138"],
    [date(2026, 11, 4), "-42", 10, Yuan(5), "@SUM(A1)"],
    [date(2026, 11, 5), "R-3", 1, Yuan(100_000_000), "苹果\t礼盒 <b>&amp;</b>"],
    [date(2026, 11, 6), "\tcmd", 3, Yuan(-5), None],
]


@pytest.mark.parametrize(("text", "written"), [
    ("=1+1", "'=1+1"), ("+1", "'+1"), ("-1", "'-1"), ("@A1", "'@A1"), ("\t=1", "'\t=1"), ("\r=1", "'\r=1"),
    ("R-1", "R-1"), ("陇州苹果", "陇州苹果"), ("", ""), ("'quoted", "'quoted"),
])
def test_text_that_would_start_a_formula_gets_an_apostrophe(text, written):
    assert safe_text(text) == written


def test_csv_has_a_bom_crlf_safe_text_and_numbers_as_numbers():
    data = csv_bytes(HEADER, ROWS)
    assert data.startswith(b"\xef\xbb\xbf")
    lines = data.decode("utf-8-sig").split("\r\n")
    assert lines[0] == "日期,小票号,数量,金额,备注"
    assert lines[1] == "2026-11-03,\"'=HYPERLINK(\"\"http://x\"\",\"\"点我\"\")\",2,136.50,'+86 138"
    assert lines[2] == "2026-11-04,'-42,10,0.05,'@SUM(A1)"
    assert lines[3].startswith("2026-11-05,R-3,1,1000000.00,")
    assert lines[4] == "2026-11-06,'\tcmd,3,-0.05,"


def test_moments_and_yes_no_are_refused_rather_than_guessed():
    for value in (datetime(2026, 1, 1, 8, 0), True):
        with pytest.raises(TypeError):
            csv_bytes(["x"], [[value]])
        with pytest.raises(TypeError):
            xlsx_bytes(["x"], [[value]])


def written(data: bytes) -> Worksheet:
    """The sheet as openpyxl reads it back with formulas (not saved values), after checking the archive."""
    with zipfile.ZipFile(io.BytesIO(data)) as book:
        assert book.testzip() is None
    return openpyxl.load_workbook(io.BytesIO(data), data_only=False).worksheets[0]


def test_xlsx_has_no_formula_and_reads_back_exactly():
    data = xlsx_bytes(HEADER, ROWS, sheet="线下销售")
    sheet = written(data)
    cells = [cell for row in sheet.iter_rows() for cell in row if cell.value is not None]
    assert len(cells) == 5 * 5 - 1
    assert not [c.coordinate for c in cells if c.data_type == "f"]
    texts = {c.coordinate: c.value for c in cells if c.data_type == "s"}
    assert texts["B2"] == "=HYPERLINK(\"http://x\",\"点我\")" and texts["E3"] == "@SUM(A1)"
    assert {"B2", "E2", "B3", "E3", "B5"} <= set(texts)
    assert sheet.freeze_panes == "A2" and sheet["A1"].font.bold
    rows = list(xlsx.iter_rows(data))
    assert rows[0] == (1, tuple(HEADER))
    assert rows[1] == (2, (date(2026, 11, 3), "=HYPERLINK(\"http://x\",\"点我\")", Decimal(2), Decimal("136.50"),
                           "+86 138"))
    assert rows[2][1][1:4] == ("-42", Decimal(10), Decimal("0.05"))
    assert rows[3][1][3:] == (Decimal("1000000.00"), "苹果\t礼盒 <b>&amp;</b>")
    assert rows[4][1][1] == "\tcmd" and rows[4][1][3] == Decimal("-0.05")


def test_xlsx_amounts_show_two_decimals_and_dates_a_date_format():
    data = xlsx_bytes(["金额", "日期", "数量"], [[Yuan(13650), date(2026, 1, 1), 3]])
    amount, day, count = written(data)[2]
    assert (amount.data_type, amount.value, amount.number_format) == ("n", 136.5, "0.00")
    assert day.is_date and day.value == datetime(2026, 1, 1) and day.number_format == "yyyy-mm-dd"
    assert (count.data_type, count.value, count.number_format) == ("n", 3, "General")
    with zipfile.ZipFile(io.BytesIO(data)) as book:
        assert b"<v>46023</v>" in book.read("xl/worksheets/sheet1.xml")  # 2026-01-01 as Excel counts days


def test_control_characters_are_dropped_and_a_bad_sheet_name_is_cleaned():
    data = xlsx_bytes(["a"], [["x\x00y\x1fz"]], sheet="a/b:c[d]*?" + "长" * 40)
    assert [r for _n, r in xlsx.iter_rows(data)][1] == ("xyz",)
    name = written(data).title
    assert len(name) <= 31 and not set(name) & set(":\\/?*[]")


def test_fifty_thousand_rows_stream_out():
    rows = ([date(2026, 11, 1), f"R-{n}", n % 7 + 1, Yuan(n), "备注"] for n in range(50_000))
    data = xlsx_bytes(HEADER, rows)
    assert sum(1 for _ in xlsx.iter_rows(data)) == 50_001
