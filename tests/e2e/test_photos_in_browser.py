"""Photos on a phone: outlet staff upload one, buyers see it on the card and the product page and tap it."""

from __future__ import annotations

import re

import pytest

from market.extensions import db
from market.models import OutletMembership
from tests import images
from tests.factories import PASSWORD, ListingFactory, OutletFactory, ProductFactory, UserFactory

pytestmark = pytest.mark.e2e


@pytest.fixture
def shop(app, tmp_path, monkeypatch):
    """A listing of 照片苹果 at LX-O-401, its staff member photo@example.com, and an empty upload folder."""
    monkeypatch.setitem(app.config, "MARKET_UPLOADS", str(tmp_path / "uploads"))
    outlet = OutletFactory(code="LX-O-401", name="照片专柜")
    listing = ListingFactory(outlet=outlet, product=ProductFactory(sku="LX-P-PHOTO", name_zh="照片苹果 5kg"),
                             price_fen=6800, stock=20)
    user = UserFactory(email="photo@example.com", roles_given=("outlet_staff",))
    db.session.add(OutletMembership(outlet=outlet, user=user, is_owner=True))
    db.session.commit()
    return listing.id


def loaded(page, selector: str) -> int:
    """The natural width of the image the selector finds, once it has loaded (0: broken)."""
    return page.locator(selector).first.evaluate("img => img.decode().then(() => img.naturalWidth, () => 0)")


def tap(page, locator) -> None:
    """Tap the middle of what the locator finds, as a finger would (whatever element lies on top there)."""
    locator.scroll_into_view_if_needed()
    box = locator.bounding_box()
    assert box is not None
    page.touchscreen.tap(box["x"] + box["width"] / 2, box["y"] + box["height"] / 2)


def test_staff_upload_a_photo_and_buyers_see_and_tap_it(phone, shop, tmp_path):
    photo_file = tmp_path / "IMG_0001.jpg"
    photo_file.write_bytes(images.jpeg_with_gps_and_rotation((2000, 1500)))
    phone.goto("/lang/en?next=/account/login")
    phone.get_by_label("Email").fill("photo@example.com")
    phone.get_by_label("Password").fill(PASSWORD)
    phone.get_by_label("Password").press("Enter")
    phone.wait_for_url(re.compile(r"/outlet/"))

    phone.goto(f"/outlet/LX-O-401/listings/{shop}/photos")
    assert phone.locator("#camera").get_attribute("capture") == "environment"
    phone.locator("#photos").set_input_files(str(photo_file))
    phone.get_by_role("button", name="Upload").click()
    phone.wait_for_url(re.compile(rf"/listings/{shop}/photos$"))
    assert "Photos added: 1." in phone.locator(".flashes").inner_text()
    assert loaded(phone, ".photo-list img") == 400 * 3 // 4  # the upright thumbnail: 300 × 400
    assert phone.evaluate("document.documentElement.scrollWidth") <= 390

    phone.goto("/lang/zh?next=/")  # back to Chinese for the buyer's part
    phone.goto("/search?q=照片苹果")
    card = phone.locator(".product-card", has_text="照片苹果")
    assert "/media/listings/" in card.locator("img.thumb").get_attribute("src")
    assert loaded(phone, ".product-card img.thumb") > 0
    tap(phone, card.locator("img.thumb"))  # the picture opens the product, not only its name
    phone.wait_for_url(re.compile(r"/product/LX-P-PHOTO"))
    main = phone.locator(".gallery .main-photo img")
    assert loaded(phone, ".gallery .main-photo img") == 1200  # rotated upright, longest side 1600
    assert main.get_attribute("alt") == "照片苹果 5kg"
    box = main.bounding_box()
    assert box is not None and box["width"] <= 390 and box["height"] > 100
    assert phone.evaluate("document.documentElement.scrollWidth") <= 390

    phone.goto("/search?q=照片苹果")
    tap(phone, phone.locator(".product-card .price").first)  # so does its price
    phone.wait_for_url(re.compile(r"/product/LX-P-PHOTO"))
    phone.locator(".gallery .main-photo").click()  # the photo opens full size
    phone.wait_for_url(re.compile(r"/media/listings/[0-9a-f]{32}\.jpg$"))
