"""The order desk in a browser: outlet@example.com cancels a consumer's order (confirmation asked, reason
required) and the consumer reads the reason on the order page; a pay-at-pickup order made ready is refused a
wrong code at the counter and collected (and paid) with the right one; the pick list prints without the site's
header. The outlet's pages are driven in English, the language every new text has before its Chinese is merged."""

from __future__ import annotations

import re

import pytest
import sqlalchemy as sa

from market import clock
from market.demo import DEMO_PASSWORD
from market.domain.dates import business_date
from market.extensions import db
from market.models import Listing, Order, Outlet, User
from market.payments import get_provider
from market.services.ordering import cart as carts
from market.services.ordering.checkout import Delivery, place_orders

pytestmark = pytest.mark.e2e


def consumer_order_at_the_hall() -> str:
    """consumer@example.com orders one unit at LX-O-001 for pickup, paid at the outlet; its number."""
    user = db.session.scalar(sa.select(User).where(User.email == "consumer@example.com"))
    listing = db.session.scalars(sa.select(Listing).join(Outlet).where(Outlet.code == "LX-O-001", Listing.stock > 2)
                                 .order_by(Listing.id)).first()
    cart = carts.get_or_create_cart(user, None)
    now = clock.now()
    carts.add(cart, listing.id, max(1, listing.min_quantity), business_date(now))
    (order,) = place_orders(user, cart, Delivery("pickup", "张三", "13712345678"), get_provider("pickup"), now)
    db.session.commit()
    return order.number


def log_in(page, email: str) -> None:
    page.goto("/lang/en?next=/account/login")
    page.get_by_label("Email").fill(email)
    page.get_by_label("Password").fill(DEMO_PASSWORD)
    page.get_by_role("button", name="Log in").click()
    page.wait_for_url(re.compile(r"/(outlet|account)/$"))


def test_the_outlet_cancels_with_a_confirmed_reason_that_the_buyer_reads(phone, demo):
    number = consumer_order_at_the_hall()
    log_in(phone, "outlet@example.com")
    phone.goto(f"/outlet/orders?q={number}")
    phone.get_by_role("link", name=number).click()
    phone.wait_for_url(re.compile(rf"/outlet/orders/{number}$"))
    phone.get_by_role("link", name="Cancel order").click()
    phone.wait_for_url(re.compile(rf"/outlet/orders/{number}/cancel$"))
    assert "The buyer sees your reason" in phone.locator("main").inner_text()
    phone.get_by_role("button", name="Yes, cancel the order").click()  # no reason yet
    assert "This field is required." in phone.locator("main .error").inner_text()
    phone.get_by_label("Reason (the buyer sees it)").fill("货品临期，无法出售")
    phone.get_by_role("button", name="Yes, cancel the order").click()
    phone.wait_for_url(re.compile(rf"/outlet/orders/{number}$"))
    assert "Cancelled" in phone.locator("h1 .tag").inner_text()
    assert phone.evaluate("document.documentElement.scrollWidth") <= 390

    phone.context.clear_cookies()
    log_in(phone, "consumer@example.com")
    phone.goto(f"/account/orders/{number}")
    assert "货品临期，无法出售" in phone.locator("main").inner_text()


def test_a_pay_at_pickup_order_is_collected_and_paid_only_with_its_code(phone, demo):
    number = consumer_order_at_the_hall()
    log_in(phone, "outlet@example.com")
    phone.goto(f"/outlet/orders/{number}")
    phone.get_by_role("button", name="Mark ready for pickup").click()
    phone.wait_for_url(re.compile(rf"/outlet/orders/{number}$"))
    assert "Ready for pickup" in phone.locator("h1 .tag").inner_text()
    code = db.session.scalar(sa.select(Order.pickup_code).where(Order.number == number))  # what the buyer shows
    phone.get_by_role("link", name="Go to the counter").click()
    field = phone.get_by_label("Pickup code", exact=True)
    waiting = set(db.session.scalars(sa.select(Order.pickup_code).where(Order.status == "ready_for_pickup")))
    wrong = next(c for c in (f"{(int(code) + n) % 1_000_000:06d}" for n in range(1, 100)) if c not in waiting)
    field.fill(wrong)  # a code no order of the hall is waiting with
    phone.get_by_role("button", name="Hand over").click()
    assert "No order waiting for collection here has this code" in phone.locator("main .error").inner_text()
    db.session.rollback()
    assert db.session.scalar(sa.select(Order.status).where(Order.number == number)) == "ready_for_pickup"
    field.fill(code)
    phone.get_by_role("button", name="Hand over").click()
    phone.wait_for_url(re.compile(rf"/counter\?done={number}$"))
    assert "in cash" in phone.locator(".flashes").inner_text()
    db.session.rollback()
    order = db.session.scalar(sa.select(Order).where(Order.number == number))
    assert order.status == "completed" and order.paid_at is not None and order.payment.status == "succeeded"


def test_the_pick_list_prints_only_the_list(phone, demo):
    number = consumer_order_at_the_hall()
    log_in(phone, "outlet@example.com")
    phone.goto("/outlet/orders")
    phone.get_by_role("link", name="Pick list to print").click()
    phone.wait_for_url(re.compile(r"/outlet/orders/pick-list"))
    assert number in phone.locator(".printout").inner_text()
    phone.emulate_media(media="print")
    assert not phone.locator(".site-header").is_visible() and not phone.locator(".print-help").is_visible()
    assert phone.locator(".printout").is_visible()
