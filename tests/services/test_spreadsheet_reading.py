"""The import machinery: uploads read into numbered rows (CSV in UTF-8/BOM/GB18030 with CRLF, XLSX with typed
cells), column sets found by Chinese or English headers, typed cell parsers and their messages."""

from __future__ import annotations

import io
import zipfile
from collections.abc import Iterator
from datetime import date
from decimal import Decimal

import openpyxl
import pytest
from flask import Flask
from flask_babel import force_locale

from market.services.spreadsheets import reading, xlsx
from market.services.spreadsheets.columns import (
    CellProblem,
    Column,
    ColumnSet,
    calendar_date,
    choice,
    inspect,
    money_fen,
    text,
    whole_number,
)
from market.services.spreadsheets.reading import ErrorValue, SpreadsheetRefused, Unsaved, read_table
from tests.spreadsheet_files import ChineseDate, ErrorCell, Formula, excel_csv, xlsx_bytes

HEADER = ["日期", "商品编码", "数量", "金额", "备注"]


@pytest.fixture
def english(migrated_app: Flask) -> Iterator[None]:
    """A request context in English, so messages read as their msgids."""
    with migrated_app.test_request_context(), force_locale("en"):
        yield


def refusal(data: bytes) -> str:
    """The message a refused upload gets."""
    with pytest.raises(SpreadsheetRefused) as caught:
        read_table(data)
    return str(caught.value.message)


@pytest.mark.parametrize("encoding,bom", [("gb18030", False), ("utf-8", True), ("utf-8", False)])
def test_csv_as_excel_saves_it_reads_chinese_text_and_numbers_rows_like_the_sheet(english, encoding, bom):
    data = excel_csv([HEADER, ["2026-11-03", "LX-P-001", "2", "45.50", "陇州苹果, 礼盒"], [], ["2026/11/4", "LX-P-002",
                      "1", "12", "蜂蜜\r\n两行"]], encoding=encoding, bom=bom)
    assert b"\r\n" in data
    table = read_table(data)
    assert table.kind == "csv"
    assert table.header == tuple(HEADER)
    assert [row.number for row in table.rows] == [2, 4]  # the blank row 3 is skipped, not renumbered
    assert table.rows[0].cells == ("2026-11-03", "LX-P-001", "2", "45.50", "陇州苹果, 礼盒")
    assert table.rows[1].cells[4] == "蜂蜜\r\n两行"


def test_gb18030_bytes_are_not_mistaken_for_utf8():
    data = excel_csv([["日期"], ["中蜂蜂蜜"]], encoding="gb18030")
    with pytest.raises(UnicodeDecodeError):
        data.decode("utf-8")
    assert read_table(data).rows[0].cells == ("中蜂蜂蜜",)


def test_text_that_looks_like_a_formula_is_data_in_csv_and_xlsx():
    cells = ["=1+1", "+86 139", "-5", "@SUM(A1)"]
    assert read_table(excel_csv([HEADER[:4], cells])).rows[0].cells == tuple(cells)
    assert read_table(xlsx_bytes([HEADER[:4], cells])).rows[0].cells == tuple(cells)


def test_xlsx_cells_keep_their_types():
    table = read_table(xlsx_bytes([
        HEADER + ["F", "G", "H"],
        [date(2026, 11, 3), "LX-P-001", 2.0, 45.5, Formula("C2*2"), Formula("D2*2", 91.0), ErrorCell("#DIV/0!"), True],
        [ChineseDate(date(2026, 2, 28)), 1001, 3, 0.1, None, "=A1", None, None],
    ]))
    assert table.kind == "xlsx"
    first, second = table.rows
    assert first.number == 2
    assert first.cells[:4] == (date(2026, 11, 3), "LX-P-001", Decimal("2.0"), Decimal("45.5"))
    assert first.cells[4] == Unsaved("C2*2")
    assert first.cells[5] == Decimal("91.0")
    assert first.cells[6] == ErrorValue("#DIV/0!")
    assert first.cells[7] is True
    assert second.cells[:6] == (date(2026, 2, 28), Decimal("1001"), Decimal("3"), Decimal("0.1"), None, "=A1")


def test_number_cells_read_as_excel_shows_them_to_fifteen_digits():
    """A computed 0.1 + 0.2 is saved as 0.30000000000000004: Excel shows 0.3, and so does the import."""
    table = read_table(xlsx_bytes([HEADER, [date(2026, 11, 3), "LX-P-001", 1, 0.1 + 0.2, "R1"],
                                   [date(2026, 11, 3), "LX-P-001", 1, 12.345, "R2"]]))
    assert [row.cells[3] for row in table.rows] == [Decimal("0.3"), Decimal("12.345")]
    assert money_fen(table.rows[0].cells[3]) == 30


@pytest.mark.parametrize("code,is_date", [
    ("yyyy-mm-dd", True), ('yyyy"年"m"月"d"日"', True), ("[$-804]yyyy/m/d", True), ("h:mm", True),
    ("0.00", False), ('#,##0.00"元"', False), ("General", False), ("[Red]0.00", False), ("0%", False),
])
def test_numbers_in_a_date_format_read_as_dates(code, is_date):
    book = openpyxl.Workbook()
    book.active.append(["日期"])
    book.active.append([46023])  # 2026-01-01 as Excel counts days
    book.active["A2"].number_format = code
    out = io.BytesIO()
    book.save(out)
    assert read_table(out.getvalue()).rows[0].cells == ((date(2026, 1, 1),) if is_date else (Decimal(46023),))


def test_a_formula_openpyxl_wrote_without_a_saved_value_is_named_not_taken_as_empty(english):
    book = openpyxl.Workbook()
    book.active.append(["日期", "数量", "金额"])
    book.active.append([date(2026, 11, 3), 2, "=B2*22.75"])  # openpyxl saves a formula, never its value
    book.active["A3"] = "=TODAY()"
    book.active["B3"], book.active["C3"] = 1, 45.5
    out = io.BytesIO()
    book.save(out)
    table = read_table(out.getvalue())
    assert table.rows[0].cells == (date(2026, 11, 3), Decimal(2), Unsaved("B2*22.75"))
    assert table.rows[1].cells == (Unsaved("TODAY()"), Decimal(1), Decimal("45.5"))
    preview = inspect(table.rows, SALES, SALES.locate(table.header))
    assert [str(e) for e in preview.rows[0].errors] == [
        "C2 金额: the formula in C2 has no saved value: open the file in Excel, save it and upload it again "
        "(or paste the values)"]
    assert [str(e) for e in preview.rows[1].errors][0].startswith("A3 日期: the formula in A3 has no saved value")


def test_a_file_too_large_once_unpacked_is_refused_before_openpyxl_reads_it(english, monkeypatch):
    data = xlsx_bytes([HEADER, ["x" * 5000]])
    monkeypatch.setattr(xlsx, "MAX_PART_BYTES", 4096)
    assert "too large once unpacked" in refusal(data)
    monkeypatch.setattr(xlsx, "MAX_PART_BYTES", 10**9)
    monkeypatch.setattr(xlsx, "MAX_UNPACKED_BYTES", 4096)
    assert "too large once unpacked" in refusal(data)


def test_rows_past_a_dimension_that_claims_fewer_are_read():
    data = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(xlsx_bytes([["日期"], ["a"], ["b"], ["c"]]))) as src, \
            zipfile.ZipFile(data, "w") as out:
        for info in src.infolist():
            part = src.read(info)
            if info.filename == "xl/worksheets/sheet1.xml":
                part = part.replace(b'<dimension ref="A1:A4"/>', b'<dimension ref="A1:A2"/>')
            out.writestr(info, part)
    assert [row.cells for row in read_table(data.getvalue()).rows] == [("a",), ("b",), ("c",)]


def test_limits_and_damaged_files_are_refused_with_a_message(english, monkeypatch):
    assert "larger than 10 MB" in refusal(b"a" * (reading.MAX_BYTES + 1))
    assert "empty" in refusal(b"  \r\n")
    assert "97-2003" in refusal(reading.OLE_MAGIC + b"\x00" * 600)
    assert "not a CSV or XLSX" in refusal(b"\x89PNG\r\n\x1a\n\x00\x00\x00")
    assert "damaged" in refusal(xlsx_bytes([HEADER])[:300])
    assert "neither UTF-8 nor GB18030" in refusal("日期\n".encode("gb18030") + b"\x81\x30\xff\n")
    assert "first row" in refusal(xlsx_bytes([[None], ["x"]]))
    assert "no rows of data" in refusal(excel_csv([HEADER, [], []]))
    no_workbook = io.BytesIO()
    with zipfile.ZipFile(no_workbook, "w") as book:
        book.writestr("word/document.xml", "<w/>")
    assert "not an Excel workbook" in refusal(no_workbook.getvalue())
    monkeypatch.setattr(reading, "MAX_ROWS", 3)
    rows = [["d"]] + [[str(n)] for n in range(4)]
    assert "more than 3 rows" in refusal(excel_csv(rows))
    assert len(read_table(excel_csv(rows[:4])).rows) == 3


def test_progress_is_told_every_row_read():
    told: list[int] = []
    read_table(excel_csv([["d"]] + [[str(n)] for n in range(2500)]), progress=told.append)
    assert told == [1000, 1000, 500]


SALES = ColumnSet((
    Column("day", ("日期", "date"), calendar_date),
    Column("quantity", ("数量", "quantity"), whole_number()),
    Column("amount", ("金额", "amount"), money_fen),
    Column("note", ("备注", "note"), text(20), required=False, default=""),
    Column("pay", ("付款方式", "payment_method"), choice({"现金": "cash", "cash": "cash"}, "现金, cash"),
           required=False, default="cash"),
))


def test_columns_are_found_by_chinese_or_english_header_and_extra_columns_are_ignored(english):
    assert SALES.locate(["Date", "其他", "QUANTITY", " amount ", "付款方式"]) == {
        "day": 0, "quantity": 2, "amount": 3, "pay": 4}
    with pytest.raises(SpreadsheetRefused) as caught:
        SALES.locate(["date", "备注"])
    assert str(caught.value.message).startswith("Missing required columns: 数量, 金额.")
    with pytest.raises(SpreadsheetRefused) as caught:
        SALES.locate(["date", "日期", "数量", "金额"])
    assert str(caught.value.message) == "The column 日期 appears twice in the first row."


def test_each_bad_cell_is_named_with_its_column_and_message(english):
    table = read_table(xlsx_bytes([
        ["日期", "数量", "金额", "备注"],
        [date(2026, 11, 3), 2.0, 45.5, "=cmd|' /C calc'!A0"],
        ["2026-13-01", 2.5, 45.555, Formula("1+1")],
        [None, -1, -3.0, "x" * 21],
    ]))
    preview = inspect(table.rows, SALES, SALES.locate(table.header))
    good, bad, worse = preview.rows
    assert good.ok and good.values == {"day": date(2026, 11, 3), "quantity": 2, "amount": 4550,
                                       "note": "=cmd|' /C calc'!A0", "pay": "cash"}
    assert [str(e) for e in bad.errors] == [
        "A3 日期: not a date (write it as YYYY-MM-DD, such as 2026-11-03)",
        "B3 数量: not a whole number",
        "C3 金额: at most two decimals (fen): 45.555",
        "D3 备注: the formula in D3 has no saved value: open the file in Excel, save it and upload it again "
        "(or paste the values)",
    ]
    assert [str(e) for e in worse.errors] == [
        "A4 日期: this cell is empty", "B4 数量: must be a whole number from 1 to 1,000,000",
        "C4 金额: an amount cannot be negative", "D4 备注: at most 20 characters"]
    assert not preview.ok and [row.number for row in preview.bad_rows] == [3, 4]


@pytest.mark.parametrize("value,fen", [
    (Decimal("45.5"), 4550), (Decimal("0.1"), 10), (Decimal("12.30"), 1230), (Decimal("1E+3"), 100000),
    (Decimal(repr(0.07)), 7), ("¥1,234.50", 123450), ("12", 1200), ("１２.５", 1250), (Decimal("0"), 0),
])
def test_money_cells_are_exact_fen(value, fen):
    assert money_fen(value) == fen


@pytest.mark.parametrize("value", [
    Decimal(repr(0.1 + 0.2)), Decimal("12.345"), Decimal("-1"), "12,5", "-3", "abc", date(2026, 1, 1),
    Decimal("1E+30"), True,
])
def test_money_cells_that_are_not_fen_are_refused(english, value):
    with pytest.raises(CellProblem):
        money_fen(value)


@pytest.mark.parametrize("value,expected", [
    (Decimal("2.0"), 2), (Decimal("7"), 7), ("3", 3), (" 4 ", 4), ("5.0", 5), ("６", 6)])
def test_whole_numbers(value, expected):
    assert whole_number()(value) == expected


@pytest.mark.parametrize("value", [Decimal("2.5"), "2.5", "-2", "0", "two", Decimal("0"), True, date(2026, 1, 1)])
def test_not_whole_positive_numbers_are_refused(english, value):
    with pytest.raises(CellProblem):
        whole_number()(value)


@pytest.mark.parametrize(("value", "words"), [
    ("99999999999999999999", "from 1 to 1,000,000"), ("-1", "from 1 to 1,000,000"), ("－3", "from 1 to 1,000,000"),
    ("0", "from 1 to 1,000,000"), ("2.5", "not a whole number"), ("two", "not a whole number"), ("1e3", "not a whole"),
])
def test_a_whole_number_out_of_range_is_told_the_range_and_other_text_not_whole(english, value, words):
    with pytest.raises(CellProblem, match=words):
        whole_number()(value)


def test_text_of_a_number_cell_is_its_digits():
    assert text(40)(Decimal("10023")) == "10023"
    assert text(40)(Decimal("10023.0")) == "10023"
    assert text(40)(Decimal("1.50")) == "1.5"
    assert text(40)("  A-1  ") == "A-1"
