"""The buyer's order tabs as a table: every state an order can be in, the one tab it is listed under."""

from __future__ import annotations

import pytest

from market.domain.buyer_tabs import BUYER_TABS, BuyerTab, buyer_tab, default_tab, parse_tab
from market.domain.order_flow import OrderFacts

PAY, COLLECT, SHIPPED, DONE, REFUNDS, CANCELLED = BUYER_TABS

# status, fulfilment, pay at pickup, paid -> tab
TABLE = [
    ("placed", "delivery", False, False, PAY),  # waiting for the online payment
    ("placed", "pickup", False, False, PAY),  # pickup, but paid online: pay first
    ("placed", "pickup", True, False, COLLECT),  # cash at the outlet: unpaid until collected, never "to pay"
    ("ready_for_pickup", "pickup", True, False, COLLECT),  # cash order ready, still unpaid
    ("paid", "pickup", False, True, COLLECT),
    ("packed", "pickup", False, True, COLLECT),
    ("ready_for_pickup", "pickup", False, True, COLLECT),
    ("paid", "delivery", False, True, SHIPPED),  # paid, waiting to be shipped: the buyer waits to receive it
    ("packed", "delivery", False, True, SHIPPED),
    ("shipped", "delivery", False, True, SHIPPED),
    ("completed", "pickup", True, True, DONE),
    ("completed", "pickup", False, True, DONE),
    ("completed", "delivery", False, True, DONE),
    ("refund_requested", "delivery", False, True, REFUNDS),
    ("refund_requested", "pickup", True, True, REFUNDS),
    ("refunded", "pickup", False, True, REFUNDS),
    ("refunded", "delivery", False, True, REFUNDS),
    ("cancelled", "pickup", True, False, CANCELLED),
    ("cancelled", "delivery", False, False, CANCELLED),
    ("cancelled", "pickup", False, False, CANCELLED),
]


@pytest.mark.parametrize(("status", "fulfilment", "cash", "paid", "tab"), TABLE)
def test_each_order_is_listed_under_one_tab(status, fulfilment, cash, paid, tab):
    assert buyer_tab(OrderFacts(status, fulfilment, cash, paid)) is tab


def test_the_tabs_are_shown_in_the_order_of_the_issue_then_cancelled():
    assert [t.value for t in BUYER_TABS] == ["to_pay", "to_collect", "shipped", "completed", "refunds", "cancelled"]


@pytest.mark.parametrize(("counts", "opens"), [
    ({}, PAY),  # no orders at all
    ({PAY: 0, COLLECT: 0}, PAY),
    ({COLLECT: 1, DONE: 30}, COLLECT),  # just ordered for pickup: lands on "to collect"
    ({PAY: 1, COLLECT: 1}, PAY),
    ({SHIPPED: 2, DONE: 1}, SHIPPED),
    ({DONE: 3, REFUNDS: 1}, DONE),
    ({REFUNDS: 1, CANCELLED: 4}, REFUNDS),
    ({CANCELLED: 4}, CANCELLED),
])
def test_the_list_opens_on_the_first_tab_with_orders(counts, opens):
    assert default_tab(counts) is opens


@pytest.mark.parametrize(("raw", "tab"), [
    ("to_collect", COLLECT), ("refunds", REFUNDS), ("cancelled", CANCELLED),
    (None, None), ("", None), ("TO_PAY", None), ("placed", None), ("to_collect ", None),
])
def test_a_tab_in_the_url_is_one_of_the_tabs_or_none(raw, tab):
    assert parse_tab(raw) is tab
    assert tab is None or isinstance(tab, BuyerTab)
