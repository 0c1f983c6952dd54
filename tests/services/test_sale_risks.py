"""Risk signals of offline sale lines: each kind found, explained, cleared again, and earlier lines updated."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from datetime import UTC, date, datetime

import sqlalchemy as sa

from market.domain.offline_sale import RiskKind
from market.extensions import db
from market.models import ListingPriceTier, OfflineSale, OfflineSaleRisk, Order, OrderEvent, OrderLine
from market.services.sales.risk import neighbours, refresh_risks
from tests.factories import ListingFactory, OfflineSaleFactory, OutletFactory, ProductFactory, UserFactory

DAY = date(2026, 11, 2)


def risks(*sales: OfflineSale) -> dict[int, dict[str, dict]]:
    """Each line's stored signals, kind -> detail, read from the database."""
    found: dict[int, dict[str, dict]] = {s.id: {} for s in sales}
    rows = db.session.execute(sa.select(OfflineSaleRisk.sale_id, OfflineSaleRisk.kind, OfflineSaleRisk.detail)
                              .where(OfflineSaleRisk.sale_id.in_([s.id for s in sales])))
    for sale_id, kind, detail in rows:
        found[sale_id][kind] = detail
    return found


@contextmanager
def counted() -> Iterator[list[str]]:
    """The statements run inside the block."""
    seen: list[str] = []

    def record(_conn, _cursor, statement, *_args) -> None:  # type: ignore[no-untyped-def]
        seen.append(statement)

    sa.event.listen(db.engine, "before_cursor_execute", record)
    try:
        yield seen
    finally:
        sa.event.remove(db.engine, "before_cursor_execute", record)


def test_a_receipt_number_at_another_outlet_marks_both_lines_and_clears_when_corrected(db_session) -> None:
    first = OfflineSaleFactory(receipt_no="NO-1")
    refresh_risks([first.id])
    assert risks(first) == {first.id: {}}
    second = OfflineSaleFactory(receipt_no="NO-1")
    refresh_risks([second.id])
    found = risks(first, second)
    assert found[first.id][RiskKind.RECEIPT_ELSEWHERE] == {
        "outlets": [second.outlet.code], "sale_ids": [second.id], "receipt_no": "NO-1"}
    assert found[second.id][RiskKind.RECEIPT_ELSEWHERE]["outlets"] == [first.outlet.code]
    second.receipt_no = "NO-2"
    refresh_risks([second.id])
    assert risks(first, second) == {first.id: {}, second.id: {}}


def test_the_same_receipt_number_twice_at_one_outlet_is_no_signal(db_session) -> None:
    outlet = OutletFactory()
    lines = [OfflineSaleFactory(outlet=outlet, receipt_no=f"N{i}", photo_hash="ab" * 32) for i in range(2)]
    refresh_risks([s.id for s in lines])
    assert risks(*lines) == {s.id: {} for s in lines}


def test_the_same_receipt_photo_at_another_outlet(db_session) -> None:
    first = OfflineSaleFactory(photo_hash="cd" * 32)
    other = OfflineSaleFactory(photo_hash="ef" * 32)
    second = OfflineSaleFactory(photo_hash="cd" * 32)
    refresh_risks([second.id, other.id])
    found = risks(first, second, other)
    assert found[first.id] == {RiskKind.PHOTO_ELSEWHERE: {"outlets": [second.outlet.code], "sale_ids": [second.id]}}
    assert set(found[second.id]) == {RiskKind.PHOTO_ELSEWHERE}
    assert found[other.id] == {}


def test_a_later_line_makes_an_earlier_amount_an_outlier(db_session) -> None:
    outlet, product = OutletFactory(), ProductFactory()
    big = OfflineSaleFactory(outlet=outlet, product=product, amount_fen=20000)
    refresh_risks([big.id])
    assert risks(big) == {big.id: {}}
    small = [OfflineSaleFactory(outlet=outlet, product=product, amount_fen=1000) for _ in range(2)]
    elsewhere = OfflineSaleFactory(product=product, amount_fen=100)  # another outlet's median is its own
    refresh_risks([s.id for s in small] + [elsewhere.id])
    found = risks(big, *small, elsewhere)
    assert found[big.id] == {RiskKind.AMOUNT_OUTLIER: {"median_fen": 1000, "lines": 3, "times": 20}}
    assert found[small[0].id] == found[elsewhere.id] == {}


def test_ten_times_the_median_is_not_an_outlier(db_session) -> None:
    outlet, product = OutletFactory(), ProductFactory()
    lines = [OfflineSaleFactory(outlet=outlet, product=product, amount_fen=a) for a in (1000, 1000, 10000)]
    refresh_risks([s.id for s in lines])
    assert risks(*lines) == {s.id: {} for s in lines}


def test_unit_price_outside_the_listed_range_of_the_product(db_session) -> None:
    product = ProductFactory()
    ListingFactory(product=product, price_fen=6800)
    tiered = ListingFactory(product=product, price_fen=7000)
    db.session.add(ListingPriceTier(listing=tiered, min_quantity=5, unit_price_fen=6000))
    ListingFactory(product=product, price_fen=100, active=False)  # not listed now
    cheap = OfflineSaleFactory(product=product, quantity=2, amount_fen=5998)  # 29.99 a unit < 30.00
    fair = OfflineSaleFactory(product=product, quantity=2, amount_fen=6000)
    dear = OfflineSaleFactory(product=product, quantity=1, amount_fen=14001)  # > 2 x 70.00
    unlisted = OfflineSaleFactory(amount_fen=1)
    refresh_risks([cheap.id, fair.id, dear.id, unlisted.id])
    found = risks(cheap, fair, dear, unlisted)
    assert found[cheap.id] == {RiskKind.UNIT_PRICE: {"side": "below", "low_fen": 6000, "high_fen": 7000,
                                                     "unit_fen": 2999}}
    assert found[dear.id][RiskKind.UNIT_PRICE]["side"] == "above"
    assert found[fair.id] == found[unlisted.id] == {}


def test_the_twenty_first_line_of_a_day_with_one_amount_marks_them_all(db_session) -> None:
    outlet, product = OutletFactory(), ProductFactory()
    lines = [OfflineSaleFactory(outlet=outlet, product=product, sale_date=DAY) for _ in range(20)]
    next_day = OfflineSaleFactory(outlet=outlet, product=product, sale_date=date(2026, 11, 3))
    refresh_risks([s.id for s in lines] + [next_day.id])
    assert not any(risks(*lines, next_day).values())
    last = OfflineSaleFactory(outlet=outlet, product=product, sale_date=DAY)
    refresh_risks([last.id])
    found = risks(*lines, last, next_day)
    assert found[lines[0].id] == {RiskKind.BURST: {"lines": 21, "amount_fen": 6800, "date": "2026-11-02"}}
    assert all(RiskKind.BURST in found[s.id] for s in [*lines, last])
    assert found[next_day.id] == {}
    last.state = "withdrawn"
    refresh_risks([last.id])
    assert not any(risks(*lines, last).values())


def test_a_line_matching_a_pickup_order_collected_that_day_in_shanghai(db_session) -> None:
    listing = ListingFactory(price_fen=6800)
    order = Order(number="LX-TEST-1", user=UserFactory(), outlet=listing.outlet, status="completed",
                  fulfilment="pickup", recipient="王小明", phone="13800001234", total_fen=13600)
    order.lines.append(OrderLine(listing=listing, product_id=listing.product_id, sku="S", name_zh="苹果",
                                 name_en="Apples", unit="箱", unit_price_fen=6800, quantity=2, line_total_fen=13600))
    db.session.add(order)
    db.session.flush()
    # 17:30 UTC on 2 November is 01:30 on 3 November in Shanghai
    db.session.add(OrderEvent(order_id=order.id, status="completed", action="collect",
                              created_at=datetime(2026, 11, 2, 17, 30, tzinfo=UTC)))
    same = dict(outlet=listing.outlet, product=listing.product, quantity=2, amount_fen=13600)
    twice = OfflineSaleFactory(sale_date=date(2026, 11, 3), **same)
    day_before = OfflineSaleFactory(sale_date=DAY, **same)
    other_amount = OfflineSaleFactory(sale_date=date(2026, 11, 3), **{**same, "amount_fen": 13000})
    refresh_risks([twice.id, day_before.id, other_amount.id])
    found = risks(twice, day_before, other_amount)
    assert found[twice.id] == {RiskKind.MATCHES_ORDER: {"order": "LX-TEST-1"}}
    assert found[day_before.id] == found[other_amount.id] == {}


def test_statements_do_not_grow_with_the_number_of_lines(db_session) -> None:
    def refresh(count: int) -> int:
        outlet = OutletFactory()
        lines = [OfflineSaleFactory(outlet=outlet, amount_fen=100) for _ in range(count)]
        ids = [s.id for s in lines]
        with counted() as seen:
            refresh_risks(ids)
        return len(seen)

    assert refresh(21) == refresh(600)  # a burst either way: 21 and 600 signals written


def test_no_lines_no_statements(db_session) -> None:
    with counted() as seen:
        refresh_risks([])
    assert seen == []


def test_after_lines_are_deleted_their_neighbours_are_judged_again(db_session) -> None:
    outlet, product = OutletFactory(), ProductFactory()
    day = [OfflineSaleFactory(outlet=outlet, product=product, sale_date=DAY) for _ in range(21)]
    elsewhere = OfflineSaleFactory(receipt_no=day[0].receipt_no)
    unrelated = OfflineSaleFactory()
    refresh_risks([s.id for s in [*day, elsewhere, unrelated]])
    assert RiskKind.RECEIPT_ELSEWHERE in risks(elsewhere)[elsewhere.id]
    assert RiskKind.BURST in risks(day[1])[day[1].id]
    doomed = day[0]
    others = neighbours([doomed.id])
    assert elsewhere.id in others and unrelated.id not in others and doomed.id not in others
    db.session.delete(doomed)
    db.session.flush()
    refresh_risks(list(others))
    assert not any(risks(elsewhere, *day[1:]).values())  # the receipt is at one outlet; 20 lines are no burst
    assert neighbours([]) == set()
