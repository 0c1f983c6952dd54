"""The buyer's order history: tab counts, the tab that opens, paging, pictures, and a fixed number of queries."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager

import sqlalchemy as sa

from market.domain.buyer_tabs import BuyerTab
from market.domain.order_flow import Action, Actor
from market.domain.payment_flow import PaymentAction
from market.extensions import db
from market.models import ListingPhoto, User
from market.services.ordering import history, payments
from market.services.ordering import orders as order_service
from tests.factories import UserFactory
from tests.services.ordering_setup import now, place


@contextmanager
def statements() -> Iterator[list[str]]:
    """The SQL statements run inside the block."""
    seen: list[str] = []

    def record(_conn, _cursor, statement, *_args) -> None:
        seen.append(statement)

    sa.event.listen(db.engine, "before_cursor_execute", record)
    try:
        yield seen
    finally:
        sa.event.remove(db.engine, "before_cursor_execute", record)


def staff():
    return UserFactory(roles_given=("outlet_staff",))


def received(buyer):
    """A delivery order paid, shipped and received by the buyer."""
    (order,) = place(1, buyer=buyer)
    payments.confirm_paid(order.payment, order.payment.amount_fen, "cny", f"pi_{order.id}", now())
    order_service.apply(order, Action.SHIP, Actor.OUTLET, staff(), now())
    order_service.apply(order, Action.COMPLETE, Actor.BUYER, buyer, now())
    return order


def one_of_each(buyer):
    """One order of the buyer in every tab; returns them by tab."""
    (to_pay,) = place(1, buyer=buyer)  # delivery, paid online, not yet paid
    (collect,) = place(1, provider="pickup", buyer=buyer)  # cash at the outlet: "to collect", not "to pay"
    (shipped,) = place(1, buyer=buyer)
    payments.confirm_paid(shipped.payment, shipped.payment.amount_fen, "cny", "pi_ship", now())
    order_service.apply(shipped, Action.SHIP, Actor.OUTLET, staff(), now())
    done = received(buyer)
    (refund,) = place(1, buyer=buyer)
    payments.confirm_paid(refund.payment, refund.payment.amount_fen, "cny", "pi_refund", now())
    order_service.apply(refund, Action.REFUND, Actor.OUTLET, staff(), now())
    (cancelled,) = place(1, provider="pickup", buyer=buyer)
    order_service.apply(cancelled, Action.CANCEL, Actor.OUTLET, staff(), now(), note="苹果已售完")
    db.session.commit()
    return {BuyerTab.TO_PAY: to_pay, BuyerTab.TO_COLLECT: collect, BuyerTab.SHIPPED: shipped,
            BuyerTab.COMPLETED: done, BuyerTab.REFUNDS: refund, BuyerTab.CANCELLED: cancelled}


def test_every_tab_counts_its_orders_and_lists_only_them(db_session):
    buyer = UserFactory()
    by_tab = one_of_each(buyer)
    place(3, 2, provider="pickup")  # another buyer's orders never count
    for tab, order in by_tab.items():
        found = history.buyer_history(buyer, tab, 1)
        assert found.counts == dict.fromkeys(BuyerTab, 1)
        assert (found.tab, [o.number for o in found.orders]) == (tab, [order.number])


def test_the_list_opens_on_the_first_tab_with_orders(db_session):
    buyer = UserFactory()
    assert history.buyer_history(buyer, None, 1).tab is BuyerTab.TO_PAY  # nothing at all
    place(1, provider="pickup", buyer=buyer)
    received(buyer)
    found = history.buyer_history(buyer, None, 1)
    assert found.tab is BuyerTab.TO_COLLECT and len(found.orders) == 1
    place(1, buyer=buyer)  # an online order not yet paid comes first
    assert history.buyer_history(buyer, None, 1).tab is BuyerTab.TO_PAY


def test_a_tab_is_paged_newest_first_and_a_page_too_far_shows_the_last(db_session):
    buyer = UserFactory()
    placed = place(*[1] * 12, provider="pickup", buyer=buyer)
    newest_first = [o.number for o in sorted(placed, key=lambda o: o.id, reverse=True)]
    first = history.buyer_history(buyer, BuyerTab.TO_COLLECT, 1)
    assert (first.page.pages, first.page.has_next) == (2, True)
    assert [o.number for o in first.orders] == newest_first[:10]
    last = history.buyer_history(buyer, BuyerTab.TO_COLLECT, 99)
    assert last.page.number == 2 and [o.number for o in last.orders] == newest_first[10:]
    assert history.buyer_history(buyer, BuyerTab.SHIPPED, 1).orders == []


def test_each_line_has_its_listings_first_photo_or_else_its_category_drawing(db_session):
    buyer = UserFactory()
    (order,) = place(1, provider="pickup", buyer=buyer)
    (other,) = place(1, provider="pickup", buyer=buyer)
    listing_id = order.lines[0].listing_id
    db.session.add_all([
        ListingPhoto(listing_id=listing_id, key="listings/b.jpg", thumb_key="listings/b-thumb.jpg", width=4, height=3,
                     position=1),
        ListingPhoto(listing_id=listing_id, key="listings/a.jpg", thumb_key="listings/a-thumb.jpg", width=4, height=3,
                     position=0),
    ])
    db.session.commit()
    pictures = history.buyer_history(buyer, None, 1).pictures
    assert pictures[listing_id].thumb_key == "listings/a-thumb.jpg"
    bare = pictures[other.lines[0].listing_id]
    assert bare.thumb_key is None and bare.category_code == other.lines[0].listing.product.category.code


def test_a_page_costs_the_same_queries_with_one_order_or_ten(db_session):
    few, many = UserFactory(), UserFactory()
    place(2, provider="pickup", buyer=few)
    place(*[1] * 10, provider="pickup", buyer=many)
    place(*[1] * 10, provider="pickup", buyer=many)  # a second checkout: two pages
    few_id, many_id = few.id, many.id
    db.session.expunge_all()
    few = db.session.get(User, few_id)
    with statements() as one:
        found = history.buyer_history(few, None, 1)
        [(line.name_zh, o.outlet.name) for o in found.orders for line in o.lines]
    db.session.expunge_all()
    many = db.session.get(User, many_id)
    with statements() as ten:
        found = history.buyer_history(many, None, 1)
        rendered = [(line.name_zh, o.outlet.name) for o in found.orders for line in o.lines]
    assert len(found.orders) == 10 and len(rendered) == 10
    assert len(ten) == len(one) <= 4  # tab counts, the page with outlets, its lines, the pictures


def test_why_an_order_was_cancelled(db_session):
    buyer = UserFactory()
    by_outlet, by_buyer, expired = place(1, 1, 1, provider="pickup", buyer=buyer)
    order_service.apply(by_outlet, Action.CANCEL, Actor.OUTLET, staff(), now(), note="苹果已售完")
    order_service.apply(by_buyer, Action.CANCEL, Actor.BUYER, buyer, now())
    order_service.apply(expired, Action.EXPIRE, Actor.SYSTEM, None, now(), note="hold expired")
    (unpaid,) = place(1, buyer=buyer)
    payments.fail(unpaid.payment, now(), PaymentAction.FAIL)
    db.session.commit()
    for order in (by_outlet, by_buyer, expired, unpaid):
        db.session.refresh(order)
    assert history.closing(by_outlet) == history.Closing("outlet", "苹果已售完")
    assert history.closing(by_buyer) == history.Closing("buyer", None)
    assert history.closing(expired) == history.Closing("expiry", None)
    assert history.closing(unpaid) == history.Closing("payment", None)
    (open_order,) = place(1, provider="pickup", buyer=buyer)
    assert history.closing(open_order) is None
