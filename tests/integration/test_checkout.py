"""Checkout: one order per outlet, prices re-read, stock reserved, bad input refused with nothing written."""

from __future__ import annotations

import sqlalchemy as sa

from market.extensions import db
from market.models import Address, CartLine, Listing, Order, OrderLine, Payment
from tests.conftest import csrf_token
from tests.factories import PASSWORD, ListingFactory, OutletFactory, ProductFactory, UserFactory


def add(client, listing_id, quantity):
    token = csrf_token(client, "/account/register")
    return client.post("/cart/add", data={"listing_id": listing_id, "quantity": quantity, "csrf_token": token})


def checkout(client, **overrides):
    data = {"fulfilment": "pickup", "recipient": "王小明", "phone": "13800001234", "payment": "pickup",
            "saved_address": "0", "csrf_token": csrf_token(client, "/account/register")}
    data.update(overrides)
    return client.post("/cart/checkout", data=data)


def counts() -> tuple[int, int, int]:
    db.session.rollback()
    return tuple(db.session.scalar(sa.select(sa.func.count()).select_from(m)) for m in (Order, OrderLine, Payment))


def stock(listing_id: int) -> int:
    db.session.rollback()
    return db.session.get(Listing, listing_id).stock


def logged_in(client, auth):
    UserFactory(email="buyer@example.com", phone="13800001234")
    auth.login("buyer@example.com", PASSWORD)


def test_checkout_needs_login_and_comes_back(client, app):
    response = client.get("/cart/checkout")
    assert response.status_code == 302 and response.headers["Location"] == "/account/login?next=/cart/checkout"


def test_pickup_checkout_places_one_order_per_outlet_and_reserves_stock(client, auth, app):
    logged_in(client, auth)
    a, b = ListingFactory(stock=5, price_fen=6800), ListingFactory(stock=3, price_fen=12850)
    add(client, a.id, 2)
    add(client, b.id, 1)
    response = checkout(client)
    assert response.status_code == 302 and response.headers["Location"] == "/account/orders"
    orders = db.session.scalars(sa.select(Order).order_by(Order.outlet_id)).all()
    assert [(o.outlet_id, o.total_fen, o.status, o.fulfilment) for o in orders] == [
        (a.outlet_id, 13600, "placed", "pickup"), (b.outlet_id, 12850, "placed", "pickup")]
    assert all(o.payment.provider == "pickup" and o.payment.amount_fen == o.total_fen for o in orders)
    assert orders[0].lines[0].unit_price_fen == 6800 and orders[0].lines[0].name_zh == a.product.name_zh
    assert (stock(a.id), stock(b.id)) == (3, 2)
    assert db.session.scalar(sa.select(sa.func.count(CartLine.id))) == 0
    hold = orders[0].hold_until - orders[0].placed_at
    assert hold.days == 3
    assert [e.status for e in orders[0].events] == ["placed"]


def test_a_changed_price_is_shown_for_confirmation_before_placing(client, auth, app):
    logged_in(client, auth)
    listing = ListingFactory(stock=5, price_fen=6800)
    add(client, listing.id, 1)
    db.session.execute(sa.update(Listing).where(Listing.id == listing.id).values(price_fen=7500))
    db.session.commit()
    first = checkout(client)
    page = first.get_data(as_text=True)
    assert first.status_code == 422 and "¥68.00 → <strong>¥75.00</strong>" in page
    assert counts() == (0, 0, 0) and stock(listing.id) == 5
    assert checkout(client).status_code == 302
    assert db.session.scalar(sa.select(Order.total_fen)) == 7500


def test_not_enough_stock_at_placing_writes_nothing(client, auth, app):
    logged_in(client, auth)
    plenty, scarce = ListingFactory(stock=9), ListingFactory(stock=2)
    add(client, plenty.id, 1)
    add(client, scarce.id, 2)
    db.session.execute(sa.update(Listing).where(Listing.id == scarce.id).values(stock=1))
    db.session.commit()
    page = checkout(client).get_data(as_text=True)
    assert "库存不足" in page
    assert counts() == (0, 0, 0) and (stock(plenty.id), stock(scarce.id)) == (9, 1)
    assert db.session.scalar(sa.select(sa.func.count(CartLine.id))) == 2


def test_a_product_uncertified_since_it_was_added_cannot_be_ordered(client, auth, app):
    logged_in(client, auth)
    listing = ListingFactory(stock=5, product=ProductFactory())
    add(client, listing.id, 1)
    for cert in listing.product.certifications:
        db.session.delete(cert)
    db.session.commit()
    assert "今天不可购买" in checkout(client).get_data(as_text=True)
    assert counts() == (0, 0, 0) and stock(listing.id) == 5


def test_phone_numbers_and_addresses_are_validated(client, auth, app):
    logged_in(client, auth)
    listing = ListingFactory(stock=5)
    add(client, listing.id, 1)
    bad_phone = checkout(client, phone="1380000abcd")
    assert bad_phone.status_code == 422 and "11位中国大陆手机号码" in bad_phone.get_data(as_text=True)
    assert checkout(client, fulfilment="delivery").status_code == 422  # no online payment here: pickup only
    assert checkout(client, payment="bitcoin").status_code == 422
    assert checkout(client, fulfilment="teleport").status_code == 422
    assert counts() == (0, 0, 0) and stock(listing.id) == 5


def test_checkout_without_csrf_token_is_refused(client, auth, app):
    logged_in(client, auth)
    listing = ListingFactory(stock=5)
    add(client, listing.id, 1)
    response = client.post("/cart/checkout", data={"fulfilment": "pickup", "recipient": "x", "phone": "13800001234",
                                                    "payment": "pickup"})
    assert response.status_code == 400 and counts() == (0, 0, 0)


def test_an_empty_cart_goes_back_to_the_cart(client, auth, app):
    logged_in(client, auth)
    assert client.get("/cart/checkout").headers["Location"] == "/cart/"
    assert checkout(client).status_code == 302 and counts() == (0, 0, 0)


def test_someone_elses_saved_address_cannot_be_used(client, auth, app):
    logged_in(client, auth)
    other = UserFactory()
    db.session.add(Address(user_id=other.id, recipient="别人", phone="13900000000", province="陕西省", city="宝鸡市",
                           county="陇县", detail="某路1号"))
    db.session.commit()
    listing = ListingFactory(stock=5)
    add(client, listing.id, 1)
    other_address = db.session.scalar(sa.select(Address.id))
    assert checkout(client, saved_address=str(other_address)).status_code == 422
    assert counts() == (0, 0, 0)


def test_orders_from_outlets_of_several_kinds_keep_their_outlet(client, auth, app):
    logged_in(client, auth)
    hall = ListingFactory(outlet=OutletFactory(kind="hall"), stock=5)
    add(client, hall.id, 1)
    checkout(client)
    order = db.session.scalar(sa.select(Order))
    assert order.outlet.kind == "hall" and order.number.startswith("LX")


def test_delivery_is_offered_only_with_online_payment_and_needs_an_address(client, auth, app, stripe_fake):
    logged_in(client, auth)
    listing = ListingFactory(stock=5)
    add(client, listing.id, 1)
    assert 'value="delivery"' in client.get("/cart/checkout").get_data(as_text=True)
    no_address = checkout(client, fulfilment="delivery", payment="pickup")
    body = no_address.get_data(as_text=True)
    assert no_address.status_code == 422 and "配送时必填" in body and "到店付款仅适用于自提订单" in body
    assert counts() == (0, 0, 0) and stock(listing.id) == 5


def test_without_online_payment_checkout_offers_pickup_only(client, auth, app):
    logged_in(client, auth)
    listing = ListingFactory(stock=5)
    add(client, listing.id, 1)
    page = client.get("/cart/checkout").get_data(as_text=True)
    assert 'value="delivery"' not in page and 'value="pickup"' in page


def test_a_saved_address_is_kept_once_and_only_with_the_order(client, auth, app, stripe_fake):
    logged_in(client, auth)
    listing = ListingFactory(stock=5, price_fen=6800)
    add(client, listing.id, 1)
    db.session.execute(sa.update(Listing).where(Listing.id == listing.id).values(price_fen=7000))
    db.session.commit()
    address = {"fulfilment": "delivery", "payment": "stripe", "province": "江苏省", "city": "南京市",
               "county": "玄武区", "detail": "中山路1号", "save_address": "y"}
    assert checkout(client, **address).status_code == 422  # the price changed: confirm first
    db.session.rollback()
    assert db.session.scalar(sa.select(sa.func.count(Address.id))) == 0
    assert checkout(client, **address).status_code == 302
    db.session.rollback()
    assert db.session.scalar(sa.select(sa.func.count(Address.id))) == 1


def test_a_double_submitted_checkout_places_the_orders_once(client, auth, app):
    import threading

    logged_in(client, auth)
    listing = ListingFactory(stock=5)
    add(client, listing.id, 2)
    token = csrf_token(client, "/account/register")
    twin = app.test_client()
    twin.set_cookie("session", client.get_cookie("session").value)
    barrier, statuses = threading.Barrier(2), []

    def submit(c):
        barrier.wait()
        statuses.append(c.post("/cart/checkout", data={
            "fulfilment": "pickup", "recipient": "王小明", "phone": "13800001234", "payment": "pickup",
            "saved_address": "0", "csrf_token": token}).status_code)

    threads = [threading.Thread(target=submit, args=(c,)) for c in (client, twin)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=60)
    assert sorted(statuses) == [302, 302]  # one placed the order, the other found the cart empty
    assert counts()[0] == 1 and stock(listing.id) == 3
