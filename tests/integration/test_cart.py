"""The cart: guests and accounts, stock and minimums, bad input, flags, merging at login."""

from __future__ import annotations

import pytest
import sqlalchemy as sa

from market.extensions import db
from market.models import Cart, CartLine, Listing
from tests.conftest import csrf_token
from tests.factories import PASSWORD, ListingFactory, OutletFactory, ProductFactory, UserFactory


def add(client, listing_id, quantity, **extra):
    token = csrf_token(client, "/account/register")
    data = {"listing_id": listing_id, "quantity": quantity, "csrf_token": token, **extra}
    return client.post("/cart/add", data=data, follow_redirects=True)


def lines() -> list[CartLine]:
    db.session.rollback()
    return list(db.session.scalars(sa.select(CartLine).order_by(CartLine.id)))


def test_a_guest_adds_to_a_cart_kept_by_a_cookie_token(client, app):
    listing = ListingFactory(stock=5, price_fen=6800)
    page = add(client, listing.id, 2).get_data(as_text=True)
    assert "已加入购物车" in page
    (line,) = lines()
    assert line.quantity == 2 and line.price_fen_seen == 6800
    cart = db.session.get(Cart, line.cart_id)
    assert cart.user_id is None and len(cart.token) >= 40
    assert "¥136.00" in client.get("/cart/").get_data(as_text=True)


def test_adding_twice_adds_up_and_is_bounded_by_stock(client, app):
    listing = ListingFactory(stock=5)
    add(client, listing.id, 3)
    page = add(client, listing.id, 3).get_data(as_text=True)
    assert "仅剩 5 件" in page
    assert [ln.quantity for ln in lines()] == [3]


@pytest.mark.parametrize(("quantity", "message"), [
    ("0", "数量至少为 1"), ("-3", "数量至少为 1"), ("1000000000", "每行最多 9999 件"), ("abc", "请输入整数数量"),
    ("", "请输入整数数量"), ("２", "请输入整数数量"), ("1.5", "请输入整数数量"),
])
def test_bad_quantities_get_a_clear_message_and_write_nothing(client, app, quantity, message):
    listing = ListingFactory(stock=5)
    page = add(client, listing.id, quantity).get_data(as_text=True)
    assert message in page
    assert lines() == []


def test_the_listing_minimum_is_enforced(client, app):
    listing = ListingFactory(stock=100, min_quantity=10)
    assert "起订量为 10" in add(client, listing.id, 2).get_data(as_text=True)
    assert lines() == []


def test_uncertified_products_and_outlets_cannot_be_added_even_by_a_crafted_post(client, app):
    no_product = ListingFactory(product=ProductFactory(certified=False))
    no_outlet = ListingFactory(outlet=OutletFactory(certified=False))
    inactive = ListingFactory(active=False)
    for listing in (no_product, no_outlet, inactive):
        assert "今天不能从该网点购买" in add(client, listing.id, 1).get_data(as_text=True)
    assert lines() == []


def test_unknown_or_tampered_listing_ids_are_refused(client, app):
    assert "该商品报价不存在" in add(client, 999_999, 1).get_data(as_text=True)
    assert add(client, "1 OR 1=1", 1).status_code == 400
    assert lines() == []


def test_a_posted_price_is_ignored(client, app):
    listing = ListingFactory(stock=5, price_fen=6800)
    add(client, listing.id, 1, price_fen=1, price="0.01")
    assert lines()[0].price_fen_seen == 6800


def test_add_without_csrf_token_is_refused(client, app):
    listing = ListingFactory()
    assert client.post("/cart/add", data={"listing_id": listing.id, "quantity": 1}).status_code == 400
    assert lines() == []


def test_changed_price_stock_and_certification_are_flagged_in_the_cart(client, app):
    listing = ListingFactory(stock=5, price_fen=6800)
    add(client, listing.id, 4)
    db.session.execute(sa.update(Listing).where(Listing.id == listing.id).values(price_fen=7200, stock=2))
    db.session.commit()
    page = client.get("/cart/").get_data(as_text=True)
    assert "价格已从 ¥68.00 变为 ¥72.00" in page and "仅剩 2 件" in page


def test_quantities_change_and_lines_are_removed(client, app):
    listing = ListingFactory(stock=5)
    add(client, listing.id, 1)
    (line,) = lines()
    token = csrf_token(client, "/account/register")
    client.post(f"/cart/lines/{line.id}", data={"quantity": "4", "csrf_token": token})
    assert lines()[0].quantity == 4
    client.post(f"/cart/lines/{line.id}", data={"quantity": "9", "csrf_token": token})
    assert lines()[0].quantity == 4
    client.post(f"/cart/lines/{line.id}", data={"remove": "1", "csrf_token": token})
    assert lines() == []


def test_another_visitors_cart_line_is_a_404(client, app):
    listing = ListingFactory(stock=5)
    other = app.test_client()
    add(other, listing.id, 1)
    (line,) = lines()
    token = csrf_token(client, "/account/register")
    assert client.post(f"/cart/lines/{line.id}", data={"remove": "1", "csrf_token": token}).status_code == 404
    assert len(lines()) == 1


def test_a_guest_cart_is_merged_into_the_account_cart_at_login(client, auth, app):
    user = UserFactory(email="a@example.com")
    first, second = ListingFactory(stock=9), ListingFactory(stock=9)
    db.session.add(Cart(user_id=user.id, lines=[CartLine(listing_id=first.id, quantity=2, price_fen_seen=6800)]))
    db.session.commit()
    add(client, first.id, 1)
    add(client, second.id, 3)
    auth.login("a@example.com", PASSWORD)
    db.session.rollback()
    carts = db.session.scalars(sa.select(Cart)).all()
    assert len(carts) == 1 and carts[0].user_id == user.id
    assert sorted((ln.listing_id, ln.quantity) for ln in carts[0].lines) == [(first.id, 3), (second.id, 3)]
    assert "(6)" in client.get("/cart/").get_data(as_text=True)
