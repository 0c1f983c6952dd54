"""The desk's queries, called directly: which tab each order is in, the cash providers, the pick list's sums."""

from __future__ import annotations

from market.payments import get_provider
from market.services.ordering import desk, payments, refunds
from market.services.ordering.desk import DeskTab
from tests.services.ordering_setup import buy, now, place


def test_the_cash_providers_are_those_paid_at_the_outlet():
    assert {name for name in ("pickup", "stripe") if get_provider(name).pay_at_pickup} == set(desk.CASH_PROVIDERS)


def counts_for(*orders) -> dict[DeskTab, int]:
    return desk.desk_page(sorted({o.outlet_id for o in orders}), DeskTab.ALL).counts


def test_each_order_is_counted_in_the_tab_of_its_state(db_session):
    (online_unpaid,) = place(1)  # waiting for an online payment: nothing to prepare yet
    assert counts_for(online_unpaid) == {**dict.fromkeys(desk.DESK_TABS, 0), DeskTab.ALL: 1}
    payments.confirm_paid(online_unpaid.payment, online_unpaid.payment.amount_fen, "cny", "pi_1", now())
    assert counts_for(online_unpaid)[DeskTab.TO_PREPARE] == 1  # paid: to pack and ship
    refunds.request_refund(online_unpaid.user, online_unpaid, {online_unpaid.lines[0].id: 1}, "买错了", now())
    counts = counts_for(online_unpaid)
    assert (counts[DeskTab.REFUNDS], counts[DeskTab.TO_PREPARE], counts[DeskTab.ALL]) == (1, 0, 1)
    (cash,) = place(1, provider="pickup")
    assert counts_for(cash)[DeskTab.TO_PREPARE] == 1  # paid at the outlet: prepared before it is paid


def test_the_pick_list_sums_units_per_product_over_the_orders_to_prepare(db_session):
    (first,) = place(2, provider="pickup", stock=20)
    second = buy(first.lines[0].listing_id, 5)
    found = desk.to_prepare([first.outlet_id])
    assert [o.id for o in found] == [first.id, second.id]
    (line,) = desk.pick_totals(found)[first.outlet_id]
    assert (line.sku, line.quantity, line.orders) == (first.lines[0].sku, 7, 2)


def test_a_search_is_trimmed_of_spaces_and_dashes_upper_cased_and_bounded():
    assert desk.normalise_search(" lx2026-1202 a1 ") == "LX20261202A1"
    assert len(desk.normalise_search("9" * 100)) == desk.SEARCH_MAX
