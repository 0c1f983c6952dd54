"""The transactional outbox: mail is a row written in the transaction of the change that causes it.

`queue` adds the row to the current session; nothing is sent before the commit, and a rollback leaves no row.
Once the session commits, the mails that transaction queued are sent, each claimed and marked in transactions
of their own on a fresh session (the committing session cannot run SQL inside its own after_commit hook; the
sending waits until the transaction has ended and returned its connection to the pool).
`send_due` (run by `market mail send` from cron every minute) sends whatever is left: mail queued while the
mail server was down, retries that are due, mail of a process that stopped before sending.

A sender claims a row with a conditional UPDATE (pending and due, or a claim older than STALE_CLAIM) and checks
the row count, so two senders never both send a claimed mail. Claiming counts an attempt, and a sender only
records the outcome while the row still carries its attempt, so a slow sender cannot overwrite a later one.
Delivery is at least once: a sender that handed the message over and then died before marking it sent leaves
a claim that goes stale, and the mail is sent again (with the same Message-ID, so mail clients can tell).
Times here are the real time, not `clock.now()`: mail servers and retries live in the real world.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime

import sqlalchemy as sa
from flask import current_app
from flask_babel import force_locale
from flask_babel import lazy_gettext as _l
from sqlalchemy import event
from sqlalchemy import orm as so

from market.domain.mail_flow import MAX_ATTEMPTS, STALE_CLAIM, MailAction, MailStatus, after_failure, next_status
from market.extensions import db
from market.models import OutgoingMail, User
from market.models.base import utcnow
from market.services.accounts import mail
from market.services.errors import ServiceError

_QUEUED = "market.outbox.queued"  # session.info key: the rows queued in the session's current transaction
_COMMITTED = "market.outbox.committed"  # session.info key: ids of the rows it committed, to send


def queue(to: str, subject: str, body: str, kind: str) -> OutgoingMail:
    """Add a mail to the current transaction; it is sent after the commit (or by `market mail send`)."""
    row = OutgoingMail(kind=kind, recipient=to, subject=subject[:200], body=body, status=MailStatus.PENDING,
                       attempts=0, next_attempt_at=utcnow())
    session = db.session()
    session.add(row)
    session.info.setdefault(_QUEUED, []).append(row)
    return row


def queue_to(user: User, kind: str, compose: Callable[[], tuple[str, str]]) -> OutgoingMail:
    """Queue a mail to a user, its (subject, body) composed in the user's language."""
    with force_locale(user.locale):
        subject, body = compose()
    return queue(user.email, subject, body, kind)


@event.listens_for(so.Session, "after_commit")
def _note_committed(session: so.Session) -> None:
    """The queued rows are committed: note their ids (known without SQL) for sending once the transaction has
    ended and given back its connection, so sending never holds two connections at once. A released savepoint
    also fires after_commit: its rows wait for the real commit, which may still roll back."""
    if session.in_nested_transaction():
        return
    queued = session.info.pop(_QUEUED, [])
    ids = [key[0] for key in (sa.inspect(row).identity for row in queued) if key]
    if ids:
        session.info[_COMMITTED] = ids


@event.listens_for(so.Session, "after_transaction_end")
def _send_committed(session: so.Session, transaction: so.SessionTransaction) -> None:
    """At the end of a session's outermost transaction: send what it committed, each mail on fresh sessions
    from `db.session`'s factory (their own connections; under the tests' rolled-back fixture they join its
    connection); a transaction that ended without a commit (rolled back, closed) forgets what it queued.
    Never raises: the change stands whatever the mail does, and a mail that could not even be tried stays
    pending for the cron job."""
    if transaction.parent is not None:
        return
    session.info.pop(_QUEUED, None)
    for mail_id in session.info.pop(_COMMITTED, []):
        try:
            send_one(mail_id, utcnow(), session_factory=db.session.session_factory)
        except Exception:  # noqa: BLE001 - the database or the app failed; cron sends it later
            current_app.logger.exception("could not send queued mail %s after the commit", mail_id)


@dataclass
class SendReport:
    """What a run of `send_due` did, and how many mails are still waiting (pending or being sent)."""

    sent: int = 0
    retrying: int = 0
    failed: int = 0
    left: int = 0


def _claimable(now: datetime) -> sa.ColumnElement[bool]:
    """Due pending mail, or mail whose claim went stale with attempts left."""
    return sa.or_(
        sa.and_(OutgoingMail.status == MailStatus.PENDING, OutgoingMail.next_attempt_at <= now),
        sa.and_(OutgoingMail.status == MailStatus.SENDING, OutgoingMail.claimed_at <= now - STALE_CLAIM,
                OutgoingMail.attempts < MAX_ATTEMPTS),
    )


def send_due(now: datetime, limit: int = 100) -> SendReport:
    """Send up to `limit` due mails, oldest first, each claimed in its own transaction; safe to run in
    several processes at once. Commits on sessions of its own; the caller's session is left alone."""
    factory = db.session.session_factory
    report = SendReport(failed=_give_up_stale_last_attempts(now, factory))
    with factory() as session:
        ids = session.scalars(sa.select(OutgoingMail.id).where(_claimable(now))
                              .order_by(OutgoingMail.next_attempt_at, OutgoingMail.id).limit(limit)).all()
    for mail_id in ids:
        outcome = send_one(mail_id, now, session_factory=factory)
        if outcome is MailStatus.SENT:
            report.sent += 1
        elif outcome is MailStatus.PENDING:
            report.retrying += 1
        elif outcome is MailStatus.FAILED:
            report.failed += 1
    with factory() as session:
        report.left = session.scalar(sa.select(sa.func.count(OutgoingMail.id)).where(
            OutgoingMail.status.in_((MailStatus.PENDING, MailStatus.SENDING)))) or 0
    return report


def send_one(mail_id: int, now: datetime, session_factory: Callable[[], so.Session]) -> MailStatus | None:
    """Claim one mail, hand it to the transport, record the outcome. Returns the mail's new status, or None
    when another sender has it (or it is not due)."""
    at = max(now, utcnow())  # the claim's own moment: a run may have started minutes ago
    claimed = _claim(mail_id, now, at, session_factory)
    if claimed is None:
        return None
    attempt, to, subject, body, message_id = claimed
    try:
        mail.send(to, subject, body, message_id=message_id)
    except Exception as err:  # noqa: BLE001 - SMTP, network, disk: each is a failed attempt
        current_app.logger.warning("mail %s to %s failed (attempt %s): %s", mail_id, to, attempt, err)
        action, wait = after_failure(attempt)
        error = f"{type(err).__name__}: {err}"[:500]
        if wait is None:
            return _finish(mail_id, attempt, action, session_factory, last_error=error)
        return _finish(mail_id, attempt, action, session_factory, last_error=error, next_attempt_at=at + wait)
    return _finish(mail_id, attempt, MailAction.DELIVER, session_factory, sent_at=utcnow(), body="")


def _claim(mail_id: int, now: datetime, at: datetime,
           session_factory: Callable[[], so.Session]) -> tuple[int, str, str, str, str] | None:
    """The conditional UPDATE that makes one sender the owner of a mail; committed before sending, so every
    other sender sees the claim. The claim is stamped `at`, the moment it is made, not the start of a run that
    may have been sending for minutes (or the next run would take it for stale). Returns (attempt, to,
    subject, body, Message-ID) or None."""
    with session_factory() as session:
        moved = session.execute(
            sa.update(OutgoingMail).where(OutgoingMail.id == mail_id, _claimable(now))
            .values(status=next_status(MailStatus.PENDING, MailAction.CLAIM), claimed_at=at,
                    attempts=OutgoingMail.attempts + 1)
            .execution_options(synchronize_session=False)
        ).rowcount
        if moved != 1:
            session.rollback()
            return None
        row = session.get_one(OutgoingMail, mail_id)
        claimed = (row.attempts, row.recipient, row.subject, row.body,
                   f"outbox-{row.id}.{row.created_at:%Y%m%d%H%M%S%f}")
        session.commit()
    return claimed


def _give_up_stale_last_attempts(now: datetime, session_factory: Callable[[], so.Session]) -> int:
    """A claim that went stale on the last attempt: its sender died mid-way, and that was the last try."""
    with session_factory() as session:
        failed = session.execute(
            sa.update(OutgoingMail).where(OutgoingMail.status == MailStatus.SENDING,
                                          OutgoingMail.claimed_at <= now - STALE_CLAIM,
                                          OutgoingMail.attempts >= MAX_ATTEMPTS)
            .values(status=next_status(MailStatus.SENDING, MailAction.GIVE_UP),
                    last_error="the sender stopped while sending (crash or timeout)")
            .execution_options(synchronize_session=False)
        ).rowcount
        session.commit()
    return failed


def _finish(mail_id: int, attempt: int, action: MailAction, session_factory: Callable[[], so.Session],
            **values: object) -> MailStatus | None:
    """Record an attempt's outcome, only while the row is still this sender's claim (same attempt)."""
    new = next_status(MailStatus.SENDING, action)
    with session_factory() as session:
        done = session.execute(
            sa.update(OutgoingMail).where(OutgoingMail.id == mail_id, OutgoingMail.status == MailStatus.SENDING,
                                          OutgoingMail.attempts == attempt)
            .values(status=new, **values).execution_options(synchronize_session=False)
        ).rowcount
        session.commit()
    if done != 1:
        current_app.logger.warning("mail %s: attempt %s finished after another sender took it over", mail_id,
                                   attempt)
        return None
    return new


@dataclass(frozen=True)
class MailOverview:
    """What the admins see: counts by status, and the mails that failed or are waiting for a retry."""

    counts: dict[str, int]
    troubled: list[OutgoingMail]


def overview(limit: int = 100) -> MailOverview:
    """Counts by status, and the failed and retrying mails (the most recent first)."""
    counts = dict(db.session.execute(
        sa.select(OutgoingMail.status, sa.func.count(OutgoingMail.id)).group_by(OutgoingMail.status)).all())
    troubled = db.session.scalars(
        sa.select(OutgoingMail).where(sa.or_(
            OutgoingMail.status == MailStatus.FAILED,
            sa.and_(OutgoingMail.status.in_((MailStatus.PENDING, MailStatus.SENDING)), OutgoingMail.attempts > 0),
        )).order_by(OutgoingMail.id.desc()).limit(limit)).all()
    return MailOverview({status.value: counts.get(status.value, 0) for status in MailStatus}, list(troubled))


def retry_now(mail_id: int, now: datetime) -> OutgoingMail:
    """Put a failed mail back in the queue for a fresh series of attempts, due now (an admin's action)."""
    row = db.session.get(OutgoingMail, mail_id)
    if row is None:
        raise LookupError(mail_id)
    if row.status != MailStatus.FAILED:
        raise ServiceError(_l("Only a failed mail can be sent again."))
    moved = db.session.execute(  # a compare-and-set: a double click or a second admin retries it once
        sa.update(OutgoingMail).where(OutgoingMail.id == mail_id, OutgoingMail.status == MailStatus.FAILED)
        .values(status=next_status(row.status, MailAction.RETRY_NOW), attempts=0, next_attempt_at=now,
                claimed_at=None).execution_options(synchronize_session=False)
    ).rowcount
    if moved != 1:
        raise ServiceError(_l("Only a failed mail can be sent again."))
    db.session.refresh(row)
    db.session.info.setdefault(_QUEUED, []).append(row)  # sent right after the admin's commit
    db.session.flush()
    return row
