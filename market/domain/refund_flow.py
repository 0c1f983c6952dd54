"""The refund state machine. Pure.

States: requested -> accepted (by the outlet, or by the system for a late payment) or refused (by the
outlet, with a reason); accepted -> succeeded (the provider paid the money back) or failed (it could not:
staff return it by hand). Refused, succeeded and failed are final.
"""

from __future__ import annotations

from enum import StrEnum

from market.domain.transitions import TransitionRefused


class RefundStatus(StrEnum):
    """Where a refund stands. The members' order is the order of the database CHECK constraint."""

    REQUESTED = "requested"
    ACCEPTED = "accepted"
    REFUSED = "refused"
    SUCCEEDED = "succeeded"
    FAILED = "failed"


class RefundAction(StrEnum):
    """What can happen to a refund."""

    ACCEPT = "accept"
    REFUSE = "refuse"
    CONFIRM = "confirm"  # the provider paid the money back
    FAIL = "fail"  # the provider could not pay it back


MOVES = {
    (RefundStatus.REQUESTED, RefundAction.ACCEPT): RefundStatus.ACCEPTED,
    (RefundStatus.REQUESTED, RefundAction.REFUSE): RefundStatus.REFUSED,
    (RefundStatus.ACCEPTED, RefundAction.CONFIRM): RefundStatus.SUCCEEDED,
    (RefundStatus.ACCEPTED, RefundAction.FAIL): RefundStatus.FAILED,
}


def next_status(status: str, action: RefundAction) -> RefundStatus:
    """The status after `action`, or TransitionRefused with the reason."""
    new = MOVES.get((status, action))  # a StrEnum member and its value are the same key
    if new is None:
        if action in (RefundAction.ACCEPT, RefundAction.REFUSE):
            raise TransitionRefused("only a requested refund can be accepted or refused")
        raise TransitionRefused("only an accepted refund is paid back")
    return new
