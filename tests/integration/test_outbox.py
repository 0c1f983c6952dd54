"""The transactional outbox on committed data: a rolled-back change mails nobody, a committed one is sent right
after its commit, failures are retried with backoff and end failed, stale claims are taken over."""

from __future__ import annotations

import socket
from datetime import timedelta
from email import message_from_bytes
from pathlib import Path

import pytest
import sqlalchemy as sa

from market.cli import main
from market.domain.mail_flow import BACKOFF, MAX_ATTEMPTS, STALE_CLAIM
from market.extensions import db
from market.models import OutgoingMail
from market.models.base import utcnow
from market.services.accounts import outbox
from tests.factories import UserFactory


def emls(app) -> set[Path]:
    folder = Path(app.config["MARKET_OUTBOX"])
    return set(folder.glob("*.eml")) if folder.exists() else set()


def rows() -> list[OutgoingMail]:
    db.session.rollback()  # a fresh transaction: see what the senders committed
    return list(db.session.scalars(sa.select(OutgoingMail).order_by(OutgoingMail.id)))


def closed_port() -> int:
    """A loopback port nobody listens on (bound, then released): connecting is refused at once."""
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.fixture
def smtp_down(app, monkeypatch):
    monkeypatch.setitem(app.config, "MARKET_MAIL_URL", f"smtp://127.0.0.1:{closed_port()}")


def test_a_rolled_back_change_leaves_no_row_and_sends_nothing(app):
    user = UserFactory(email="buyer@example.com")
    before = emls(app)
    outbox.queue_to(user, "test.rolled_back", lambda: ("subject", "body ROLLED-BACK"))
    db.session.flush()
    assert db.session.scalar(sa.select(sa.func.count(OutgoingMail.id))) == 1  # written with the change
    db.session.rollback()
    db.session.commit()  # a later commit of the same session sends nothing forgotten
    assert rows() == [] and emls(app) == before


def test_a_committed_change_leaves_a_row_that_is_sent_after_the_commit(app):
    user = UserFactory(email="buyer@example.com", name="王")
    before = emls(app)
    user.name = "王芳"  # the change that causes the mail, in the same transaction
    row = outbox.queue_to(user, "test.committed", lambda: ("Name changed", "Your name is now 王芳 COMMITTED"))
    db.session.commit()
    (mail,) = rows()
    assert mail.id == row.id and (mail.status, mail.attempts, mail.kind) == ("sent", 1, "test.committed")
    assert mail.sent_at is not None and mail.body == ""  # the body (links, tokens) is erased once sent
    (written,) = emls(app) - before
    message = message_from_bytes(written.read_bytes())
    assert message["To"] == "buyer@example.com" and message["Subject"] == "Name changed"
    assert "COMMITTED" in message.get_payload(decode=True).decode()
    assert message["Message-ID"].startswith(f"<outbox-{mail.id}.")


def test_an_smtp_failure_is_retried_with_backoff_and_finally_failed(app, smtp_down):
    user = UserFactory()
    outbox.queue_to(user, "test.smtp", lambda: ("subject", "body"))
    db.session.commit()  # the first attempt, right after the commit, is refused
    (mail,) = rows()
    assert (mail.status, mail.attempts) == ("pending", 1)
    assert "ConnectionRefusedError" in mail.last_error
    waits = [mail.next_attempt_at - mail.claimed_at]
    assert outbox.send_due(mail.claimed_at + timedelta(seconds=59)) == outbox.SendReport(left=1)  # not due yet
    for attempt in range(2, MAX_ATTEMPTS + 1):
        report = outbox.send_due(mail.next_attempt_at)
        (mail,) = rows()
        assert mail.attempts == attempt
        if attempt < MAX_ATTEMPTS:
            assert report == outbox.SendReport(retrying=1, left=1) and mail.status == "pending"
            waits.append(mail.next_attempt_at - mail.claimed_at)
    assert waits == list(BACKOFF)
    assert report == outbox.SendReport(failed=1) and mail.status == "failed" and mail.body == "body"
    assert outbox.send_due(mail.claimed_at + timedelta(days=1)) == outbox.SendReport()  # failed waits for an admin


def test_a_claim_made_late_in_a_long_run_is_not_taken_for_stale_by_the_next_run(app, monkeypatch):
    started = utcnow() - timedelta(minutes=11)  # a run that has been sending for 11 minutes (a slow server)
    mail = OutgoingMail(kind="test.long", recipient="a@example.com", subject="long", body="once",
                        next_attempt_at=started)
    db.session.add(mail)
    db.session.commit()
    next_runs = []

    def slow_transport(*args, **kwargs):  # type: ignore[no-untyped-def]
        next_runs.append(outbox.send_due(utcnow()))  # cron starts the next run while this one is sending

    monkeypatch.setattr(outbox.mail, "send", slow_transport)
    assert outbox.send_one(mail.id, started, db.session.session_factory) == "sent"
    assert next_runs == [outbox.SendReport(left=1)]  # it saw the claim as live and left the mail alone


def test_an_admin_retry_sends_a_failed_mail_again_once_the_server_is_back(app, monkeypatch):
    before = emls(app)
    mail = OutgoingMail(kind="test.retry", recipient="a@example.com", subject="again", body="RETRIED",
                        status="failed", attempts=MAX_ATTEMPTS, last_error="SMTPServerDisconnected")
    db.session.add(mail)
    db.session.commit()
    outbox.retry_now(mail.id, utcnow())
    db.session.commit()
    (mail,) = rows()
    assert (mail.status, mail.attempts) == ("sent", 1)
    assert len(emls(app) - before) == 1


def test_only_a_failed_mail_can_be_retried(app):
    mail = OutgoingMail(kind="test", recipient="a@example.com", subject="s", body="b")
    db.session.add(mail)
    db.session.commit()
    from market.services.errors import ServiceError

    with pytest.raises(ServiceError):
        outbox.retry_now(mail.id, utcnow())
    with pytest.raises(LookupError):
        outbox.retry_now(mail.id + 1, utcnow())


def test_a_stale_claim_is_sent_again_and_its_dead_sender_cannot_overwrite_the_outcome(app):
    now = utcnow()
    before = emls(app)
    stale = OutgoingMail(kind="test", recipient="a@example.com", subject="stale", body="STALE", status="sending",
                         attempts=1, claimed_at=now - STALE_CLAIM - timedelta(seconds=1))
    fresh = OutgoingMail(kind="test", recipient="a@example.com", subject="fresh", body="FRESH", status="sending",
                         attempts=1, claimed_at=now - timedelta(minutes=1))
    last = OutgoingMail(kind="test", recipient="a@example.com", subject="last", body="LAST", status="sending",
                        attempts=MAX_ATTEMPTS, claimed_at=now - STALE_CLAIM - timedelta(seconds=1))
    db.session.add_all([stale, fresh, last])
    db.session.commit()
    assert outbox.send_due(now) == outbox.SendReport(sent=1, failed=1, left=1)
    stale, fresh, last = rows()
    assert (stale.status, stale.attempts) == ("sent", 2)
    assert fresh.status == "sending"  # a live sender's claim is left alone
    assert last.status == "failed" and "stopped" in last.last_error  # its last attempt died with its sender
    assert [p.read_bytes().count(b"Subject: stale") for p in emls(app) - before] == [1]
    # The sender that claimed attempt 1 wakes up: it cannot mark anything.
    assert outbox._finish(stale.id, 1, outbox.MailAction.RETRY_LATER, db.session.session_factory) is None
    assert rows()[0].status == "sent"


def test_market_mail_send_sends_what_is_due_and_reports(app, runner):
    before = emls(app)
    now = utcnow()
    db.session.add_all([
        OutgoingMail(kind="test", recipient="a@example.com", subject="due 1", body="1"),
        OutgoingMail(kind="test", recipient="b@example.com", subject="due 2", body="2"),
        OutgoingMail(kind="test", recipient="c@example.com", subject="later", body="3", attempts=1,
                     next_attempt_at=now + timedelta(minutes=5)),
    ])
    db.session.commit()
    result = runner.invoke(main, ["mail", "send", "--limit", "1"])
    assert result.exit_code == 0, result.output
    assert result.output.strip() == "Sent 1, retrying later 0, failed 0; 2 waiting."
    result = runner.invoke(main, ["mail", "send"])
    assert result.output.strip() == "Sent 1, retrying later 0, failed 0; 1 waiting."
    assert len(emls(app) - before) == 2
    assert [m.status for m in rows()] == ["sent", "sent", "pending"]


def test_each_mail_is_composed_in_its_recipients_language_whatever_the_current_one(app):
    from flask_babel import force_locale, gettext

    chinese, english = UserFactory(locale="zh"), UserFactory(locale="en")
    with force_locale("en"):  # the acting user's page is in English
        for user in (chinese, english):
            outbox.queue_to(user, "test.locale", lambda: (gettext("Reset your password — Long County market"), ""))
    db.session.flush()
    subjects = {m.recipient: m.subject for m in db.session.scalars(sa.select(OutgoingMail))}
    assert subjects == {chinese.email: "重置密码 — 陇县消费帮扶商城",
                        english.email: "Reset your password — Long County market"}
    db.session.rollback()
