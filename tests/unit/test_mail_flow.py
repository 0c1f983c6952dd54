"""The outgoing mail state machine as a table, and its retry schedule."""

from __future__ import annotations

from datetime import timedelta

import pytest

from market.domain.mail_flow import (
    BACKOFF,
    MAX_ATTEMPTS,
    STALE_CLAIM,
    MailAction,
    MailStatus,
    after_failure,
    next_status,
)
from tests.unit.transition_tables import REFUSED, assert_move, assert_names_every_pair, cases

PENDING, SENDING, SENT, FAILED = MailStatus
CLAIM, RECLAIM, DELIVER, RETRY_LATER, GIVE_UP, RETRY_NOW = MailAction

TABLE = {
    (PENDING, CLAIM): SENDING,
    (PENDING, RECLAIM): REFUSED,  # only a claimed mail can have a stale claim
    (PENDING, DELIVER): REFUSED,  # nothing is sent without a claim
    (PENDING, RETRY_LATER): REFUSED,
    (PENDING, GIVE_UP): REFUSED,
    (PENDING, RETRY_NOW): REFUSED,
    (SENDING, CLAIM): REFUSED,  # a second sender never takes a fresh claim
    (SENDING, RECLAIM): SENDING,
    (SENDING, DELIVER): SENT,
    (SENDING, RETRY_LATER): PENDING,
    (SENDING, GIVE_UP): FAILED,
    (SENDING, RETRY_NOW): REFUSED,
    **{(SENT, action): REFUSED for action in MailAction},  # sent is final
    (FAILED, CLAIM): REFUSED,  # a failed mail waits for an admin
    (FAILED, RECLAIM): REFUSED,
    (FAILED, DELIVER): REFUSED,
    (FAILED, RETRY_LATER): REFUSED,
    (FAILED, GIVE_UP): REFUSED,
    (FAILED, RETRY_NOW): PENDING,
}


def test_the_table_names_every_status_and_action():
    assert_names_every_pair(TABLE, MailStatus, MailAction)


@pytest.mark.parametrize(("status", "action", "expected"), cases(TABLE))
def test_transition_table(status, action, expected):
    assert_move(next_status, status, action, expected)


M = timedelta(minutes=1)
SCHEDULE = [
    (1, RETRY_LATER, 1 * M),
    (2, RETRY_LATER, 5 * M),
    (3, RETRY_LATER, 15 * M),
    (4, RETRY_LATER, 60 * M),
    (5, RETRY_LATER, 240 * M),
    (6, GIVE_UP, None),
    (7, GIVE_UP, None),  # an admin's retry of a failed mail that fails again
]


@pytest.mark.parametrize(("attempts", "action", "wait"), SCHEDULE)
def test_the_backoff_schedule(attempts, action, wait):
    assert after_failure(attempts) == (action, wait)


def test_the_schedule_grows_and_ends_after_the_last_attempt():
    assert MAX_ATTEMPTS == 6 and list(BACKOFF) == sorted(BACKOFF)
    assert sum(BACKOFF, timedelta()) < timedelta(hours=6)  # a failed mail reaches the admins the same day
    assert timedelta(minutes=1) < STALE_CLAIM  # well beyond one SMTP timeout (20 s)


def test_a_failure_counts_the_attempt_that_failed():
    with pytest.raises(ValueError):
        after_failure(0)
