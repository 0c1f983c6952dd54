"""The account page on a phone: logging out everywhere else, and the way to close the account.

Driven in English, the language every new text of a change has before its Chinese is merged."""

from __future__ import annotations

import re

import pytest

from market.demo import DEMO_PASSWORD

pytestmark = pytest.mark.e2e


def _log_in(page, email="consumer@example.com"):
    page.goto("/lang/en?next=/account/login")
    page.get_by_label("Email").fill(email)
    page.get_by_label("Password").fill(DEMO_PASSWORD)
    page.get_by_role("button", name="Log in").click()
    page.wait_for_url(re.compile(r"/account/$"))


def test_log_out_everywhere_else_on_a_phone_keeps_this_browser_logged_in(phone, demo, browser, live_server):
    laptop = browser.new_context(base_url=live_server, locale="zh-CN").new_page()
    try:
        _log_in(laptop)
        _log_in(phone)
        phone.get_by_role("button", name="Log out everywhere else").click()
        phone.wait_for_url(re.compile(r"/account/$"))
        assert "logged out everywhere else" in phone.locator(".flashes").inner_text()
        assert phone.evaluate("document.documentElement.scrollWidth") <= 390
        laptop.goto("/account/orders")
        assert "/account/login" in laptop.url
        phone.goto("/account/orders")
        assert phone.url.endswith("/account/orders")
    finally:
        laptop.context.close()


def test_the_close_account_page_fits_a_phone_and_says_what_is_kept(phone, demo):
    _log_in(phone)
    phone.get_by_role("link", name="Close my account…").click()
    phone.wait_for_url(re.compile(r"/account/close$"))
    assert phone.locator("h1").inner_text() == "Close your account"
    assert "已注销用户" in phone.locator("main").inner_text()
    assert phone.evaluate("document.documentElement.scrollWidth") <= 390
