"""The outlet's listing pages, used as outlet staff would: list a product with a price tier and see it on the
storefront, record a restock and a damage write-off in the stock log, and never reach another outlet's listings."""

from __future__ import annotations

import re

import pytest
import sqlalchemy as sa

from market.extensions import db
from market.models import Listing, ListingPriceTier, OutletMembership, StockMovement
from tests.conftest import csrf_token
from tests.factories import PASSWORD, ListingFactory, OutletFactory, ProductFactory, UserFactory


@pytest.fixture
def outlet_staff(client, auth):
    """LX-O-001 with one listing (stock 10) and its logged-in staff member; LX-O-002 with its own listing."""
    outlet = OutletFactory(code="LX-O-001", name="陇州苹果专柜")
    listing = ListingFactory(outlet=outlet, stock=10, price_fen=6800)
    other = OutletFactory(code="LX-O-002")
    their_listing = ListingFactory(outlet=other, stock=7)
    staff = UserFactory(email="outlet@example.com", name="店员小李", roles_given=("outlet_staff",))
    db.session.add(OutletMembership(user_id=staff.id, outlet_id=outlet.id, is_owner=True))
    db.session.commit()
    assert auth.login("outlet@example.com", PASSWORD).status_code == 302
    return {"outlet": outlet, "listing": listing, "staff": staff, "their_listing": their_listing}


def post(client, page: str, action: str, data: dict[str, str]):
    """Submit a form of `page` (its CSRF token) to `action`."""
    return client.post(action, data={"csrf_token": csrf_token(client, page), **data})


def test_staff_list_a_product_with_a_price_tier_and_buyers_see_both(client, outlet_staff):
    product = ProductFactory(sku="LZ-HONEY-500", name_zh="中蜂蜂蜜")
    new_page = "/outlet/LX-O-001/listings/new"
    assert "中蜂蜂蜜" in client.get(new_page).get_data(as_text=True)
    created = post(client, new_page, new_page, {
        "product_id": str(product.id), "price": "¥1,234.50", "unit": "瓶", "stock": "40", "min_quantity": "2",
        "season_start": "", "season_end": "", "active": "y"})
    assert created.status_code == 302
    listing = db.session.scalar(sa.select(Listing).where(Listing.product_id == product.id))
    assert (listing.price_fen, listing.unit, listing.stock, listing.min_quantity) == (123450, "瓶", 40, 2)
    page = created.headers["Location"]
    added = post(client, page, f"{page}/tiers", {"tier-min_quantity": "10", "tier-price": "1,100"})
    assert added.status_code == 302
    assert [(t.min_quantity, t.unit_price_fen) for t in db.session.scalars(sa.select(ListingPriceTier))] == [
        (10, 110000)]
    assert f'href="{page}/photos"' in client.get(page).get_data(as_text=True)  # the photos part of the portal
    shown = client.get("/product/LZ-HONEY-500").get_data(as_text=True)
    assert "¥1,234.50" in shown and "¥1,100.00" in shown and "offer-tiers" in shown
    listed = client.get("/outlet/LX-O-001/listings").get_data(as_text=True)
    assert "中蜂蜂蜜" in listed and "¥1,234.50" in listed


@pytest.mark.parametrize(("price", "message"), [
    ("12,5", "12,50"), ("-1", "negative"), ("1e3", "1,234.50"), ("12.505", "two decimals"), ("", "required"),
    ("2,000.01", "¥2,000.00"),
])
def test_a_price_the_parser_refuses_is_shown_at_the_field_and_nothing_is_saved(client, outlet_staff, price, message):
    listing = outlet_staff["listing"]
    page = f"/outlet/LX-O-001/listings/{listing.id}"
    client.get("/lang/en")
    refused = post(client, page, page, {"price": price, "unit": "箱", "min_quantity": "1"})
    assert refused.status_code == 422
    assert message in refused.get_data(as_text=True)
    db.session.expire_all()
    assert db.session.get(Listing, listing.id).price_fen == 6800


def test_a_restock_and_a_damage_write_off_appear_in_the_stock_log(client, outlet_staff):
    listing = outlet_staff["listing"]
    page = f"/outlet/LX-O-001/listings/{listing.id}"
    assert post(client, page, f"{page}/stock", {"stock-reason": "restock", "stock-quantity": "25"}).status_code == 302
    assert post(client, page, f"{page}/stock", {"stock-reason": "damage", "stock-quantity": "3"}).status_code == 302
    too_many = post(client, page, f"{page}/stock", {"stock-reason": "damage", "stock-quantity": "33"})
    assert too_many.status_code == 422
    db.session.expire_all()
    assert db.session.get(Listing, listing.id).stock == 32
    log = [(m.change, m.stock_after, m.reason, m.actor_id) for m in db.session.scalars(
        sa.select(StockMovement).where(StockMovement.listing_id == listing.id).order_by(StockMovement.id))]
    staff_id = outlet_staff["staff"].id
    assert log == [(25, 35, "restock", staff_id), (-3, 32, "damage", staff_id)]
    shown = client.get(page).get_data(as_text=True)
    assert re.search(r"<td>\+25</td>\s*<td>35</td>", shown) and re.search(r"<td>-3</td>\s*<td>32</td>", shown)
    assert shown.count("<td>店员小李</td>") == 2


def test_the_active_toggle_stops_and_resumes_offering_a_listing(client, outlet_staff):
    listing = outlet_staff["listing"]
    action = f"/outlet/LX-O-001/listings/{listing.id}/active"
    assert post(client, "/outlet/LX-O-001/listings", action, {}).status_code == 302
    db.session.expire_all()
    assert db.session.get(Listing, listing.id).active is False
    post(client, "/outlet/LX-O-001/listings", action, {})
    db.session.expire_all()
    assert db.session.get(Listing, listing.id).active is True


def test_another_outlets_listings_are_missing_by_every_url_and_form_field(client, outlet_staff):
    theirs = outlet_staff["their_listing"]
    tier = ListingPriceTier(listing_id=theirs.id, min_quantity=10, unit_price_fen=100)
    db.session.add(tier)
    db.session.commit()
    mine = outlet_staff["listing"]
    page = f"/outlet/LX-O-001/listings/{mine.id}"
    token = csrf_token(client, page)
    for path in ("/outlet/LX-O-002/listings", "/outlet/LX-O-002/listings/new", f"/outlet/LX-O-002/listings/{theirs.id}",
                 f"/outlet/LX-O-001/listings/{theirs.id}"):
        assert client.get(path).status_code == 404, path
    for path in (f"/outlet/LX-O-002/listings/{theirs.id}/stock", f"/outlet/LX-O-001/listings/{theirs.id}/stock",
                 f"/outlet/LX-O-002/listings/{theirs.id}/tiers", f"/outlet/LX-O-001/listings/{theirs.id}/active",
                 f"/outlet/LX-O-002/listings/{theirs.id}/tiers/{tier.id}/delete",
                 f"/outlet/LX-O-001/listings/{mine.id}/tiers/{tier.id}/delete", "/outlet/LX-O-002/listings/new"):
        response = client.post(path, data={"csrf_token": token, "stock-reason": "correction", "stock-quantity": "-7",
                                           "tier-min_quantity": "5", "tier-price": "1"})
        assert response.status_code == 404, path
    # their product as a form field on our own "new listing" form: not offered, refused
    their_product = ProductFactory()
    ListingFactory(outlet=theirs.outlet, product=their_product)
    refused = post(client, "/outlet/LX-O-001/listings/new", "/outlet/LX-O-001/listings/new", {
        "product_id": str(mine.product_id), "price": "10", "unit": "箱", "stock": "1", "min_quantity": "1"})
    assert refused.status_code == 422
    db.session.expire_all()
    assert db.session.get(Listing, theirs.id).stock == 7 and db.session.get(Listing, theirs.id).active
    assert db.session.get(ListingPriceTier, tier.id) is not None
    assert db.session.scalar(sa.select(sa.func.count(StockMovement.id))) == 0
    assert db.session.scalar(sa.select(sa.func.count(Listing.id))) == 3
