"""County staff and admins see flagged payments and mark them resolved (audited); nobody else can."""

from __future__ import annotations

import sqlalchemy as sa

from market.extensions import db
from market.models import AuditEvent, PaymentIssue
from tests.conftest import csrf_token
from tests.factories import PASSWORD, UserFactory


def issue() -> PaymentIssue:
    found = PaymentIssue(kind="unknown_refund", detail={"charge": "ch_1", "refunds": [{"amount_fen": 5000}]})
    db.session.add(found)
    db.session.commit()
    return found


def test_county_staff_see_and_resolve_a_flagged_payment(client, auth, app):
    flagged = issue()
    UserFactory(email="county@example.com", roles_given=("county_staff",))
    auth.login("county@example.com", PASSWORD)
    page = client.get("/county/payments").get_data(as_text=True)
    assert "商城外发起的退款" in page and "ch_1" in page
    token = csrf_token(client, "/county/payments")
    assert "请说明处理方式" in client.post(f"/county/payments/{flagged.id}/resolve", data={
        "note": " ", "csrf_token": token}, follow_redirects=True).get_data(as_text=True)
    client.post(f"/county/payments/{flagged.id}/resolve", data={"note": "已与网点核实", "csrf_token": token})
    db.session.rollback()
    resolved = db.session.get(PaymentIssue, flagged.id)
    assert resolved.resolved_at is not None and resolved.resolution_note == "已与网点核实"
    (event,) = db.session.scalars(sa.select(AuditEvent).where(AuditEvent.action == "payment_issue.resolve")).all()
    assert event.after == {"resolved": True, "note": "已与网点核实"}
    again = client.post(f"/county/payments/{flagged.id}/resolve", data={"note": "x", "csrf_token": token},
                        follow_redirects=True)
    assert "该问题已处理" in again.get_data(as_text=True)


def test_the_county_landing_page_counts_open_issues(client, auth, app):
    issue()
    UserFactory(email="admin@example.com", roles_given=("admin",))
    auth.login("admin@example.com", PASSWORD)
    assert "异常支付" in client.get("/county/").get_data(as_text=True)
    assert client.get("/county/payments").status_code == 200


def test_others_cannot_see_or_resolve_flagged_payments(client, auth, app):
    flagged = issue()
    UserFactory(email="staff@example.com", roles_given=("outlet_staff",))
    auth.login("staff@example.com", PASSWORD)
    assert client.get("/county/payments").status_code == 403
    token = csrf_token(client, "/account/")
    response = client.post(f"/county/payments/{flagged.id}/resolve", data={"note": "x", "csrf_token": token})
    assert response.status_code == 403
    db.session.rollback()
    assert db.session.get(PaymentIssue, flagged.id).resolved_at is None


def test_the_webhook_is_closed_when_stripe_is_not_configured(client, app):
    assert client.post("/webhooks/stripe", data=b"{}", content_type="application/json").status_code == 404
