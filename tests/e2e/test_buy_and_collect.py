"""The storefront's whole path on a phone: a new visitor searches 苹果, opens a product, adds it to the
cart, registers, checks out for pickup and follows the order; the outlet makes it ready, the buyer reads the
pickup code on the order page, and at the counter a wrong code is refused while the right one hands the
order over and takes the cash in one step; the buyer sees that in the timeline. The outlet's pages are
driven in English, the language every new text has before its Chinese is merged."""

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
    staff.goto("/lang/en?next=/account/login")
    staff.get_by_label("Email").fill("outlet@example.com")
    staff.get_by_label("Password").fill(DEMO_PASSWORD)
    staff.get_by_role("button", name="Log in").click()
    staff.wait_for_url(re.compile(r"/outlet/$"))
    staff.goto("/outlet/orders")
    staff.locator(".order-list > li", has_text=number).get_by_role("link", name=number).click()
    staff.wait_for_url(re.compile(rf"/outlet/orders/{number}$"))
    assert staff.get_by_role("button", name="Mark completed").count() == 0  # the code is always required
    staff.get_by_role("button", name="Mark ready for pickup").click()
    staff.wait_for_url(re.compile(rf"/outlet/orders/{number}$"))

    page.reload()
    code = page.locator(".pickup-code").inner_text()
    assert re.fullmatch(r"\d{6}", code) and code not in staff.locator("main").inner_text()

    staff.get_by_role("link", name="Go to the counter").click()
    staff.wait_for_url(re.compile(r"/outlet/LX-O-001/counter$"))
    staff.get_by_label("Pickup code", exact=True).fill(f"{(int(code) + 1) % 1_000_000:06d}")
    staff.get_by_role("button", name="Hand over").click()
    assert "No order waiting for collection here has this code" in staff.locator("main .error").inner_text()
    page.reload()
    assert page.locator(".pickup-code").inner_text() == code  # the wrong code changed nothing
    staff.get_by_label("Pickup code", exact=True).fill(code)
    staff.get_by_role("button", name="Hand over").click()
    staff.wait_for_url(re.compile(rf"/outlet/LX-O-001/counter\?done={number}$"))
    assert number in staff.locator(".flashes").inner_text() and "in cash" in staff.locator(".flashes").inner_text()
    assert staff.evaluate("document.documentElement.scrollWidth") <= 390
    staff.goto("/outlet/orders?tab=completed")
    assert "Completed" in staff.locator(".order-list > li", has_text=number).locator("h2").inner_text()

    page.reload()
    assert "已完成" in page.locator("main .tag").first.inner_text()
    timeline = page.locator(".timeline li")
    assert timeline.count() == 3 and "已下单" in timeline.first.inner_text()
    assert page.locator(".pickup-code").count() == 0
    buyer.close()
    outlet.close()
