"""Offline sales imported from a spreadsheet: the preview names every bad row's cell and reason and imports
nothing; a clean file goes in as one batch; a batch is withdrawn only while all its lines are unverified."""

from __future__ import annotations

from datetime import UTC, date, datetime

import pytest
import sqlalchemy as sa
from flask_babel import force_locale

from market.domain.offline_sale import RiskKind
from market.extensions import db
from market.models import AuditEvent, OfflineSale, OfflineSaleBatch, OfflineSaleRisk
from market.services.errors import ServiceError
from market.services.sales import importing
from market.services.sales.recording import SaleInput, record_lines
from market.services.spreadsheets import export
from market.services.spreadsheets.reading import SpreadsheetRefused
from tests.factories import OutletFactory, ProductFactory, UserFactory
from tests.spreadsheet_files import excel_csv, xlsx_bytes

TODAY = date(2026, 12, 2)
NOW = datetime(2026, 12, 2, 3, 0, tzinfo=UTC)
HEADER = ["日期", "商品编码", "数量", "金额", "小票号", "付款方式", "备注", "收银员"]


@pytest.fixture
def shop(db_session, migrated_app):
    outlet = OutletFactory()
    apples, honey = ProductFactory(sku="LX-P-001"), ProductFactory(sku="LX-P-002", certified=False)
    clerk = UserFactory(roles_given=("outlet_staff",))
    db.session.flush()
    with migrated_app.test_request_context(), force_locale("en"):
        yield outlet, apples, honey, clerk


def rows(second_sku: str = "LX-P-002") -> list[list[object]]:
    return [HEADER,
            ["2026-11-03", "LX-P-001", "2", "45.50", "XP-001", "现金", "", "王"],
            ["2026-11-03", second_sku, "1", "88", "XP-002", "微信", "=备注", "王"],
            ["2026/11/4", "lx-p-001", "3", "¥1,200.00", "XP-003", "bank_card", "", "李"]]


def errors(preview: importing.SalesPreview) -> dict[int, list[str]]:
    return {row.number: [str(e) for e in row.errors] for row in preview.preview.bad_rows}


def test_the_preview_names_the_uncertified_product_row_and_nothing_is_imported(shop):
    outlet, _apples, _honey, clerk = shop
    data = excel_csv(rows())  # GB18030 with CRLF, as Excel saves a Chinese CSV
    preview = importing.preview_upload(outlet, data, TODAY)
    assert errors(preview) == {3: ["B3 商品编码: The product is not certified on the sale date."]}
    assert not preview.ok and preview.inputs == []
    assert [row.values["payment_method"] for row in preview.preview.rows] == ["cash", "wechat", "bank_card"]
    with pytest.raises(importing.ImportRefused) as refused:
        importing.import_upload(outlet, data, "sales.csv", clerk, NOW)
    assert refused.value.message == "1 rows have errors: nothing was imported."
    assert db.session.scalar(sa.select(sa.func.count()).select_from(OfflineSale)) == 0
    assert db.session.scalar(sa.select(sa.func.count()).select_from(OfflineSaleBatch)) == 0


def test_a_clean_file_goes_in_as_one_batch_entered_by_the_clerk(shop):
    outlet, apples, _honey, clerk = shop
    batch = importing.import_upload(outlet, excel_csv(rows("LX-P-001")), "11月.csv", clerk, NOW)
    assert (batch.file_name, batch.row_count, batch.total_fen, batch.entered_by_id, batch.created_at) == (
        "11月.csv", 3, 4550 + 8800 + 120000, clerk.id, NOW)
    lines = db.session.scalars(sa.select(OfflineSale).order_by(OfflineSale.receipt_no)).all()
    assert [(s.receipt_no, s.sale_date, s.product_id, s.quantity, s.amount_fen, s.payment_method, s.note, s.state,
             s.batch_id, s.entered_by_id) for s in lines] == [
        ("XP-001", date(2026, 11, 3), apples.id, 2, 4550, "cash", "", "unverified", batch.id, clerk.id),
        ("XP-002", date(2026, 11, 3), apples.id, 1, 8800, "wechat", "=备注", "unverified", batch.id, clerk.id),
        ("XP-003", date(2026, 11, 4), apples.id, 3, 120000, "bank_card", "", "unverified", batch.id, clerk.id)]
    assert db.session.scalar(sa.select(AuditEvent.action).where(AuditEvent.object_id == str(batch.id))) == (
        "offline_sale_batch.import")
    again = importing.preview_upload(outlet, excel_csv(rows("LX-P-001")), TODAY)
    assert errors(again)[2] == ["E2 小票号: A line with this receipt number is already recorded at this outlet."]


def test_every_kind_of_bad_row_is_reported_with_its_spreadsheet_row(shop):
    outlet = shop[0]
    data = xlsx_bytes([HEADER,
                       [date(2026, 11, 3), "NOPE", 1, 10, "R1"],
                       [date(2026, 12, 3), "LX-P-001", 1, 10, "R2"],
                       [],
                       [date(2026, 11, 3), "LX-P-001", 2.5, 0, "R1", "比特币"],
                       [date(2026, 11, 3), "LX-P-001", 1, 10, "R4"],
                       [date(2026, 11, 3), "LX-P-001", 1, 10, "R4"]])
    assert errors(importing.preview_upload(outlet, data, TODAY)) == {
        2: ["B2 商品编码: No product of the county register has this code.",
            "E2 小票号: The receipt number appears more than once in this file."],
        3: ["A3 日期: The sale date is in the future."],
        5: ["C5 数量: not a whole number",  # left to right, whichever check found them
            "D5 金额: The amount must be more than ¥0.00 and at most ¥10,000,000.00.",
            "E5 小票号: The receipt number appears more than once in this file.",
            "F5 付款方式: not one of: 现金, 微信, 支付宝, 银行卡, 银行转账, 其他 (cash, wechat, alipay, bank_card, "
            "bank_transfer, other)"],
        6: ["E6 小票号: The receipt number appears more than once in this file."],
        7: ["E7 小票号: The receipt number appears more than once in this file."]}


def test_a_missing_required_column_is_named(shop):
    with pytest.raises(SpreadsheetRefused) as refused:
        importing.preview_upload(shop[0], excel_csv([["date", "sku", "amount"], ["2026-11-03", "LX-P-001", "1"]]),
                                 TODAY)
    assert str(refused.value.message).startswith("Missing required columns: 数量, 小票号.")


def test_the_same_rows_as_xlsx_import_identically_after_the_batch_is_withdrawn(shop):
    outlet, _apples, _honey, clerk = shop
    first = importing.import_upload(outlet, excel_csv(rows("LX-P-001")), "a.csv", clerk, NOW)
    as_csv = db.session.execute(sa.select(OfflineSale.receipt_no, OfflineSale.sale_date, OfflineSale.product_id,
                                          OfflineSale.quantity, OfflineSale.amount_fen, OfflineSale.payment_method,
                                          OfflineSale.note).order_by(OfflineSale.receipt_no)).all()
    importing.withdraw_batch(first, clerk, NOW)
    assert first.withdrawn_at == NOW and first.withdrawn_by_id == clerk.id
    assert db.session.scalar(sa.select(sa.func.count()).select_from(OfflineSale)) == 0
    sheet = [HEADER, [date(2026, 11, 3), "LX-P-001", 2, 45.5, "XP-001", "现金", None, "王"],
             [date(2026, 11, 3), "LX-P-001", 1.0, 88, "XP-002", "微信", "=备注", "王"],
             [date(2026, 11, 4), "LX-P-001", 3, 1200, "XP-003", "银行卡", None, "李"]]
    second = importing.import_upload(outlet, xlsx_bytes(sheet), "a.xlsx", clerk, NOW)
    as_xlsx = db.session.execute(sa.select(OfflineSale.receipt_no, OfflineSale.sale_date, OfflineSale.product_id,
                                           OfflineSale.quantity, OfflineSale.amount_fen, OfflineSale.payment_method,
                                           OfflineSale.note).order_by(OfflineSale.receipt_no)).all()
    assert as_xlsx == as_csv
    assert (second.row_count, second.total_fen) == (first.row_count, first.total_fen)
    listed = importing.outlet_batches(outlet)
    assert [(b.batch.id, b.states, b.withdrawable) for b in listed] == [
        (second.id, {"unverified": 3}, True), (first.id, {}, False)]


def test_a_batch_with_a_checked_line_cannot_be_withdrawn(shop):
    outlet, _apples, _honey, clerk = shop
    batch = importing.import_upload(outlet, excel_csv(rows("LX-P-001")), "a.csv", clerk, NOW)
    db.session.execute(sa.update(OfflineSale).where(OfflineSale.receipt_no == "XP-002").values(state="verified"))
    with pytest.raises(ServiceError, match="all unverified"):
        importing.withdraw_batch(batch, clerk, NOW)
    assert db.session.scalar(sa.select(sa.func.count()).select_from(OfflineSale)) == 3
    assert importing.outlet_batches(outlet)[0].withdrawable is False
    other = OutletFactory()
    db.session.flush()
    assert importing.outlet_batch(other, batch.id) is None
    assert importing.outlet_batch(outlet, batch.id) is batch


def test_a_withdrawn_batch_cannot_be_withdrawn_again(shop):
    outlet, _apples, _honey, clerk = shop
    batch = importing.import_upload(outlet, excel_csv(rows("LX-P-001")), "a.csv", clerk, NOW)
    importing.withdraw_batch(batch, clerk, NOW)
    with pytest.raises(ServiceError, match="already been withdrawn"):
        importing.withdraw_batch(batch, clerk, NOW)


@pytest.mark.parametrize("write", [export.csv_bytes, export.xlsx_bytes])
def test_the_template_is_the_header_only_and_cannot_import_a_sale(shop, write):
    header, example = importing.template()
    assert header == ["日期", "商品编码", "数量", "金额", "小票号", "付款方式", "备注"] and example == []
    with pytest.raises(SpreadsheetRefused, match="no rows of data"):
        importing.preview_upload(shop[0], write(header, example), TODAY)


def test_withdrawing_a_batch_clears_the_signal_its_receipt_raised_at_another_outlet(shop):
    outlet, apples, _honey, clerk = shop
    elsewhere = OutletFactory()
    db.session.flush()
    (theirs,) = record_lines(elsewhere, [SaleInput(date(2026, 11, 3), apples.id, 1, 4550, receipt_no="XP-001")],
                             clerk, NOW)
    batch = importing.import_upload(outlet, excel_csv(rows("LX-P-001")), "a.csv", clerk, NOW)
    kinds = sa.select(OfflineSaleRisk.kind).where(OfflineSaleRisk.sale_id == theirs)
    assert list(db.session.scalars(kinds)) == [RiskKind.RECEIPT_ELSEWHERE]
    importing.withdraw_batch(batch, clerk, NOW)
    assert list(db.session.scalars(kinds)) == []
