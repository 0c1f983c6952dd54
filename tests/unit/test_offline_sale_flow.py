"""The offline sale line's state machine as a full table: every (state, action, actor) -> next state or refusal."""

from __future__ import annotations

import itertools

import pytest

from market.domain.offline_sale import (
    SaleAction,
    SaleActor,
    SaleState,
    TransitionRefused,
    allowed_actions,
    counts_for_subsidy,
    next_state,
    reason_kind,
)

S, A, R = SaleState, SaleAction, SaleActor

ALLOWED = {  # (state, action, actor) -> next state; every other triple is refused
    (S.UNVERIFIED, A.EDIT, R.OUTLET): S.UNVERIFIED,
    (S.UNVERIFIED, A.DELETE, R.OUTLET): S.UNVERIFIED,  # the service removes the row
    (S.UNVERIFIED, A.VERIFY, R.COUNTY): S.VERIFIED,
    (S.UNVERIFIED, A.REJECT, R.COUNTY): S.REJECTED,
    (S.REJECTED, A.CORRECT, R.OUTLET): S.UNVERIFIED,
    (S.REJECTED, A.WITHDRAW, R.OUTLET): S.WITHDRAWN,
    (S.VERIFIED, A.REOPEN, R.COUNTY): S.UNVERIFIED,
}


@pytest.mark.parametrize(("state", "action", "actor"), list(itertools.product(S, A, R)))
def test_every_triple(state, action, actor):
    expected = ALLOWED.get((state, action, actor))
    if expected is None:
        with pytest.raises(TransitionRefused):
            next_state(state, action, actor)
    else:
        assert next_state(state, action, actor) is expected


@pytest.mark.parametrize(("state", "actor"), list(itertools.product(S, R)))
def test_buttons_are_the_allowed_moves(state, actor):
    assert allowed_actions(state, actor) == [a for a in A if (state, a, actor) in ALLOWED]


def test_a_verified_line_is_frozen_for_the_outlet_and_a_rejected_one_is_never_deleted():
    assert allowed_actions(S.VERIFIED, R.OUTLET) == []
    assert A.DELETE not in allowed_actions(S.REJECTED, R.OUTLET)
    assert allowed_actions(S.WITHDRAWN, R.OUTLET) == allowed_actions(S.WITHDRAWN, R.COUNTY) == []


def test_only_verified_lines_count():
    assert [s for s in S if counts_for_subsidy(s)] == [S.VERIFIED]


@pytest.mark.parametrize(("state", "reason", "kind"), [
    (S.REJECTED, "小票不清", "rejected"), (S.UNVERIFIED, "复核金额", "reopened"), (S.UNVERIFIED, None, None),
    (S.REJECTED, None, None), (S.VERIFIED, "旧理由", None), (S.WITHDRAWN, "小票不清", None),
])
def test_a_reason_reads_as_the_rejection_or_the_reopening(state, reason, kind):
    assert reason_kind(state, reason) == kind
