"""Counter sales in the outlet portal, used as outlet staff would: record a sale by hand with a receipt photo,
find it in the list with its filters and totals, change or delete it while the county has not decided, read
the county's reason and correct or withdraw a rejected line, download the lines as CSV and XLSX, and see this
month's figures on the landing page; another outlet's staff and a consumer reach none of it."""

from __future__ import annotations

import io
import re
import zipfile
from datetime import date, timedelta

import pytest
import sqlalchemy as sa

from market import clock
from market.extensions import db
from market.models import OfflineSale, OfflineSaleBatch, OutletMembership
from market.services.spreadsheets import xlsx
from tests.conftest import AuthActions, csrf_token
from tests.factories import PASSWORD, ListingFactory, OfflineSaleFactory, OutletFactory, ProductFactory, UserFactory
from tests.images import photo

NEW = "/outlet/LX-O-001/sales/new"


@pytest.fixture
def shop(client, auth):
    """LX-O-001 listing one product, its logged-in clerk; LX-O-002 with its own clerk, line and batch."""
    outlet = OutletFactory(code="LX-O-001", name="陇州苹果专柜")
    listing = ListingFactory(outlet=outlet, product=ProductFactory(sku="LZ-APPLE-5", name_zh="陇州苹果 5kg"))
    other = OutletFactory(code="LX-O-002", name="蜂蜜专柜")
    clerk = UserFactory(email="outlet@example.com", roles_given=("outlet_staff",))
    their_clerk = UserFactory(email="outlet2@example.com", roles_given=("outlet_staff",))
    db.session.add_all([OutletMembership(user_id=clerk.id, outlet_id=outlet.id, is_owner=True),
                        OutletMembership(user_id=their_clerk.id, outlet_id=other.id, is_owner=True)])
    their_batch = OfflineSaleBatch(outlet=other, file_name="2.csv", row_count=1, total_fen=500)
    db.session.add(their_batch)
    db.session.flush()
    theirs = OfflineSaleFactory(outlet=other, product=listing.product, receipt_no="THEIRS-1", batch_id=their_batch.id,
                                sale_date=clock.today())
    db.session.commit()
    assert auth.login("outlet@example.com", PASSWORD).status_code == 302
    return {"outlet": outlet, "product": listing.product, "other": other, "theirs": theirs, "batch": their_batch}


def record(client, **changes: object):
    data = {"sale_date": clock.today().isoformat(), "product_id": "", "quantity": "2", "amount": "¥136.50",
            "payment_method": "wechat", "receipt_no": "XP-0001", "note": "散客", "csrf_token": csrf_token(client, NEW)}
    data.update(changes)  # type: ignore[arg-type]
    return client.post(NEW, data=data, content_type="multipart/form-data")


def only_line() -> OfflineSale:
    db.session.expire_all()
    return db.session.scalars(sa.select(OfflineSale).where(OfflineSale.receipt_no != "THEIRS-1")).one()


def test_the_form_offers_todays_date_and_the_outlets_products_first(client, shop):
    ProductFactory(sku="ZZ-OTHER", name_zh="花椒")
    page = client.get(NEW).get_data(as_text=True)
    assert f'value="{clock.today().isoformat()}"' in page and 'type="date"' in page
    assert page.index("陇州苹果 5kg") < page.index("花椒") and 'capture="environment"' in page
    # an option begins with the product code, so typing the code reaches it; phones get the right keypads
    assert re.search(r'<option value="\d+">LZ-APPLE-5 · 陇州苹果 5kg</option>', page)
    assert re.search(r'<input[^>]*id="quantity"[^>]*inputmode="numeric"|<input[^>]*inputmode="numeric"[^>]*'
                     r'id="quantity"', page)
    assert re.search(r'<input[^>]*id="amount"[^>]*inputmode="decimal"|<input[^>]*inputmode="decimal"[^>]*'
                     r'id="amount"', page)


@pytest.mark.parametrize("quantity", ["-1", "9" * 20, "1000001", "0"])
def test_a_quantity_out_of_range_gets_the_range_message_not_whole_numbers_only(client, shop, quantity):
    sent = record(client, product_id=str(shop["product"].id), quantity=quantity)
    html = sent.get_data(as_text=True)
    error = re.search(r'<p class="error" id="quantity-error">(.*?)</p>', html)
    assert sent.status_code == 422 and error and "1000000" in error.group(1) and "20" not in error.group(1)
    assert f'value="{quantity}"' in html  # shown again as typed


def test_a_clerk_records_a_sale_with_a_receipt_photo_and_finds_it_in_the_list(client, shop):
    sent = record(client, product_id=str(shop["product"].id), photo=(io.BytesIO(photo()), "receipt.jpg"))
    assert sent.status_code == 302 and sent.headers["Location"].endswith(NEW)
    sale = only_line()
    assert (sale.amount_fen, sale.quantity, sale.payment_method, sale.state) == (13650, 2, "wechat", "unverified")
    assert sale.photo_key.startswith("receipts/") and sale.photo_hash
    listed = client.get("/outlet/sales").get_data(as_text=True)
    assert "XP-0001" in listed and "¥136.50" in listed and "THEIRS-1" not in listed
    picture = client.get(f"/outlet/LX-O-001/sales/{sale.id}/receipt")
    assert picture.status_code == 200 and picture.mimetype == "image/jpeg"
    assert picture.headers["Cache-Control"] == "private, no-store"
    picture.close()
    thumb = client.get(f"/outlet/LX-O-001/sales/{sale.id}/receipt/thumb")
    assert thumb.status_code == 200
    thumb.close()
    assert client.get(f"/media/{sale.photo_key}").status_code == 404  # never through the public route


@pytest.mark.parametrize(("changes", "field"), [
    ({"amount": "12,5"}, "amount"), ({"amount": "-3"}, "amount"), ({"amount": "0"}, "amount"),
    ({"quantity": "0"}, "quantity"), ({"quantity": "1.5"}, "quantity"), ({"receipt_no": ""}, "receipt_no"),
    ({"sale_date": "2999-01-01"}, "sale_date"), ({"sale_date": "yesterday"}, "sale_date"),
    ({"product_id": "999999"}, "product_id"), ({"payment_method": "gold"}, "payment_method"),
    ({"product_id": "9" * 21}, "product_id"), ({"product_id": str(2**31)}, "product_id"),
])
def test_a_refused_sale_is_shown_again_with_the_message_at_its_field(client, shop, changes, field):
    sent = record(client, **{"product_id": str(shop["product"].id), **changes})
    assert sent.status_code == 422
    assert f'id="{field}-error"' in sent.get_data(as_text=True)
    assert db.session.scalar(sa.select(sa.func.count(OfflineSale.id))) == 1  # only the other outlet's


def test_a_receipt_number_is_taken_once_per_outlet_and_a_bad_photo_refuses_the_sale(client, shop):
    pid = str(shop["product"].id)
    assert record(client, product_id=pid, receipt_no="THEIRS-1").status_code == 302  # another outlet's number
    again = record(client, product_id=pid, receipt_no="THEIRS-1")
    assert again.status_code == 422 and 'id="receipt_no-error"' in again.get_data(as_text=True)
    bad = record(client, product_id=pid, receipt_no="P-2", photo=(io.BytesIO(b"%PDF-1.4"), "r.pdf"))
    assert bad.status_code == 422 and 'id="photo-error"' in bad.get_data(as_text=True)
    assert db.session.scalar(sa.select(sa.func.count(OfflineSale.id))) == 2


def test_an_unverified_line_is_edited_and_deleted(client, shop):
    record(client, product_id=str(shop["product"].id))
    sale = only_line()
    page = f"/outlet/LX-O-001/sales/{sale.id}"
    shown = client.get(page).get_data(as_text=True)
    assert 'value="136.50"' in shown and f'action="{page}/delete"' in shown and "/withdraw" not in shown
    # deleting takes a second, deliberate tap: the button sits in a disclosure that says what it does
    assert re.search(r'<details class="panel confirm">\s*<summary>[^<]+</summary>\s*<p>[^<]*'
                     r'XP-0001[^<]*¥136.50[^<]*</p>\s*<form method="post" action="' + re.escape(page)
                     + r'/delete">', shown)
    assert f"· {sale.entered_by.name}" in shown and "· outlet@example.com" not in shown  # who entered it, by name
    data = {"sale_date": sale.sale_date.isoformat(), "product_id": str(sale.product_id), "quantity": "3",
            "amount": "200", "payment_method": "cash", "receipt_no": "XP-0001", "note": "",
            "csrf_token": csrf_token(client, page)}
    assert client.post(page, data=data).status_code == 302
    assert (only_line().quantity, only_line().amount_fen) == (3, 20000)
    gone = client.post(f"{page}/delete", data={"csrf_token": csrf_token(client, page)})
    assert gone.status_code == 302
    assert db.session.scalar(sa.select(sa.func.count(OfflineSale.id))) == 1


def test_a_rejected_line_shows_the_reason_and_is_corrected_or_withdrawn(client, shop):
    first = OfflineSaleFactory(outlet=shop["outlet"], product=shop["product"], receipt_no="RJ-1", state="rejected",
                               reason="小票金额与申报不符")
    second = OfflineSaleFactory(outlet=shop["outlet"], product=shop["product"], receipt_no="RJ-2", state="rejected",
                                reason="无小票")
    verified = OfflineSaleFactory(outlet=shop["outlet"], product=shop["product"], receipt_no="OK-1",
                                  state="verified")
    db.session.commit()
    assert "小票金额与申报不符" in client.get("/outlet/sales?state=rejected").get_data(as_text=True)
    page = f"/outlet/LX-O-001/sales/{first.id}"
    assert "小票金额与申报不符" in client.get(page).get_data(as_text=True)
    data = {"sale_date": "2026-11-02", "product_id": str(shop["product"].id), "quantity": "1", "amount": "58",
            "payment_method": "cash", "receipt_no": "RJ-1", "note": "", "csrf_token": csrf_token(client, page)}
    assert client.post(page, data=data).status_code == 302
    db.session.expire_all()
    assert (first.state, first.amount_fen) == ("unverified", 5800)
    withdraw = f"/outlet/LX-O-001/sales/{second.id}/withdraw"
    assert client.post(withdraw, data={"csrf_token": csrf_token(client, page)}).status_code == 302
    db.session.expire_all()
    assert second.state == "withdrawn"
    assert first.reason is None and "小票金额与申报不符" not in client.get(page).get_data(as_text=True)
    locked = f"/outlet/LX-O-001/sales/{verified.id}"
    assert 'name="receipt_no"' not in client.get(locked).get_data(as_text=True)
    refused = client.post(locked, data={**data, "receipt_no": "OK-1", "csrf_token": csrf_token(client, page)})
    assert refused.status_code == 422
    assert client.post(f"{locked}/delete", data={"csrf_token": csrf_token(client, page)}).status_code == 302
    db.session.expire_all()
    assert verified.state == "verified" and verified.amount_fen == 6800


def test_a_line_the_county_reopened_shows_why_on_the_list_and_its_page(client, shop):
    reopened = OfflineSaleFactory(outlet=shop["outlet"], product=shop["product"], receipt_no="RO-1",
                                  state="unverified", reason="发票重复")
    db.session.commit()
    for path in ("/outlet/sales", f"/outlet/LX-O-001/sales/{reopened.id}"):
        assert re.search(r'<p class="warn"[^>]*>[^<]*发票重复</p>', client.get(path).get_data(as_text=True)), path


def test_filters_and_totals_by_state(client, shop):
    today = clock.today()
    for n, (state, day) in enumerate([("unverified", today), ("unverified", today - timedelta(days=40)),
                                      ("verified", today), ("rejected", today)]):
        OfflineSaleFactory(outlet=shop["outlet"], product=shop["product"], receipt_no=f"F-{n}", state=state,
                           sale_date=day, amount_fen=1000 * (n + 1))
    db.session.commit()
    page = client.get("/outlet/sales").get_data(as_text=True)
    assert all(f"F-{n}" in page for n in range(4))
    recent = client.get(f"/outlet/sales?from={(today - timedelta(days=7)).isoformat()}&state=unverified")
    text = recent.get_data(as_text=True)
    assert "F-0" in text and "F-1" not in text and "F-2" not in text
    assert "1 · ¥10.00" in text  # the totals follow the filter
    assert "THEIRS-1" not in client.get(f"/outlet/sales?batch={shop['batch'].id}").get_data(as_text=True)
    assert client.get("/outlet/sales?outlet=LX-O-002").status_code == 404
    assert client.get("/outlet/sales?from=not-a-date&page=zz&product=x").status_code == 200


def test_the_list_pages_fifty_lines_at_a_time(client, shop):
    for n in range(51):
        OfflineSaleFactory(outlet=shop["outlet"], product=shop["product"], receipt_no=f"PG-{n:02d}",
                           sale_date=date(2026, 1, 1) + timedelta(days=n))
    db.session.commit()
    first = client.get("/outlet/sales").get_data(as_text=True)
    assert "PG-50" in first and "PG-00" not in first and 'rel="next"' in first
    assert "PG-00" in client.get("/outlet/sales?page=2").get_data(as_text=True)


def test_exports_carry_the_filtered_lines_safely_in_csv_and_xlsx(client, shop):
    OfflineSaleFactory(outlet=shop["outlet"], product=shop["product"], receipt_no="=HYPERLINK(1)", amount_fen=13650,
                       quantity=2, state="verified", sale_date=date(2026, 11, 3))
    OfflineSaleFactory(outlet=shop["outlet"], product=shop["product"], receipt_no="-R-2", state="unverified")
    db.session.commit()
    csv = client.get("/outlet/LX-O-001/sales/export.csv?state=verified")
    assert csv.status_code == 200 and csv.mimetype == "text/csv"
    assert "attachment" in csv.headers["Content-Disposition"]
    body = csv.get_data()
    assert body.startswith(b"\xef\xbb\xbf")
    text = body.decode("utf-8-sig")
    assert "'=HYPERLINK(1)" in text and "136.50" in text and "R-2" not in text and "THEIRS-1" not in text
    book = client.get("/outlet/LX-O-001/sales/export.xlsx")
    assert book.status_code == 200
    rows = [cells for _n, cells in xlsx.iter_rows(book.get_data())]
    assert len(rows) == 3 and {r[2] for r in rows[1:]} == {"=HYPERLINK(1)", "-R-2"}
    assert not any("<f>" in zipfile.ZipFile(io.BytesIO(book.get_data())).read(n).decode()
                   for n in ["xl/worksheets/sheet1.xml"])


def test_the_landing_page_shows_this_months_sales_and_what_waits_for_the_county(client, shop):
    today = clock.today()
    OfflineSaleFactory(outlet=shop["outlet"], product=shop["product"], receipt_no="M-1", amount_fen=12345,
                       sale_date=today)
    OfflineSaleFactory(outlet=shop["outlet"], product=shop["product"], receipt_no="M-2", amount_fen=20000,
                       sale_date=today.replace(day=1) - timedelta(days=1))
    OfflineSaleFactory(outlet=shop["outlet"], product=shop["product"], receipt_no="M-3", amount_fen=1000,
                       sale_date=today, state="verified")
    db.session.commit()
    page = client.get("/outlet/").get_data(as_text=True)
    assert "1 · ¥123.45" in page and "1 · ¥10.00" in page  # this month: one waiting, one verified
    assert re.search(r"2\D+¥323\.45", page)  # waiting for the county, every month


def test_another_outlets_staff_and_a_consumer_reach_nothing(client, shop, app):
    sale = OfflineSaleFactory(outlet=shop["outlet"], product=shop["product"], receipt_no="MINE-1")
    db.session.commit()
    theirs = AuthActions(app.test_client())
    intruder = theirs.client
    assert theirs.login("outlet2@example.com", PASSWORD).status_code == 302
    for path in [f"/outlet/LX-O-001/sales/{sale.id}", f"/outlet/LX-O-001/sales/{sale.id}/receipt",
                 "/outlet/LX-O-001/sales/export.csv", "/outlet/LX-O-001/sales/new", "/outlet/sales?outlet=LX-O-001",
                 f"/outlet/LX-O-002/sales/{sale.id}"]:
        assert intruder.get(path).status_code == 404, path
    assert "MINE-1" not in intruder.get("/outlet/sales").get_data(as_text=True)
    consumer = UserFactory(email="buyer@example.com", roles_given=("consumer",))
    db.session.commit()
    buyer = AuthActions(app.test_client())
    assert buyer.login(consumer.email, PASSWORD).status_code == 302
    for path in ["/outlet/sales", f"/outlet/LX-O-001/sales/{sale.id}/receipt", "/outlet/LX-O-001/sales/export.xlsx"]:
        assert buyer.client.get(path).status_code == 403, path


def statements_for(client, path: str) -> int:
    seen = []
    engine = db.engine

    def count(*_args: object) -> None:
        seen.append(1)

    sa.event.listen(engine, "before_cursor_execute", count)
    try:
        assert client.get(path).status_code == 200
    finally:
        sa.event.remove(engine, "before_cursor_execute", count)
    return len(seen)


def test_the_list_costs_the_same_statements_for_two_lines_as_for_fifty(client, shop):
    products = [shop["product"], ProductFactory(), ProductFactory()]
    for n in range(2):
        OfflineSaleFactory(outlet=shop["outlet"], product=products[n % 3], receipt_no=f"Q-{n}")
    db.session.commit()
    few = statements_for(client, "/outlet/sales")
    for n in range(2, 50):
        OfflineSaleFactory(outlet=shop["outlet"], product=products[n % 3], receipt_no=f"Q-{n}")
    db.session.commit()
    assert statements_for(client, "/outlet/sales") == few
