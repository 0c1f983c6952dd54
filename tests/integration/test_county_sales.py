"""The county's verification queue in the browser's terms: county staff only, filters, bulk decisions with a
reason, reopening, samples marked in the list, risk signals explained, receipt photos for county staff only."""

from __future__ import annotations

from datetime import date

import pytest
import sqlalchemy as sa
from flask import Flask

from market import storage
from market.domain.offline_sale import RiskKind, SaleState
from market.extensions import db
from market.models import AuditEvent, OfflineSale, OfflineSaleRisk, OfflineSaleSample, OutletMembership
from tests.conftest import csrf_token
from tests.factories import PASSWORD, OfflineSaleFactory, OutletFactory, UserFactory
from tests.images import photo


@pytest.fixture
def uploads(app: Flask, tmp_path):
    """An uploads folder of this test's own."""
    app.config["MARKET_UPLOADS"] = str(tmp_path)
    yield tmp_path
    app.config.pop("MARKET_UPLOADS")


def login_county(auth) -> None:
    UserFactory(email="county@example.com", roles_given=("county_staff",), locale="en")
    auth.login("county@example.com", PASSWORD)


def page(client, path: str) -> str:
    response = client.get(path, headers={"Accept-Language": "en"})
    assert response.status_code == 200, path
    return response.get_data(as_text=True)


def state_of(sale_id: int) -> tuple[str, str | None]:
    db.session.rollback()
    sale = db.session.get(OfflineSale, sale_id)
    return sale.state, sale.reason


def test_only_county_staff_see_the_queue(client, auth, app) -> None:
    outlet = OutletFactory()
    line = OfflineSaleFactory(outlet=outlet)
    assert client.get("/county/sales").status_code == 302  # anonymous: to the login page
    for roles in (("consumer",), ("outlet_staff",)):
        user = UserFactory(roles_given=roles)
        if "outlet_staff" in roles:  # even the outlet's own staff
            db.session.add(OutletMembership(user=user, outlet=outlet))
            db.session.commit()
        auth.login(user.email, PASSWORD)
        assert client.get("/county/sales").status_code == 403
        assert client.get("/county/sales/samples").status_code == 403
        token = csrf_token(client, "/account/")
        assert client.post("/county/sales/decide", data={"action": "verify", "sale_ids": [line.id],
                                                         "csrf_token": token}).status_code == 403
        assert client.post("/county/sales/sample", data={"size": "1", "csrf_token": token}).status_code == 403
        auth.logout()
    assert state_of(line.id) == (SaleState.UNVERIFIED, None)


def test_filters_totals_and_explained_signals(client, auth, app) -> None:
    login_county(auth)
    here, there = OutletFactory(), OutletFactory()
    OfflineSaleFactory(outlet=here, sale_date=date(2026, 10, 5), amount_fen=12345, receipt_no="RCPT-ALPHA")
    b = OfflineSaleFactory(outlet=there, sale_date=date(2026, 11, 5), amount_fen=500, receipt_no="RCPT-BRAVO")
    db.session.add(OfflineSaleRisk(sale_id=b.id, kind=RiskKind.MATCHES_ORDER, detail={"order": "LX-9"}))
    db.session.commit()
    everything = page(client, "/county/sales")
    assert "RCPT-ALPHA" in everything and "RCPT-BRAVO" in everything and "¥128.45" in everything
    assert "pickup order LX-9" in everything
    mine = page(client, f"/county/sales?outlet={here.code}&from=2026-10-01&to=2026-10-31&state=unverified")
    assert "RCPT-ALPHA" in mine and "RCPT-BRAVO" not in mine and "¥123.45" in mine
    risky = page(client, "/county/sales?risk=yes")
    assert "RCPT-BRAVO" in risky and "RCPT-ALPHA" not in risky
    assert "RCPT-ALPHA" not in page(client, "/county/sales?min=1.00&max=5.00")
    confused = page(client, "/county/sales?from=yesterday&min=abc&max=-5&town=x&photo=maybe&risk=1")
    assert "Not a date" in confused and "Not an amount in yuan: abc" in confused and "RCPT-ALPHA" in confused
    assert "Not an amount in yuan: -5" in confused
    assert "Not yes or no: maybe" in confused and "Not yes or no: 1" in confused  # not silently ignored


def test_bulk_verify_and_reject_with_a_reason(client, auth, app) -> None:
    login_county(auth)
    lines = [OfflineSaleFactory() for _ in range(3)]
    token = csrf_token(client, "/county/sales")
    refused = client.post("/county/sales/decide", data={"action": "reject", "sale_ids": [lines[0].id],
                                                        "reason": " ", "csrf_token": token}, follow_redirects=True)
    assert "Give a reason" in refused.get_data(as_text=True)
    assert state_of(lines[0].id) == (SaleState.UNVERIFIED, None)
    two = client.post("/county/sales/decide", data={"action": "verify", "sale_ids": [lines[0].id, lines[1].id],
                                                    "csrf_token": token}, follow_redirects=True)
    assert "2 lines verified." in two.get_data(as_text=True)
    one = client.post("/county/sales/decide", data={"action": "reject", "sale_ids": [lines[2].id],
                                                    "reason": "小票不清", "csrf_token": token}, follow_redirects=True)
    assert "1 line rejected." in one.get_data(as_text=True)
    assert [state_of(s.id) for s in lines] == [("verified", None), ("verified", None), ("rejected", "小票不清")]
    events = db.session.scalars(sa.select(AuditEvent.action).where(AuditEvent.object_type == "offline_sales"))
    assert sorted(events) == ["offline_sale.reject", "offline_sale.verify", "offline_sale.verify"]
    assert client.post("/county/sales/decide", data={"action": "delete", "sale_ids": [lines[0].id],
                                                     "csrf_token": token}).status_code == 400


def test_a_too_long_reject_reason_is_told_at_its_field_keeping_the_ticked_lines(client, auth, app) -> None:
    login_county(auth)
    lines = [OfflineSaleFactory() for _ in range(2)]
    token = csrf_token(client, "/county/sales")
    refused = client.post("/county/sales/decide", data={
        "action": "reject", "sale_ids": [lines[0].id], "reason": "理" * 5000, "csrf_token": token,
        "back": "/county/sales?state=unverified"}, headers={"Accept-Language": "en"})
    html = refused.get_data(as_text=True)
    assert refused.status_code == 422
    assert '<p class="error" id="reason-error" role="alert">Use at most 200 characters.</p>' in html
    assert f'value="{lines[0].id}" id="pick-{lines[0].id}" checked' in html
    assert f'value="{lines[1].id}" id="pick-{lines[1].id}" aria-label' in html  # not ticked
    assert 'name="back" value="/county/sales?state=unverified"' in html
    assert [state_of(s.id) for s in lines] == [("unverified", None)] * 2


def test_one_lines_own_button_verifies_only_that_line(client, auth, app) -> None:
    login_county(auth)
    one, other = OfflineSaleFactory(), OfflineSaleFactory()
    token = csrf_token(client, "/county/sales")
    client.post("/county/sales/decide", data={"verify_one": one.id, "sale_ids": [other.id], "csrf_token": token})
    assert state_of(one.id)[0] == "verified" and state_of(other.id)[0] == "unverified"


def test_reopen_a_verified_line_with_a_reason(client, auth, app) -> None:
    login_county(auth)
    line = OfflineSaleFactory(state=SaleState.VERIFIED)
    assert "Reopen" in page(client, "/county/sales")
    token = csrf_token(client, f"/county/sales/{line.id}/reopen")
    client.post(f"/county/sales/{line.id}/reopen", data={"reason": "", "csrf_token": token})
    assert state_of(line.id) == ("verified", None)
    client.post(f"/county/sales/{line.id}/reopen", data={"reason": "发票重复", "csrf_token": token})
    assert state_of(line.id) == ("unverified", "发票重复")
    assert "Reopened: 发票重复" in page(client, "/county/sales")  # not a bare reason under "waiting"
    assert client.get("/county/sales/999999/reopen").status_code == 404


def test_a_sample_is_drawn_marked_and_listed(client, auth, app) -> None:
    login_county(auth)
    outlet = OutletFactory()
    lines = [OfflineSaleFactory(outlet=outlet) for _ in range(12)]
    OfflineSaleFactory()
    token = csrf_token(client, "/county/sales")
    drawn = client.post("/county/sales/sample", data={"outlet": outlet.code, "size": "10", "unit": "percent",
                                                      "csrf_token": token})
    sample = db.session.scalars(sa.select(OfflineSaleSample)).one()
    assert drawn.headers["Location"].endswith(f"/county/sales?sample={sample.id}")
    assert (sample.size, sample.population, sample.criteria) == (2, 12, {"outlet_code": outlet.code})
    marked = page(client, f"/county/sales?sample={sample.id}")
    assert marked.count("sample-mark") == 2
    assert page(client, "/county/sales").count("sample-mark") == 2
    assert sample.seed in page(client, "/county/sales/samples")
    nothing = client.post("/county/sales/sample", data={"outlet": "NONE", "size": "1", "unit": "lines",
                                                        "csrf_token": token}, follow_redirects=True)
    assert "nothing to draw from" in nothing.get_data(as_text=True) and lines
    bogus = client.post("/county/sales/sample", data={"outlet": outlet.code, "size": "1", "unit": "bogus",
                                                      "csrf_token": token}, follow_redirects=True)
    assert "Count the sample in percent or in lines." in bogus.get_data(as_text=True)
    assert db.session.scalar(sa.select(sa.func.count(OfflineSaleSample.id))) == 1  # nothing drawn


def test_receipt_photos_only_through_the_county_route(client, auth, app, uploads) -> None:
    key = storage.put(photo(), folder="receipts", suffix=".jpg")
    line = OfflineSaleFactory(photo_key=key)
    bare = OfflineSaleFactory()
    outsider = UserFactory(roles_given=("outlet_staff",))
    auth.login(outsider.email, PASSWORD)
    assert client.get(f"/county/sales/{line.id}/receipt").status_code == 403
    assert client.get(f"/media/{key}").status_code == 404  # never through the public media route
    auth.logout()
    login_county(auth)
    response = client.get(f"/county/sales/{line.id}/receipt")
    response.close()
    assert response.status_code == 200 and response.mimetype == "image/jpeg"
    assert "no-store" in response.headers["Cache-Control"]
    assert client.get(f"/county/sales/{bare.id}/receipt").status_code == 404
    assert f"/county/sales/{line.id}/receipt" in page(client, "/county/sales")
