"""The county queue in a browser: one checkbox chooses every unverified line on the page for a bulk decision
(a progressive enhancement: without JavaScript it stays hidden and each line is ticked by hand). Driven in
English, the language every new text has before its Chinese is merged."""

from __future__ import annotations

import re

import pytest

from market.demo import DEMO_PASSWORD

pytestmark = pytest.mark.e2e


def log_in(page, email: str) -> None:
    page.goto("/lang/en?next=/account/login")
    page.get_by_label("Email").fill(email)
    page.get_by_label("Password").fill(DEMO_PASSWORD)
    page.get_by_role("button", name="Log in").click()
    page.wait_for_url(re.compile(r"/(county|account)/$"))


def test_select_all_chooses_every_unverified_line_on_the_page_and_verifies_them(phone, demo):
    log_in(phone, "county@example.com")
    phone.goto("/county/sales?state=unverified")
    boxes = phone.locator("tbody input[name=sale_ids]")
    count = boxes.count()
    assert count > 1
    everything = phone.get_by_label("Choose every unverified line on this page")
    everything.check()
    assert all(boxes.nth(i).is_checked() for i in range(count))
    boxes.first.uncheck()
    assert everything.evaluate("box => box.indeterminate") and not everything.is_checked()
    everything.check()
    phone.get_by_role("button", name="Verify the chosen lines").click()
    assert f"{count} lines verified." in phone.locator(".flashes").inner_text()


def test_without_javascript_the_select_all_box_stays_hidden(browser, live_server, demo):
    context = browser.new_context(java_script_enabled=False, base_url=live_server, locale="en")
    page = context.new_page()
    log_in(page, "county@example.com")
    page.goto("/county/sales?state=unverified")
    assert page.locator("#pick-all").is_hidden() and page.locator("tbody input[name=sale_ids]").first.is_visible()
    context.close()
