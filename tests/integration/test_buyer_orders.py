"""The buyer's order pages: tabs that open where the orders are, names and thumbnails, paging, and an order
page that says where and when to collect, the pickup code, why an order was cancelled and its tracking."""

from __future__ import annotations

import re

import sqlalchemy as sa

from market.domain.order_flow import Action, Actor
from market.extensions import db
from market.models import ListingPhoto, Order
from market.services.ordering import orders as order_service
from market.services.ordering import payments
from tests.factories import PASSWORD, UserFactory
from tests.services.ordering_setup import now, place

EMAIL = "buyer@example.com"


def login(auth, email=EMAIL):
    """A consumer with this email, logged in, reading English (the new strings' Chinese is merged later)."""
    buyer = UserFactory(email=email)
    auth.login(email, PASSWORD)
    auth.client.get("/lang/en")
    return buyer


def staff():
    return UserFactory(roles_given=("outlet_staff",))


def html(client, path):
    response = client.get(path)
    assert response.status_code == 200, path
    return response.get_data(as_text=True)


def current_tab(page: str) -> str:
    """The tab the page marks as open."""
    (tab,) = re.findall(r'href="/account/orders\?tab=(\w+)" aria-current="page"', page)
    return tab


def numbers(page: str) -> list[str]:
    """The order numbers listed, in order."""
    return re.findall(r'href="/account/orders/(LX\w+)"', page)


def shipped_and_received(buyer) -> Order:
    (order,) = place(1, buyer=buyer)
    payments.confirm_paid(order.payment, order.payment.amount_fen, "cny", f"pi_{order.id}", now())
    order_service.apply(order, Action.SHIP, Actor.OUTLET, staff(), now())
    order_service.apply(order, Action.COMPLETE, Actor.BUYER, buyer, now())
    db.session.commit()
    return order


def test_the_list_opens_on_to_collect_with_names_and_thumbnails(client, auth, app):
    buyer = login(auth)
    shipped_and_received(buyer)
    with_photo, without = place(2, 1, provider="pickup", buyer=buyer)  # cash at the outlet: to collect
    db.session.add(ListingPhoto(listing_id=with_photo.lines[0].listing_id, key="listings/p.jpg",
                                thumb_key="listings/p-thumb.jpg", width=400, height=300))
    db.session.commit()
    page = html(client, "/account/orders")
    assert current_tab(page) == "to_collect"
    assert with_photo.number in page and without.number in page
    assert with_photo.lines[0].name_en in page and without.lines[0].name_en in page
    assert 'src="/media/listings/p-thumb.jpg"' in page
    assert re.search(r'src="/static/img/placeholders/\w+\.svg"', page)  # no photo: the category's drawing
    assert "To collect (2)" in page and "Completed (1)" in page and "To pay (0)" in page
    done = html(client, "/account/orders?tab=completed")
    assert current_tab(done) == "completed" and with_photo.number not in done


def test_a_long_history_is_paged_within_its_tab(client, auth, app):
    buyer = login(auth)
    placed = place(*[1] * 12, provider="pickup", buyer=buyer)
    oldest = min(placed, key=lambda o: o.id).number
    first = html(client, "/account/orders")
    assert first.count('class="panel"') == 10 and oldest not in first
    assert 'href="/account/orders?tab=to_collect&amp;page=2" rel="next"' in first
    second = html(client, "/account/orders?tab=to_collect&page=2")
    assert second.count('class="panel"') == 2 and oldest in second
    assert 'href="/account/orders?tab=to_collect&amp;page=1" rel="prev"' in second
    odd = html(client, "/account/orders?tab=nonsense&page=%FF")  # unknown values: the default tab, page 1
    assert current_tab(odd) == "to_collect" and numbers(odd) == numbers(first) and len(numbers(first)) == 10


def test_a_buyer_with_no_orders_is_told_so(client, auth, app):
    login(auth)
    page = html(client, "/account/orders")
    assert "You have no orders yet." in page
    assert current_tab(page) == "to_pay"


def test_the_order_page_says_where_and_when_to_collect_and_the_code(client, auth, app):
    buyer = login(auth)
    (order,) = place(2, provider="pickup", buyer=buyer)
    outlet = order.outlet
    outlet.pickup_address, outlet.opening_hours = "城关镇东大街12号", "每天 8:30–19:00"
    outlet.shop_phone = "0917-4561234"
    db.session.commit()
    waiting = html(client, f"/account/orders/{order.number}")
    assert "城关镇东大街12号" in waiting and "每天 8:30–19:00" in waiting and 'href="tel:0917-4561234"' in waiting
    assert "Where and when to collect" in waiting and "pickup code" in waiting
    assert 'class="pickup-code"' not in waiting  # not ready: no code yet
    order_service.apply(order, Action.READY, Actor.OUTLET, staff(), now())
    db.session.execute(sa.update(Order).where(Order.id == order.id).values(pickup_code="482913"))
    db.session.commit()
    ready = html(client, f"/account/orders/{order.number}")
    assert re.search(r'class="pickup-code">482913<', ready)
    assert "482913" in html(client, "/account/orders")


def test_the_buyer_sees_why_the_outlet_cancelled(client, auth, app):
    buyer = login(auth)
    (order,) = place(1, provider="pickup", buyer=buyer)
    order_service.apply(order, Action.CANCEL, Actor.OUTLET, staff(), now(), note="苹果已售完，抱歉")
    db.session.commit()
    page = html(client, f"/account/orders/{order.number}")
    assert "The outlet cancelled this order." in page and "苹果已售完，抱歉" in page
    assert "Where and when to collect" not in page  # nothing left to collect
    assert current_tab(html(client, "/account/orders")) == "cancelled"


def test_a_shipped_order_shows_its_carrier_and_tracking_number(client, auth, app):
    buyer = login(auth)
    (order,) = place(1, buyer=buyer)
    payments.confirm_paid(order.payment, order.payment.amount_fen, "cny", "pi_track", now())
    order_service.apply(order, Action.SHIP, Actor.OUTLET, staff(), now())
    db.session.execute(sa.update(Order).where(Order.id == order.id)
                       .values(carrier="顺丰速运", tracking_number="SF1234567890"))
    db.session.commit()
    page = html(client, f"/account/orders/{order.number}")
    assert "顺丰速运" in page and "SF1234567890" in page
    assert current_tab(html(client, "/account/orders")) == "shipped"


def test_another_buyer_sees_neither_the_order_nor_its_count(client, auth, app):
    buyer = UserFactory(email="first@example.com")
    (order,) = place(1, provider="pickup", buyer=buyer)
    login(auth, "second@example.com")
    assert client.get(f"/account/orders/{order.number}").status_code == 404
    page = html(client, "/account/orders?tab=to_collect")
    assert order.number not in page and "(1)" not in page
