"""Admins see failed and retrying mail at /admin/mail and send a failed one again; nobody else can."""

from __future__ import annotations

from datetime import timedelta
from pathlib import Path

import pytest
import sqlalchemy as sa

from market.extensions import db
from market.models import OutgoingMail
from market.models.base import utcnow
from tests.conftest import csrf_token
from tests.factories import PASSWORD, UserFactory


def mails() -> tuple[OutgoingMail, OutgoingMail]:
    """A failed mail and one waiting for its third attempt, committed."""
    failed = OutgoingMail(kind="order.ready", recipient="buyer@example.com", subject="订单可以取货了",
                          body="取货码 123456", status="failed", attempts=6,
                          last_error="SMTPRecipientsRefused: mailbox unavailable")
    retrying = OutgoingMail(kind="order.new", recipient="clerk@example.com", subject="New order", body="...",
                            status="pending", attempts=2, next_attempt_at=utcnow() + timedelta(minutes=5),
                            last_error="ConnectionRefusedError: [Errno 111] Connection refused")
    db.session.add_all([failed, retrying])
    db.session.commit()
    return failed, retrying


def test_an_admin_sees_the_counts_and_the_failed_and_retrying_mails_with_their_errors(client, auth, app):
    UserFactory(email="admin@example.com", roles_given=("admin",))
    mails()
    db.session.add(OutgoingMail(kind="x", recipient="sent@example.com", subject="done", body="", status="sent",
                                attempts=1))
    db.session.commit()
    auth.login("admin@example.com", PASSWORD)
    assert 'href="/admin/mail"' in client.get("/admin/").get_data(as_text=True)
    page = client.get("/admin/mail").get_data(as_text=True)
    assert "SMTPRecipientsRefused: mailbox unavailable" in page and "ConnectionRefusedError" in page
    assert "buyer@example.com" in page and "clerk@example.com" in page
    assert "sent@example.com" not in page  # sent mail is counted, not listed
    assert page.count('action="/admin/mail/') == 1  # only the failed one has a retry button


def test_an_admin_sends_a_failed_mail_again_now(client, auth, app):
    UserFactory(email="admin@example.com", roles_given=("admin",), locale="en")
    failed, retrying = mails()
    auth.login("admin@example.com", PASSWORD)
    folder = Path(app.config["MARKET_OUTBOX"])
    before = set(folder.glob("*.eml")) if folder.exists() else set()
    token = csrf_token(client, "/admin/mail")
    response = client.post(f"/admin/mail/{failed.id}/retry", data={"csrf_token": token}, follow_redirects=True)
    assert response.status_code == 200 and "buyer@example.com" in response.get_data(as_text=True)
    db.session.rollback()
    assert db.session.get(OutgoingMail, failed.id).status == "sent"
    assert [p.read_text().count("123456") for p in set(folder.glob("*.eml")) - before] == [1]
    # A mail that has not failed cannot be pushed, and an unknown one is not found.
    again = client.post(f"/admin/mail/{retrying.id}/retry", data={"csrf_token": token}, follow_redirects=True)
    assert "Only a failed mail can be sent again." in again.get_data(as_text=True)
    assert client.post("/admin/mail/999999/retry", data={"csrf_token": token}).status_code == 404
    db.session.rollback()
    assert db.session.get(OutgoingMail, retrying.id).attempts == 2


def test_a_retry_needs_a_csrf_token(client, auth, app):
    UserFactory(email="admin@example.com", roles_given=("admin",))
    failed, _retrying = mails()
    auth.login("admin@example.com", PASSWORD)
    assert client.post(f"/admin/mail/{failed.id}/retry").status_code == 400
    db.session.rollback()
    assert db.session.get(OutgoingMail, failed.id).status == "failed"


@pytest.mark.parametrize("roles", [("consumer",), ("outlet_staff",), ("county_staff",)])
def test_nobody_but_an_admin_sees_or_retries_mail(client, auth, app, roles):
    UserFactory(email="someone@example.com", roles_given=roles)
    failed, _retrying = mails()
    auth.login("someone@example.com", PASSWORD)
    assert client.get("/admin/mail").status_code == 403
    token = csrf_token(client, "/account/")
    assert client.post(f"/admin/mail/{failed.id}/retry", data={"csrf_token": token}).status_code == 403
    db.session.rollback()
    assert db.session.get(OutgoingMail, failed.id).status == "failed"


def test_a_visitor_is_sent_to_the_login_page(client, app):
    assert client.get("/admin/mail").status_code == 302
    assert db.session.scalar(sa.select(sa.func.count(OutgoingMail.id))) == 0
