"""Importing counter sales in the outlet portal and from the command line: the preview shows a bad row's error
and imports nothing; the fixed file imports as one batch; a batch is withdrawn; the same rows as XLSX import
identically; `market sales import --dry-run` reports what the web preview shows; another outlet's staff see none
of it."""

from __future__ import annotations

import re
from datetime import date, timedelta
from html import unescape
from io import BytesIO

import pytest
import sqlalchemy as sa
from flask.testing import FlaskClient
from werkzeug.datastructures import FileStorage
from werkzeug.test import encode_multipart

from market import clock
from market.cli import main
from market.extensions import db
from market.models import OfflineSale, OfflineSaleBatch, OutletMembership, ProductCertification, User
from market.services.spreadsheets import reading
from tests.conftest import AuthActions, csrf_token
from tests.factories import PASSWORD, OutletFactory, ProductFactory, UserFactory
from tests.spreadsheet_files import excel_csv, xlsx_bytes

URL = "/outlet/LX-O-201/sales/import"
TOKEN = re.compile(r'name="token"[^>]*value="([^"]+)"')


@pytest.fixture
def shops(app):
    """Outlet LX-O-201 with its clerk, LX-O-202 with another; apples certified long ago, honey only since 10
    days ago."""
    mine, theirs = OutletFactory(code="LX-O-201"), OutletFactory(code="LX-O-202")
    ProductFactory(sku="LX-P-001")
    honey = ProductFactory(sku="LX-P-002", certified=False)
    honey.certifications = [ProductCertification(number="LXCP-H", valid_from=clock.today() - timedelta(days=10))]
    for outlet, email in ((mine, "clerk@example.com"), (theirs, "other@example.com")):
        user = UserFactory(email=email, roles_given=("outlet_staff",), locale="en")  # messages read as written
        db.session.add(OutletMembership(outlet=outlet, user=user))
    db.session.commit()
    return mine, theirs


def day(days_ago: int) -> date:
    return clock.today() - timedelta(days=days_ago)


def sheet(honey_days_ago: int) -> list[list[str]]:
    """Three rows; the second sells honey `honey_days_ago` days ago (before its certification if > 10)."""
    return [["日期", "商品编码", "数量", "金额", "小票号", "付款方式", "备注"],
            [day(20).isoformat(), "LX-P-001", "2", "45.50", "XP-001", "现金", ""],
            [day(honey_days_ago).isoformat(), "LX-P-002", "1", "88.00", "XP-002", "微信", "=一箱"],
            [day(3).isoformat(), "LX-P-001", "3", "1200", "XP-003", "银行卡", ""]]


def login(client: FlaskClient, email: str = "clerk@example.com") -> FlaskClient:
    AuthActions(client).login(email, PASSWORD)
    return client


def upload(client: FlaskClient, data: bytes, name: str, url: str = URL):
    """Post the file through the upload form. The multipart body is built in memory: the test client's own
    encoder spools bodies over 500 kB to a temporary file it never closes (a ResourceWarning)."""
    token = csrf_token(client, url)
    boundary, body = encode_multipart({"csrf_token": token, "file": FileStorage(BytesIO(data), name)})
    return client.post(url, data=body, content_type=f"multipart/form-data; boundary={boundary}")


def confirm(client: FlaskClient, preview_html: str, url: str = URL):
    token = TOKEN.search(preview_html)
    assert token, "no confirm form on the preview"
    form_token = re.search(r'name="csrf_token"[^>]*value="([^"]+)"', preview_html).group(1)
    return client.post(f"{url}/confirm", data={"csrf_token": form_token, "token": unescape(token.group(1))})


def preview_errors(html: str) -> set[str]:
    """The errors of the preview page as "row N: cell column: message" lines."""
    found = set()
    for number, cells in re.findall(r'<tr id="row-(\d+)">(.*?)</tr>', html, re.S):
        for item in re.findall(r"<li>(.*?)</li>", cells, re.S):
            found.add(f"row {number}: " + unescape(re.sub(r"<[^>]+>", "", item)).strip())
    return found


def lines() -> list[tuple]:
    db.session.expire_all()
    return db.session.execute(sa.select(
        OfflineSale.receipt_no, OfflineSale.sale_date, OfflineSale.product_id, OfflineSale.quantity,
        OfflineSale.amount_fen, OfflineSale.payment_method, OfflineSale.note, OfflineSale.state,
    ).order_by(OfflineSale.receipt_no)).all()


def test_a_bad_row_is_shown_and_nothing_imported_then_the_fixed_file_imports_and_is_withdrawn(app, shops, client):
    login(client)
    bad = upload(client, excel_csv(sheet(honey_days_ago=15)), "十一月.csv")  # GB18030 + CRLF, as Excel saves it
    html = bad.get_data(as_text=True)
    assert bad.status_code == 422
    assert preview_errors(html) == {"row 3: B3 商品编码: The product is not certified on the sale date."}
    assert 'name="token"' not in html
    assert lines() == []

    fixed = upload(client, excel_csv(sheet(honey_days_ago=5)), "十一月.csv")
    assert fixed.status_code == 200 and preview_errors(fixed.get_data(as_text=True)) == set()
    assert "Import 3 lines" in fixed.get_data(as_text=True)
    assert re.search(r'<nav class="breadcrumbs"[^>]*>.*?Counter sales</a> › <a href="' + URL + '">',
                     fixed.get_data(as_text=True))
    assert lines() == []  # a preview imports nothing
    done = confirm(client, fixed.get_data(as_text=True))
    assert done.status_code == 302
    told = unescape(client.get(done.headers["Location"]).get_data(as_text=True))
    assert re.search(r"Imported 3 lines \(¥1,333.50\) as batch \d+", told)
    one = upload(client, excel_csv([sheet(5)[0], [day(4).isoformat(), "LX-P-001", "1", "5", "XP-ONE", "现金", ""]]),
                 "one.csv")
    assert "Import 1 line<" in one.get_data(as_text=True) and "1 row read: 1 valid, 0 with errors." in one.get_data(
        as_text=True)
    batch = db.session.scalar(sa.select(OfflineSaleBatch))
    assert (batch.file_name, batch.row_count, batch.total_fen) == ("十一月.csv", 3, 4550 + 8800 + 120000)
    imported = lines()
    assert [(r.receipt_no, r.state, r.note) for r in imported] == [
        ("XP-001", "unverified", ""), ("XP-002", "unverified", "=一箱"), ("XP-003", "unverified", "")]
    page = client.get(URL).get_data(as_text=True)
    assert "十一月.csv" in page and f'id="batch-{batch.id}"' in page and "Withdraw" in page
    # withdrawing takes a second, deliberate tap, told what it deletes
    assert re.search(r'<details class="confirm">\s*<summary>Withdraw batch</summary>\s*<p>This deletes 3 lines of '
                     rf'batch {batch.id} for good.</p>\s*<form method="post" '
                     rf'action="{URL}/batches/{batch.id}/withdraw">', page)
    assert f"batch={batch.id}" in page  # the batch's lines in the counter-sales list

    again = confirm(client, fixed.get_data(as_text=True))  # the kept file is gone after the import
    assert again.status_code == 302 and db.session.scalar(sa.select(sa.func.count()).select_from(
        OfflineSaleBatch)) == 1

    withdrawn = client.post(f"{URL}/batches/{batch.id}/withdraw", data={"csrf_token": csrf_token(client, URL)})
    assert withdrawn.status_code == 302 and lines() == []
    db.session.expire_all()
    assert db.session.get(OfflineSaleBatch, batch.id).withdrawn_at is not None

    as_xlsx = [sheet(5)[0]] + [[date.fromisoformat(r[0]), r[1], int(r[2]), float(r[3]), r[4], r[5], r[6] or None]
                               for r in sheet(5)[1:]]
    preview = upload(client, xlsx_bytes(as_xlsx), "十一月.xlsx")
    assert preview.status_code == 200
    assert confirm(client, preview.get_data(as_text=True)).status_code == 302
    assert lines() == imported


def test_the_command_reports_the_same_errors_as_the_web_preview_and_imports(app, shops, client, tmp_path):
    clerk = db.session.scalar(sa.select(User).where(User.email == "clerk@example.com"))
    clerk.locale = "en"  # the command speaks English (market.i18n): compare the page in the same language
    db.session.commit()
    data = excel_csv(sheet(honey_days_ago=15) + [[day(1).isoformat(), "NOPE", "2.5", "-1", "XP-001"]])
    web = preview_errors(upload(login(client), data, "a.csv").get_data(as_text=True))
    path = tmp_path / "a.csv"
    path.write_bytes(data)
    runner = app.test_cli_runner()
    result = runner.invoke(main, ["sales", "import", "--outlet", "LX-O-201", "--as", "clerk@example.com",
                                  "--dry-run", str(path)])
    assert result.exit_code == 2, result.output
    assert set(result.stdout.splitlines()) == web
    assert len(web) == 6 and {line.split(": ")[1] for line in web} == {"E2 小票号", "B3 商品编码", "B5 商品编码",
                                                                      "C5 数量", "D5 金额", "E5 小票号"}
    assert lines() == []

    path.write_bytes(excel_csv(sheet(honey_days_ago=5)))
    dry = runner.invoke(main, ["sales", "import", "--outlet", "LX-O-201", "--as", "CLERK@example.com", "--dry-run",
                               str(path)])
    assert (dry.exit_code, dry.stdout, lines()) == (0, "", [])
    real = runner.invoke(main, ["sales", "import", "--outlet", "LX-O-201", "--as", "clerk@example.com", str(path)])
    assert real.exit_code == 0, real.output
    batch = db.session.scalar(sa.select(OfflineSaleBatch))
    assert real.stdout == f"{batch.id}\n" and batch.entered_by.email == "clerk@example.com"
    assert len(lines()) == 3
    repeated = runner.invoke(main, ["sales", "import", "--outlet", "LX-O-201", "--as", "clerk@example.com", str(path)])
    assert repeated.exit_code == 2 and [line.split(": ")[:2] for line in repeated.stdout.splitlines()] == [
        ["row 2", "E2 小票号"], ["row 3", "E3 小票号"], ["row 4", "E4 小票号"]]


def test_the_command_refuses_someone_who_does_not_work_at_the_outlet(app, shops, tmp_path):
    path = tmp_path / "a.csv"
    path.write_bytes(excel_csv(sheet(5)))
    runner = app.test_cli_runner()
    for outlet, email in (("LX-O-201", "other@example.com"), ("LX-O-201", "nobody@example.com"),
                          ("LX-O-999", "clerk@example.com")):
        result = runner.invoke(main, ["sales", "import", "--outlet", outlet, "--as", email, str(path)])
        assert result.exit_code == 1 and "Error:" in result.output
    missing = runner.invoke(main, ["sales", "import", "--outlet", "LX-O-201", "--as", "clerk@example.com",
                                   str(tmp_path / "none.csv")])
    assert missing.exit_code == 2 and lines() == []
    path.write_bytes(excel_csv([["date", "sku"], ["2026-01-01", "X"]]))
    no_columns = runner.invoke(main, ["sales", "import", "--outlet", "LX-O-201", "--as", "clerk@example.com",
                                      str(path)])
    assert no_columns.exit_code == 2 and no_columns.stdout.startswith("a.csv: ")
    assert "数量, 金额, 小票号" in no_columns.stdout  # the missing columns, named


def test_another_outlets_staff_see_no_batch_preview_or_template(app, shops, client):
    login(client)
    preview = upload(client, excel_csv(sheet(5)), "mine.csv").get_data(as_text=True)
    assert confirm(client, preview).status_code == 302
    batch = db.session.scalar(sa.select(OfflineSaleBatch))

    other = app.test_client()
    login(other, "other@example.com")
    assert other.get(URL).status_code == 404
    assert other.get(f"{URL}/template.csv").status_code == 404
    token = csrf_token(other, "/outlet/LX-O-202/sales/import")
    assert other.post(f"{URL}/batches/{batch.id}/withdraw", data={"csrf_token": token}).status_code == 404
    assert other.post(f"/outlet/LX-O-202/sales/import/batches/{batch.id}/withdraw",
                      data={"csrf_token": token}).status_code == 404
    assert "mine.csv" not in other.get("/outlet/LX-O-202/sales/import").get_data(as_text=True)

    # the clerk's previewed file cannot be confirmed by the other outlet's staff, under either code
    second = upload(client, excel_csv([sheet(5)[0], [day(2).isoformat(), "LX-P-001", "1", "9", "XP-9"]]), "b.csv")
    stolen = TOKEN.search(second.get_data(as_text=True)).group(1)
    assert other.post(f"{URL}/confirm", data={"csrf_token": token, "token": unescape(stolen)}).status_code == 404
    refused = other.post("/outlet/LX-O-202/sales/import/confirm", data={"csrf_token": token,
                                                                         "token": unescape(stolen)})
    assert refused.status_code == 302
    assert db.session.scalar(sa.select(sa.func.count()).select_from(OfflineSale)) == 3


def test_a_file_changed_meanwhile_is_checked_again_on_confirmation(app, shops, client):
    login(client)
    first = upload(client, excel_csv(sheet(5)), "a.csv").get_data(as_text=True)
    second = upload(client, excel_csv(sheet(5)), "b.csv").get_data(as_text=True)
    assert confirm(client, first).status_code == 302
    late = confirm(client, second)
    assert late.status_code == 422
    assert "row 2: E2 小票号: A line with this receipt number is already recorded at this outlet." in preview_errors(
        late.get_data(as_text=True))
    assert db.session.scalar(sa.select(sa.func.count()).select_from(OfflineSaleBatch)) == 1


def test_too_big_files_are_refused_with_a_clear_message(app, shops, client):
    login(client)
    big = upload(client, b"x" * (reading.MAX_BYTES + 10), "big.csv")
    assert big.status_code == 413 and "10 MB" in big.get_data(as_text=True)
    huge = upload(client, b"x" * (app.config["MAX_CONTENT_LENGTH"] + 10), "huge.csv")
    assert huge.status_code == 413 and "10 MB" in huge.get_data(as_text=True)
    assert db.session.scalar(sa.select(sa.func.count()).select_from(OfflineSale)) == 0


@pytest.mark.parametrize("fmt", ["csv", "xlsx"])
def test_a_template_uploaded_unchanged_imports_nothing(app, shops, client, fmt):
    login(client)
    template = client.get(f"{URL}/template.{fmt}")
    assert template.status_code == 200 and "attachment" in template.headers["Content-Disposition"]
    refused = upload(client, template.data, f"template.{fmt}")
    assert refused.status_code == 422 and "no rows of data" in refused.get_data(as_text=True)
    assert 'name="token"' not in refused.get_data(as_text=True) and lines() == []


def test_the_import_page_explains_each_columns_format(app, shops, client):
    page = unescape(login(client).get(URL).get_data(as_text=True))
    for words in ("YYYY-MM-DD", "product code", "A whole number from 1 to 1,000,000", "at most two decimals",
                  "unique at your outlet", "支付宝", "bank_transfer"):
        assert words in page


def test_a_consumer_or_a_visitor_reaches_no_import_page(app, shops, client):
    assert client.get(URL).status_code in (302, 401)  # to the login page
    UserFactory(email="buyer@example.com")
    login(client, "buyer@example.com")
    for path in (URL, f"{URL}/template.xlsx"):
        assert client.get(path).status_code == 403
