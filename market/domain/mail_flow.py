"""The outgoing mail state machine and its retry schedule. Pure.

States: pending -> sending (a sender claimed it) -> sent; a failed attempt returns it to pending with a later
`next_attempt_at` (backoff) until the last attempt, which leaves it failed; an admin may put a failed mail back
to pending. A claim whose sender stopped (crash, kill) goes stale after STALE_CLAIM and may be claimed again:
delivery is at least once, never "at most once" (a sender that delivered and then died sends the mail twice).
"""

from __future__ import annotations

from datetime import timedelta
from enum import StrEnum

from market.domain.transitions import TransitionRefused


class MailStatus(StrEnum):
    """Where an outgoing mail stands. The members' order is the order of the database CHECK constraint."""

    PENDING = "pending"
    SENDING = "sending"
    SENT = "sent"
    FAILED = "failed"


class MailAction(StrEnum):
    """What can happen to an outgoing mail."""

    CLAIM = "claim"  # a sender takes a pending mail that is due
    RECLAIM = "reclaim"  # a sender takes a mail whose previous claim went stale
    DELIVER = "deliver"  # the transport accepted the message
    RETRY_LATER = "retry_later"  # the transport failed; attempts are left
    GIVE_UP = "give_up"  # the transport failed on the last attempt
    RETRY_NOW = "retry_now"  # an admin puts a failed mail back in the queue


MOVES = {
    (MailStatus.PENDING, MailAction.CLAIM): MailStatus.SENDING,
    (MailStatus.SENDING, MailAction.RECLAIM): MailStatus.SENDING,
    (MailStatus.SENDING, MailAction.DELIVER): MailStatus.SENT,
    (MailStatus.SENDING, MailAction.RETRY_LATER): MailStatus.PENDING,
    (MailStatus.SENDING, MailAction.GIVE_UP): MailStatus.FAILED,
    (MailStatus.FAILED, MailAction.RETRY_NOW): MailStatus.PENDING,
}

# Waits after the 1st, 2nd, ... failed attempt; the attempt after the last wait is the last one.
BACKOFF = (timedelta(minutes=1), timedelta(minutes=5), timedelta(minutes=15), timedelta(hours=1),
           timedelta(hours=4))
MAX_ATTEMPTS = len(BACKOFF) + 1
# Far longer than one delivery takes (the SMTP timeout is 20 s): a claim this old belongs to a dead sender.
STALE_CLAIM = timedelta(minutes=10)


def next_status(status: str, action: MailAction) -> MailStatus:
    """The status after `action`, or TransitionRefused with the reason."""
    new = MOVES.get((status, action))  # a StrEnum member and its value are the same key
    if new is None:
        raise TransitionRefused(f"a {status} mail cannot {action}")
    return new


def after_failure(attempts: int) -> tuple[MailAction, timedelta | None]:
    """What a failed attempt leads to, `attempts` counting it: retry after the backoff wait, or give up
    (with no wait) once MAX_ATTEMPTS attempts have failed."""
    if attempts < 1:
        raise ValueError("a failure counts at least the attempt that failed")
    if attempts >= MAX_ATTEMPTS:
        return MailAction.GIVE_UP, None
    return MailAction.RETRY_LATER, BACKOFF[attempts - 1]
