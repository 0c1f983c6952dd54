"""A buyer on a phone: search 苹果, open a product, see where it is sold and put it in the cart."""

from __future__ import annotations

import re

import pytest

pytestmark = pytest.mark.e2e


def test_search_open_a_product_see_its_outlets_and_buy_form(phone, demo):
    phone.goto("/")
    phone.locator("#site-search").fill("苹果")
    phone.locator("#site-search").press("Enter")
    phone.wait_for_url(re.compile(r"/search\?q="))
    cards = phone.locator(".product-card")
    assert cards.count() >= 3
    assert all("苹果" in name for name in phone.locator(".product-card .card-title").all_inner_texts()[:3])
    assert phone.evaluate("document.documentElement.scrollWidth") <= 390  # nothing overflows sideways

    cards.first.locator(".card-title a").click()
    phone.wait_for_url(re.compile(r"/product/LX-P-"))
    assert "苹果" in phone.locator("h1").inner_text()
    assert phone.locator(".gallery img").first.get_attribute("alt")  # the photo is described
    assert re.fullmatch(r"¥\d+\.\d{2}", phone.locator(".summary .price").inner_text())

    form = phone.locator("form.buy-form")
    offers = form.locator("input[name=listing_id]")
    assert offers.count() >= 1
    prices = [float(p.strip("¥").replace(",", "")) for p in form.locator(".offer-price").all_inner_texts()]
    assert prices == sorted(prices)  # cheapest first
    assert form.locator("input[name=listing_id]:checked").count() == 1
    quantity = form.locator("input[name=quantity]")
    assert quantity.get_attribute("type") == "number"
    assert int(quantity.input_value()) >= 1
    # Every radio has a visible label naming its outlet, so it can be chosen by touch or keyboard.
    first_id = offers.first.get_attribute("id")
    assert phone.locator(f"label[for={first_id}] .outlet-name").inner_text()
    assert phone.evaluate("document.documentElement.scrollWidth") <= 390

    form.locator("button[type=submit]").click()
    phone.wait_for_url(re.compile(r"/product/LX-P-"))
    assert phone.locator(".cart-link .count").inner_text() == "(1)"


def test_choosing_an_outlet_with_a_minimum_order_follows_it_in_the_quantity(phone, app):
    from tests.factories import ListingFactory, OutletFactory, ProductFactory

    product = ProductFactory(sku="LX-P-MIN", name_zh="单位团购装苹果")
    ListingFactory(product=product, outlet=OutletFactory(name="零售专柜"), price_fen=6800, stock=50, min_quantity=1)
    ListingFactory(product=product, outlet=OutletFactory(name="团购网店"), price_fen=6500, stock=50, min_quantity=5)
    phone.goto("/product/LX-P-MIN")
    quantity = phone.locator("form.buy-form input[name=quantity]")
    assert quantity.get_attribute("min") == "5" and quantity.input_value() == "5"  # the cheapest is preselected
    phone.locator("label", has_text="零售专柜").click()
    assert quantity.get_attribute("min") == "1" and quantity.input_value() == "5"
    quantity.fill("2")
    phone.locator("label", has_text="团购网店").click()
    assert quantity.get_attribute("min") == "5" and quantity.input_value() == "5"
