"""The order state machine: which actor may do what to an order in which state. Pure.

States: placed -> paid -> packed -> shipped (delivery) / ready_for_pickup (pickup) -> completed;
cancelled; refund_requested -> refunded. Orders paid at the outlet (pay-at-pickup) are made ready before
they are paid. A pickup order waiting for collection is handed over only at the counter, against its
pickup code (`collect`): a pay-at-pickup order is paid and completed in that one step.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum

from market.domain.transitions import TransitionRefused


class OrderStatus(StrEnum):
    """Where an order stands. The members' order is the order of the database CHECK constraint."""

    PLACED = "placed"
    PAID = "paid"
    PACKED = "packed"
    SHIPPED = "shipped"
    READY_FOR_PICKUP = "ready_for_pickup"
    COMPLETED = "completed"
    CANCELLED = "cancelled"
    REFUND_REQUESTED = "refund_requested"
    REFUNDED = "refunded"


ORDER_STATUSES = tuple(OrderStatus)
UNPAID_OPEN = (OrderStatus.PLACED, OrderStatus.READY_FOR_PICKUP)  # may still be paid, cancelled or expire
PAID_OPEN = (OrderStatus.PAID, OrderStatus.PACKED, OrderStatus.SHIPPED, OrderStatus.READY_FOR_PICKUP)
OPEN_STATUSES = (  # the orders an outlet still has to act on
    OrderStatus.PLACED, OrderStatus.PAID, OrderStatus.PACKED, OrderStatus.SHIPPED, OrderStatus.READY_FOR_PICKUP,
    OrderStatus.REFUND_REQUESTED,
)


class Actor(StrEnum):
    """Who asks for a transition."""

    BUYER = "buyer"
    OUTLET = "outlet"
    SYSTEM = "system"  # payment providers, expiry


class Action(StrEnum):
    """What can be done to an order."""

    PAY = "pay"
    PACK = "pack"
    SHIP = "ship"
    READY = "ready"
    COMPLETE = "complete"
    CANCEL = "cancel"
    EXPIRE = "expire"
    REQUEST_REFUND = "request_refund"
    REFUND = "refund"
    LATE_PAY = "late_pay"  # a payment confirmed after the unpaid order had expired, stock re-reserved
    COLLECT = "collect"  # handed over at the counter against the pickup code (and paid, for pay-at-pickup)


@dataclass(frozen=True)
class OrderFacts:
    """What the rules need to know about an order."""

    status: str
    fulfilment: str  # "pickup" or "delivery"
    pay_at_pickup: bool  # paid in cash at the outlet on collection
    paid: bool


def awaiting_payment(status: str, paid: bool) -> bool:
    """Unpaid and still held: the order keeps its stock until it is paid, cancelled or its hold ends."""
    return not paid and status in UNPAID_OPEN


def next_status(facts: OrderFacts, action: Action, actor: Actor) -> OrderStatus:
    """The status after `action` by `actor`, or TransitionRefused with the reason."""
    s, paid = facts.status, facts.paid
    pickup = facts.fulfilment == "pickup"
    if action is Action.PAY:
        if not awaiting_payment(s, paid):
            raise TransitionRefused("only an unpaid open order can be paid")
        if actor is not Actor.SYSTEM:  # the outlet takes cash only by collecting with the code
            raise TransitionRefused("payments are confirmed by the provider, or taken at the counter on collection")
        if facts.pay_at_pickup:
            raise TransitionRefused("this order is paid at the outlet")
        return OrderStatus.PAID
    if action is Action.PACK:
        _need(actor, Actor.OUTLET)
        if s != OrderStatus.PAID or facts.pay_at_pickup:
            raise TransitionRefused("only an order paid online is packed; cash orders are handed over at collection")
        return OrderStatus.PACKED
    if action is Action.SHIP:
        _need(actor, Actor.OUTLET)
        if pickup or s not in (OrderStatus.PAID, OrderStatus.PACKED):
            raise TransitionRefused("only a paid delivery order can be shipped")
        return OrderStatus.SHIPPED
    if action is Action.READY:
        _need(actor, Actor.OUTLET)
        # Cash orders wait ready and unpaid, and are paid on collection; online-paid ones are made ready after.
        if facts.pay_at_pickup:
            ready = s == OrderStatus.PLACED and not paid
        else:
            ready = s in (OrderStatus.PAID, OrderStatus.PACKED)
        if not pickup or not ready:
            raise TransitionRefused("only a pickup order not yet handed over can be made ready")
        return OrderStatus.READY_FOR_PICKUP
    if action is Action.COMPLETE:
        if actor is Actor.SYSTEM:
            raise TransitionRefused("orders are completed by the outlet or the buyer")
        if not paid or s not in PAID_OPEN:
            raise TransitionRefused("only a paid order that was handed over can be completed")
        if not pickup and s != OrderStatus.SHIPPED:
            raise TransitionRefused("a delivery order is completed once it has been shipped")
        if actor is Actor.BUYER and s != OrderStatus.SHIPPED:
            raise TransitionRefused("buyers confirm receipt of shipped orders only")
        # A pickup order is handed over with its code (collect); only a cash order already paid on collection
        # (before the counter codes) has left the outlet and just needs closing.
        if pickup and not (facts.pay_at_pickup and s == OrderStatus.PAID):
            raise TransitionRefused("a pickup order is completed at the counter with its pickup code")
        return OrderStatus.COMPLETED
    if action is Action.COLLECT:
        _need(actor, Actor.OUTLET)
        if not pickup or s != OrderStatus.READY_FOR_PICKUP or not (paid or facts.pay_at_pickup):
            raise TransitionRefused("only a pickup order waiting for collection is handed over at the counter")
        return OrderStatus.COMPLETED
    if action in (Action.CANCEL, Action.EXPIRE):
        if action is Action.EXPIRE and actor is not Actor.SYSTEM:
            raise TransitionRefused("only the system expires orders")
        if not awaiting_payment(s, paid):
            raise TransitionRefused("a paid order is not cancelled but refunded")
        return OrderStatus.CANCELLED
    if action is Action.LATE_PAY:
        _need(actor, Actor.SYSTEM)
        if paid or s != OrderStatus.CANCELLED or facts.pay_at_pickup:
            raise TransitionRefused("only an expired online order can take a late payment")
        return OrderStatus.PAID
    if action is Action.REQUEST_REFUND:
        _need(actor, Actor.BUYER)
        if not paid or not refundable_now(s):
            raise TransitionRefused("only a paid order can be refunded")
        return OrderStatus.REFUND_REQUESTED
    if action is Action.REFUND:
        if actor is Actor.BUYER or not paid or not (s == OrderStatus.REFUND_REQUESTED or refundable_now(s)):
            raise TransitionRefused("only the outlet or the provider refunds a paid order")
        return OrderStatus.REFUNDED
    raise TransitionRefused(f"unknown action {action}")  # pragma: no cover - Action is closed


def after_refund_decision(facts: OrderFacts, before_request: str, accepted: bool, fully_refunded: bool) -> OrderStatus:
    """Where a refund request leaves the order: refunded when all its money is returned, otherwise back
    where it was before the request (a refused or partial refund)."""
    if facts.status != OrderStatus.REFUND_REQUESTED:
        raise TransitionRefused("there is no open refund request")
    if accepted and fully_refunded:
        return OrderStatus.REFUNDED
    return OrderStatus(before_request)


def still_to_collect(facts: OrderFacts) -> bool:
    """A pickup order the buyer has yet to collect (placed, paid, packed or ready): where and when to collect
    it is worth saying."""
    return facts.fulfilment == "pickup" and facts.status in (
        OrderStatus.PLACED, OrderStatus.PAID, OrderStatus.PACKED, OrderStatus.READY_FOR_PICKUP)


def refundable_now(status: str) -> bool:
    """Whether the buyer may ask for a refund in this status (paid and not already refunding)."""
    return status in (*PAID_OPEN, OrderStatus.COMPLETED)


def stock_returns_on_refund(status_before: str, pay_at_pickup: bool) -> bool:
    """Refunded units go back on the shelf only if they never left the outlet (a cash order is paid
    when it is collected, so its units have always left)."""
    return not pay_at_pickup and status_before in (OrderStatus.PAID, OrderStatus.PACKED, OrderStatus.READY_FOR_PICKUP)


def _need(actor: Actor, expected: Actor) -> None:
    if actor is not expected:
        raise TransitionRefused(f"only the {expected.value} may do this")


def allowed_actions(facts: OrderFacts, actor: Actor, among: tuple[Action, ...] = tuple(Action)) -> list[Action]:
    """The actions `actor` may take now, in the order given (for buttons)."""
    allowed = []
    for action in among:
        try:
            next_status(facts, action, actor)
        except TransitionRefused:
            continue
        allowed.append(action)
    return allowed
