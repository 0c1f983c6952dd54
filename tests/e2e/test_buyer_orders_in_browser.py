"""The buyer's order list on a phone: a consumer with an order waiting at the outlet lands on "to collect",
sees the products' thumbnails, and opens the order with its pickup code and where to collect it.

Driven in English, the language every new text of a change has before its Chinese is merged."""

from __future__ import annotations

import re

import pytest

from market.demo import DEMO_PASSWORD

pytestmark = pytest.mark.e2e


def test_a_consumer_lands_on_to_collect_with_thumbnails_on_a_phone(phone, demo):
    phone.goto("/lang/en?next=/account/login")
    phone.get_by_label("Email").fill("consumer@example.com")
    phone.get_by_label("Password").fill(DEMO_PASSWORD)
    phone.get_by_role("button", name="Log in").click()
    phone.wait_for_url(re.compile(r"/account/$"))
    phone.goto("/account/orders")
    tabs = phone.get_by_role("navigation", name="Order status")
    assert tabs.locator("[aria-current=page]").inner_text().startswith("To collect")
    thumbs = phone.locator(".order-list .order-products img")
    assert thumbs.count() >= 1
    thumbs.first.scroll_into_view_if_needed()
    for i in range(thumbs.count()):  # every thumbnail drawn: loaded and at its size on the phone
        thumbs.nth(i).scroll_into_view_if_needed()
        assert thumbs.nth(i).evaluate("img => img.complete && img.naturalWidth > 0")
        box = thumbs.nth(i).bounding_box()
        assert box and box["width"] >= 40 and box["height"] >= 30
    assert phone.locator('.order-list img[src^="/media/"]').count() >= 1  # listing photos, not only drawings
    assert phone.evaluate("document.documentElement.scrollWidth") <= 390

    ready = phone.locator(".order-list > li", has_text="Pickup code")
    assert ready.count() >= 1
    ready.first.locator("h2 a").click()
    phone.wait_for_url(re.compile(r"/account/orders/LX"))
    assert re.fullmatch(r"\d{6}", phone.locator(".pickup-code").inner_text())
    assert "Where and when to collect" in phone.locator("main").inner_text()
    assert phone.evaluate("document.documentElement.scrollWidth") <= 390
