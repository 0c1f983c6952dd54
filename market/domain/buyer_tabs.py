"""The tabs of the buyer's order list: which tab an order belongs in, and which tab opens first. Pure.

Every order is in exactly one tab:
- to pay: waiting for an online payment (placed, unpaid, not paid at the outlet);
- to collect: pickup orders not yet handed over: paid online or to be paid in cash at the outlet on
  collection (a pay-at-pickup order stays unpaid until it is collected, so it is never "to pay");
- shipped ("to receive"): delivery orders paid and not yet received: being packed or on the way;
- completed: handed over or received;
- refunds: a refund requested or the order refunded (a refused or partial refund returns the order
  to the tab of the state it went back to);
- cancelled: cancelled by the buyer or the outlet, or expired unpaid (not one of the issue's five
  tabs, but a buyer must still reach these orders and the outlet's reason).
"""

from __future__ import annotations

from enum import StrEnum

from market.domain.order_flow import OrderFacts, OrderStatus, awaiting_payment


class BuyerTab(StrEnum):
    """A tab of the buyer's order list, in the order shown."""

    TO_PAY = "to_pay"
    TO_COLLECT = "to_collect"
    SHIPPED = "shipped"
    COMPLETED = "completed"
    REFUNDS = "refunds"
    CANCELLED = "cancelled"


BUYER_TABS = tuple(BuyerTab)
REFUND_STATUSES = (OrderStatus.REFUND_REQUESTED, OrderStatus.REFUNDED)


def buyer_tab(facts: OrderFacts) -> BuyerTab:
    """The one tab this order is listed under."""
    status = facts.status
    if status in REFUND_STATUSES:
        return BuyerTab.REFUNDS
    if status == OrderStatus.COMPLETED:
        return BuyerTab.COMPLETED
    if status == OrderStatus.CANCELLED:
        return BuyerTab.CANCELLED
    if awaiting_payment(status, facts.paid) and not facts.pay_at_pickup:
        return BuyerTab.TO_PAY
    if facts.fulfilment == "pickup":
        return BuyerTab.TO_COLLECT
    return BuyerTab.SHIPPED


def default_tab(counts: dict[BuyerTab, int]) -> BuyerTab:
    """The tab the list opens on: the first, in the order shown, that has orders (to pay, to collect, shipped,
    completed, refunds, then cancelled); "to pay" when there are none at all."""
    return next((tab for tab in BUYER_TABS if counts.get(tab, 0) > 0), BuyerTab.TO_PAY)


def parse_tab(raw: str | None) -> BuyerTab | None:
    """The tab named in a query string, or None for anything else (the default tab then opens)."""
    return BuyerTab(raw) if raw in BUYER_TABS else None

