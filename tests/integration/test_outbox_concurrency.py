"""Two `market mail send` runs at once, each with its own sessions and connections, on committed mail: every
message is written exactly once (the claim is a conditional UPDATE whose row count is checked)."""

from __future__ import annotations

import email
import email.policy
from pathlib import Path

import sqlalchemy as sa

from market.domain.order_flow import Action
from market.extensions import db
from market.models import OutgoingMail
from market.models.base import utcnow
from market.services.accounts import outbox
from market.services.ordering import order_mail
from tests.concurrency import all_at_once
from tests.integration.test_outbox import closed_port
from tests.services.ordering_setup import place

MAILS = 40
SENDERS = 2


def test_two_senders_at_once_write_exactly_one_eml_per_message(app):
    folder = Path(app.config["MARKET_OUTBOX"])
    before = set(folder.glob("*.eml")) if folder.exists() else set()
    # Committed rows not queued by this session, so nothing is sent after the commit: the senders find them all.
    db.session.add_all([OutgoingMail(kind="test", recipient=f"buyer{n}@example.com", subject=f"MAIL-{n:03d}",
                                     body=f"code {n:06d}") for n in range(MAILS)])
    db.session.commit()
    now = utcnow()
    def send() -> outbox.SendReport:
        with app.app_context():  # its own app context, so its own db.session and connections
            return outbox.send_due(now, limit=MAILS)

    reports = all_at_once(send, [()] * SENDERS)
    assert sum(r.sent for r in reports) == MAILS and all(r.failed == r.retrying == 0 for r in reports)
    subjects = sorted(message_subject(p) for p in set(folder.glob("*.eml")) - before)
    assert subjects == [f"MAIL-{n:03d}" for n in range(MAILS)]  # each once: none lost, none twice
    db.session.rollback()
    statuses = db.session.execute(sa.select(OutgoingMail.status, OutgoingMail.attempts)).all()
    assert set(statuses) == {("sent", 1)}


def message_body(path: Path) -> str:
    """The decoded text of a written message (a Chinese body is base64 on disk)."""
    return email.message_from_bytes(path.read_bytes(), policy=email.policy.default).get_body().get_content()


def message_subject(path: Path) -> str:
    for line in path.read_text().splitlines():
        if line.startswith("Subject: "):
            return line.removeprefix("Subject: ")
    raise AssertionError(f"{path} has no subject")


def senders_at_once(app, now) -> list[outbox.SendReport]:
    """Run SENDERS `send_due`s at the same moment, each in its own app context; their reports."""

    def send() -> outbox.SendReport:
        with app.app_context():
            return outbox.send_due(now)

    return all_at_once(send, [()] * SENDERS)


def test_the_ready_mail_with_the_pickup_code_is_written_once(app, monkeypatch):
    (order,) = place(1, provider="pickup")
    folder = Path(app.config["MARKET_OUTBOX"])
    monkeypatch.setitem(app.config, "MARKET_MAIL_URL", f"smtp://127.0.0.1:{closed_port()}")  # the server is down
    order.pickup_code = "907135"
    order_mail.order_changed(order, Action.READY.value, None)
    db.session.commit()
    db.session.rollback()
    ready = db.session.scalar(sa.select(OutgoingMail).where(OutgoingMail.kind == "order.ready"))
    assert (ready.status, ready.attempts) == ("pending", 1)  # the row outlived the failed first attempt
    monkeypatch.setitem(app.config, "MARKET_MAIL_URL", None)  # back: two cron runs find it due at once
    reports = senders_at_once(app, ready.next_attempt_at)
    assert sum(r.sent for r in reports) == 1
    with_code = [p for p in folder.glob("*.eml") if "907135" in message_body(p)]
    assert len(with_code) == 1
