"""The storefront's whole path on a phone: a new visitor searches 苹果, opens a product, adds it to the
cart, registers, checks out for pickup and follows the order; the outlet marks it paid on collection
and completed, and the buyer sees that in the timeline."""

from __future__ import annotations

import re

import pytest

from market.demo import DEMO_PASSWORD

pytestmark = pytest.mark.e2e
HALL = "陇县消费帮扶馆"  # LX-O-001, whose owner is outlet@example.com


def _open_a_product_sold_at_the_hall(page) -> None:
    page.goto("/")
    page.locator("#site-search").fill("苹果")
    page.locator("#site-search").press("Enter")
    page.wait_for_url(re.compile(r"/search\?q="))
    links = page.locator(".product-card .card-title a").evaluate_all("els => els.map(e => e.href)")
    for href in links:
        page.goto(href)
        offer = page.locator("form.buy-form label", has_text=HALL)
        if offer.count() and page.locator(f"#{offer.first.get_attribute('for')}").is_enabled():
            offer.first.click()
            return
    pytest.fail(f"no apple product is sold at {HALL}")


def test_a_new_visitor_buys_for_pickup_and_the_outlet_completes_the_order(browser, live_server, demo):
    buyer = browser.new_context(viewport={"width": 390, "height": 844}, is_mobile=True, has_touch=True,
                                locale="zh-CN", base_url=live_server)
    page = buyer.new_page()
    page.set_default_timeout(15_000)
    _open_a_product_sold_at_the_hall(page)
    product = page.locator("h1").inner_text()
    page.locator("form.buy-form button[type=submit]").click()
    page.wait_for_url(re.compile(r"/product/"))
    assert "已加入购物车" in page.locator(".flashes").inner_text()

    page.locator(".cart-link").click()
    page.wait_for_url(re.compile(r"/cart/$"))
    assert product in page.locator("main").inner_text()
    page.get_by_role("link", name="去结算").click()
    page.wait_for_url(re.compile(r"/account/login\?next=/cart/checkout"))
    page.locator("main").get_by_role("link", name="注册").click()
    page.get_by_label("姓名").fill("李华")
    page.get_by_label("邮箱").fill("lihua@example.com")
    page.get_by_label("手机号码（选填）").fill("13912345678")
    page.get_by_label("密码", exact=True).fill("lihua-secret-1")
    page.get_by_label("再次输入密码").fill("lihua-secret-1")
    page.get_by_label("我已阅读并同意隐私政策").check()
    page.get_by_role("button", name="注册").click()
    page.wait_for_url(re.compile(r"/cart/checkout$"))
    assert page.get_by_label("到店自提").is_checked()
    assert page.get_by_label("自提时在网点付款").is_checked()
    page.get_by_role("button", name="提交订单").click()
    page.wait_for_url(re.compile(r"/account/orders/LX"))
    number = page.url.rsplit("/", 1)[1]
    assert "已下单" in page.locator(".timeline").inner_text()
    assert page.evaluate("document.documentElement.scrollWidth") <= 390

    outlet = browser.new_context(viewport={"width": 390, "height": 844}, locale="zh-CN", base_url=live_server)
    staff = outlet.new_page()
    staff.set_default_timeout(15_000)
    staff.goto("/account/login")
    staff.get_by_label("邮箱").fill("outlet@example.com")
    staff.get_by_label("密码").fill(DEMO_PASSWORD)
    staff.get_by_role("button", name="登录").click()
    staff.wait_for_url(re.compile(r"/outlet/$"))
    staff.goto("/outlet/orders")
    order = staff.locator("section.panel", has_text=number)
    order.get_by_role("button", name="自提时已收款").click()
    staff.wait_for_url(re.compile(r"/outlet/orders"))
    staff.locator("section.panel", has_text=number).get_by_role("button", name="标记为已完成").click()
    staff.wait_for_url(re.compile(r"/outlet/orders"))
    assert staff.locator("section.panel", has_text=number).count() == 0  # no longer among the open orders
    staff.goto("/outlet/orders?status=completed")
    assert "已完成" in staff.locator("section.panel", has_text=number).locator("h2").inner_text()

    page.reload()
    timeline = page.locator(".timeline").inner_text()
    assert "已下单" in timeline and "已付款" in timeline and "已完成" in timeline
    buyer.close()
    outlet.close()
