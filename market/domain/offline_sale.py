"""The offline (线下) sale line: a counter sale an outlet reports, which the county verifies. Pure.

unverified -> verified | rejected (with a reason, shown to the outlet). The outlet may edit or delete an
unverified line; a rejected line may be corrected (back to unverified) or withdrawn, and is never deleted; a
verified line is frozen for the outlet, and county staff may reopen it (with a reason) at any time, which
makes it unverified again. Only verified lines count for the subsidy (SUBSIDY.md: `verified`).
"""

from __future__ import annotations

from enum import StrEnum

from market.domain.transitions import ActorTable, TransitionRefused  # noqa: F401 - re-exported for callers

RECEIPT_MAX = 40  # characters of a receipt or invoice number
NOTE_MAX = 200
REASON_MAX = 200


class SaleState(StrEnum):
    """Where a line stands. The members' order is the order of the database CHECK constraint."""

    UNVERIFIED = "unverified"
    VERIFIED = "verified"
    REJECTED = "rejected"
    WITHDRAWN = "withdrawn"


class SaleActor(StrEnum):
    """Who asks for a transition."""

    OUTLET = "outlet"  # the outlet's staff
    COUNTY = "county"  # county staff


class SaleAction(StrEnum):
    """What can be done to a line. DELETE removes the row (allowed only while unverified)."""

    EDIT = "edit"
    DELETE = "delete"
    VERIFY = "verify"
    REJECT = "reject"
    CORRECT = "correct"
    WITHDRAW = "withdraw"
    REOPEN = "reopen"


class PaymentMethod(StrEnum):
    """How the buyer paid at the counter."""

    CASH = "cash"
    WECHAT = "wechat"
    ALIPAY = "alipay"
    BANK_CARD = "bank_card"
    BANK_TRANSFER = "bank_transfer"
    OTHER = "other"


class RiskKind(StrEnum):
    """Risk signals stored with a line: explained to staff, never blocking."""

    RECEIPT_ELSEWHERE = "receipt_elsewhere"  # the receipt number also appears at another outlet
    PHOTO_ELSEWHERE = "photo_elsewhere"  # the same receipt image also appears at another outlet
    AMOUNT_OUTLIER = "amount_outlier"  # more than 10 times the outlet's median line for the product
    UNIT_PRICE = "unit_price"  # unit price outside 50%..200% of the product's listed price range
    BURST = "burst"  # more than 20 lines with the same amount within one day at one outlet
    MATCHES_ORDER = "matches_order"  # same outlet, product, quantity, amount and day as a collected pickup order


S, A, R = SaleState, SaleAction, SaleActor
# action -> (who may do it, from which states, to which state; None keeps the state or removes the row)
MACHINE = ActorTable("an offline sale line", SaleState, {
    A.EDIT: (R.OUTLET, (S.UNVERIFIED,), None),
    A.DELETE: (R.OUTLET, (S.UNVERIFIED,), None),
    A.VERIFY: (R.COUNTY, (S.UNVERIFIED,), S.VERIFIED),
    A.REJECT: (R.COUNTY, (S.UNVERIFIED,), S.REJECTED),
    A.CORRECT: (R.OUTLET, (S.REJECTED,), S.UNVERIFIED),
    A.WITHDRAW: (R.OUTLET, (S.REJECTED,), S.WITHDRAWN),
    A.REOPEN: (R.COUNTY, (S.VERIFIED,), S.UNVERIFIED),
})
NEEDS_REASON = (A.REJECT, A.REOPEN)


def next_state(state: str, action: SaleAction, actor: SaleActor) -> SaleState:
    """The state after `action` by `actor`, or TransitionRefused with the reason."""
    return MACHINE.next(state, action, actor)


def allowed_actions(state: str, actor: SaleActor) -> list[SaleAction]:
    """The actions `actor` may take now, in the enum's order (for buttons)."""
    return MACHINE.allowed(state, actor)


def reason_kind(state: str, reason: str | None) -> str | None:
    """What a line's reason is, for its label: the county's rejection ("rejected"), or why the county reopened
    a verified line ("reopened": unverified with a reason, since a correction clears the rejection's)."""
    if not reason:
        return None
    if state == SaleState.REJECTED:
        return "rejected"
    if state == SaleState.UNVERIFIED:
        return "reopened"
    return None


def counts_for_subsidy(state: str) -> bool:
    """Only verified lines are eligible (the ledger lists the others with verified false)."""
    return state == SaleState.VERIFIED
