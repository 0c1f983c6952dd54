"""A new visitor and each demo account, in a real phone-sized browser."""

from __future__ import annotations

import re

import pytest

from market.demo import DEMO_PASSWORD

pytestmark = pytest.mark.e2e

AREAS = {
    "outlet@example.com": "/outlet/",
    "outlet2@example.com": "/outlet/",
    "county@example.com": "/county/",
    "county2@example.com": "/county/",
    "buyer@example.com": "/institution/",
    "admin@example.com": "/admin/",
    "consumer@example.com": "/account/",
}


def test_home_shows_certified_produce_in_chinese_then_english(phone, demo):
    phone.goto("/")
    assert phone.locator("html").get_attribute("lang") == "zh-CN"
    assert phone.locator("h1").inner_text() == "陇县认定特色农产品"
    prices = phone.locator(".card .price").all_inner_texts()
    assert prices and all(re.fullmatch(r"¥\d{1,3}(,\d{3})*\.\d{2}", p) for p in prices)
    phone.get_by_role("link", name="English").click()
    phone.wait_for_url(re.compile(r"/$"))
    assert phone.locator("html").get_attribute("lang") == "en"
    assert phone.locator("h1").inner_text() == "Certified specialty produce from Long County"
    # Nothing overflows sideways on a phone.
    assert phone.evaluate("document.documentElement.scrollWidth") <= 390


@pytest.mark.parametrize(("email", "area"), AREAS.items())
def test_each_demo_account_logs_in_through_the_form_and_reaches_its_area(phone, demo, email, area):
    phone.goto("/account/login")
    phone.get_by_label("邮箱").fill(email)
    phone.get_by_label("密码").fill(DEMO_PASSWORD)
    phone.get_by_role("button", name="登录").click()
    phone.wait_for_url(re.compile(re.escape(area) + "$"))  # each role lands on its own area
    response = phone.goto(area)
    assert response.status == 200
    assert phone.locator("h1").count() == 1
    if area != "/county/" and email != "admin@example.com":
        assert phone.goto("/county/").status == 403
        assert "无权访问" in phone.locator("h1").inner_text()


def test_anonymous_visitor_is_sent_to_login_and_back(phone, demo):
    phone.goto("/county/")
    assert "/account/login?next=/county/" in phone.url
    phone.get_by_label("邮箱").fill("county@example.com")
    phone.get_by_label("密码").fill(DEMO_PASSWORD)
    phone.get_by_role("button", name="登录").click()
    phone.wait_for_url(re.compile(r"/county/$"))
    assert phone.locator("h1").inner_text() == "县级管理"


def test_the_page_is_usable_with_the_keyboard(phone, demo):
    phone.goto("/")
    phone.keyboard.press("Tab")
    assert phone.evaluate("document.activeElement.className") == "skip-link"
    phone.keyboard.press("Enter")
    assert phone.url.endswith("#main")
