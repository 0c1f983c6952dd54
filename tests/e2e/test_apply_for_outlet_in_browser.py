"""A newly registered user applies for a counter on a phone, with two photos: a wrong check digit is refused at its
field, the application then shows as submitted with its outlet code, and the user still has no outlet area.

Driven in English, the language every new text of a change has before its Chinese is merged."""

from __future__ import annotations

import io
import re

import pytest
from PIL import Image

from tests.outlet_application_setup import ENTERPRISE, WRONG_CHECK_DIGIT

pytestmark = pytest.mark.e2e


def photo(name: str, colour: str) -> dict[str, object]:
    """A real PNG, as a file chosen in the browser."""
    buffer = io.BytesIO()
    Image.new("RGB", (640, 480), colour).save(buffer, "PNG")
    return {"name": name, "mimeType": "image/png", "buffer": buffer.getvalue()}


def register(page) -> None:
    """Create an account through the register form, in English."""
    page.goto("/lang/en?next=/account/register")
    page.get_by_label("Name").fill("New Applicant")
    page.get_by_label("Email").fill("new.applicant@example.com")
    page.get_by_label("Password", exact=True).fill("longxian-apply-1")
    page.get_by_label("Repeat password").fill("longxian-apply-1")
    page.get_by_label("I have read and accept the privacy policy").check()
    page.get_by_role("button", name="Create account").click()
    page.wait_for_url(re.compile(r"/account/$"))


def fill_form(page, credit_code: str) -> None:
    """Fill every field of the application form, tick the pledge and choose two photos."""
    page.get_by_label("Kind of outlet").select_option("counter")
    page.get_by_label("Outlet name (Chinese)").fill("城关镇帮扶专柜")
    page.get_by_label("Town").select_option(label="Chengguan Town")
    page.get_by_label("Address").fill("东大街1号")
    page.get_by_label("Floor area (m²)").fill("36")
    page.get_by_label("Opening hours").fill("08:00-20:00")
    page.get_by_label("Contact phone").fill("13800001234")
    page.get_by_label("Operator (as on the business licence)").fill("陇县东街商贸有限公司")
    page.get_by_label("Unified social credit code").fill(credit_code)
    page.get_by_label("Legal representative").fill("李明")
    page.get_by_label("Receiving bank", exact=True).fill("陇县农村商业银行")
    page.get_by_label("Account name").fill("陇县东街商贸有限公司")
    page.get_by_label("Account number").fill("2707 1234 5678 9012")
    page.locator("input[type=file]").set_input_files([photo("front.png", "green"), photo("counter.png", "red")])
    page.get_by_label(re.compile("I pledge that everything")).check()


def test_a_new_user_applies_for_a_counter_with_two_photos_on_a_phone(phone, demo):
    register(phone)
    phone.get_by_role("link", name="Apply to become a certified outlet").click()
    phone.wait_for_url(re.compile(r"/account/applications/new$"))
    fill_form(phone, WRONG_CHECK_DIGIT)
    phone.get_by_role("button", name="Submit application").click()
    error = phone.locator("#credit_code-error")
    assert "check digit" in error.inner_text()
    assert phone.get_by_label("Unified social credit code").get_attribute("aria-invalid") == "true"
    assert phone.locator(".error").count() == 1  # only that field
    fill_form(phone, ENTERPRISE)  # a browser forgets chosen files: choose them again
    phone.get_by_role("button", name="Submit application").click()
    phone.wait_for_url(re.compile(r"/account/applications/\d+$"))
    heading = phone.locator("h1").inner_text()
    assert re.fullmatch(r"Application for LX-O-\d{3}", heading)
    assert phone.locator(".tag").first.inner_text() == "Submitted"
    assert phone.locator("img[alt^='Premises photo']").count() == 2
    assert phone.evaluate("document.documentElement.scrollWidth") <= 390
    code = heading.removeprefix("Application for ")
    phone.goto("/account/applications")
    assert code in phone.locator("main").inner_text()
    response = phone.goto("/outlet/")
    assert response.status == 403  # still no outlet area
