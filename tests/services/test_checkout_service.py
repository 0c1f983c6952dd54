"""The checkout use case called directly: what it places, reserves and starts, and what it refuses, writing nothing."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest
import sqlalchemy as sa

from market.domain.dates import business_date
from market.extensions import db
from market.models import Address, CartLine, Listing, Order, Payment
from market.payments import PaymentPages
from market.services.errors import ServiceError
from market.services.ordering import cart as carts
from market.services.ordering import checkout as checkouts
from tests.factories import ListingFactory, UserFactory


def pages(payment_id: int) -> PaymentPages:
    return PaymentPages(f"https://shop.example.com/back/{payment_id}/ok", f"https://shop.example.com/back/{payment_id}/no")


def asked(**overrides: object) -> checkouts.CheckoutRequest:
    values: dict[str, object] = {"fulfilment": "pickup", "recipient": "王小明", "phone": "13800001234",
                                 "payment_method": "pickup"}
    values.update(overrides)
    return checkouts.CheckoutRequest(**values)  # type: ignore[arg-type]


def buyer_with_cart(*listings_and_quantities: tuple[Listing, int]):
    user = UserFactory()
    cart = carts.get_or_create_cart(user, None)
    for listing, quantity in listings_and_quantities:
        carts.add(cart, listing.id, quantity, business_date())
    db.session.commit()
    return user, cart


def count(model) -> int:
    return db.session.scalar(sa.select(sa.func.count()).select_from(model))


def test_pickup_places_one_order_per_outlet_with_its_own_payment_and_empties_the_cart(db_session):
    a, b = ListingFactory(stock=5, price_fen=6800), ListingFactory(stock=3, price_fen=12850)
    user, cart = buyer_with_cart((a, 2), (b, 1))
    result = checkouts.checkout(user, cart, asked(), pages, datetime.now(UTC))
    assert sorted(o.total_fen for o in result.orders) == [12850, 13600]
    assert result.payment is None and result.provider_url is None and result.payment_error is None
    assert {o.payment.provider for o in result.orders} == {"pickup"}
    assert len({o.payment.id for o in result.orders}) == 2
    db.session.expire_all()
    assert (db.session.get(Listing, a.id).stock, db.session.get(Listing, b.id).stock) == (3, 2)
    assert count(CartLine) == 0


def test_the_service_never_commits(db_session):
    listing = ListingFactory(stock=5)
    user, cart = buyer_with_cart((listing, 2))
    checkouts.checkout(user, cart, asked(), pages, datetime.now(UTC))
    db.session.rollback()
    assert count(Order) == 0 and db.session.get(Listing, listing.id).stock == 5 and count(CartLine) == 1


@pytest.mark.parametrize(("overrides", "field"), [
    ({"fulfilment": "delivery", "province": "江苏省", "city": "南京市", "county": "鼓楼区", "detail": "中山路1号"},
     "payment"),  # delivery needs online payment
    ({"payment_method": "stripe"}, "payment"),  # not configured here
    ({"payment_method": "bitcoin"}, "payment"),
    ({"fulfilment": "drone"}, "fulfilment"),
    ({"fulfilment": "delivery", "payment_method": "pickup", "province": "江苏省"}, "detail"),
])
def test_refused_choices_name_their_field_and_write_nothing(db_session, overrides, field):
    listing = ListingFactory(stock=5)
    user, cart = buyer_with_cart((listing, 2))
    with pytest.raises(ServiceError) as refused:
        checkouts.checkout(user, cart, asked(**overrides), pages, datetime.now(UTC))
    assert refused.value.field == field
    db.session.rollback()
    assert count(Order) == 0 and db.session.get(Listing, listing.id).stock == 5


def test_an_empty_cart_is_refused(db_session):
    user = UserFactory()
    with pytest.raises(ServiceError, match="empty|空"):
        checkouts.checkout(user, carts.get_or_create_cart(user, None), asked(), pages, datetime.now(UTC))


def test_a_changed_price_is_shown_before_anything_is_placed(db_session):
    listing = ListingFactory(stock=5, price_fen=6800)
    user, cart = buyer_with_cart((listing, 1))
    listing.price_fen = 7200
    db.session.commit()
    with pytest.raises(checkouts.PricesChanged) as changed:
        checkouts.checkout(user, cart, asked(), pages, datetime.now(UTC))
    assert [(c.old_fen, c.new_fen) for c in changed.value.changes] == [(6800, 7200)]
    assert count(Order) == 0


def test_someone_elses_saved_address_is_refused(app, stripe_fake):
    other = UserFactory()
    theirs = Address(user_id=other.id, recipient="李四", phone="13900001111", province="江苏省", city="南京市",
                     county="玄武区", detail="北京东路2号")
    db.session.add(theirs)
    listing = ListingFactory(stock=5)
    user, cart = buyer_with_cart((listing, 1))
    with pytest.raises(ServiceError) as refused:
        checkouts.checkout(user, cart, asked(fulfilment="delivery", payment_method="stripe",
                                              saved_address_id=theirs.id), pages, datetime.now(UTC))
    assert refused.value.field == "saved_address"


def test_online_payment_starts_with_the_pages_it_is_given_and_saves_the_new_address(app, stripe_fake):
    listing = ListingFactory(stock=5, price_fen=6800)
    user, cart = buyer_with_cart((listing, 2))
    result = checkouts.checkout(user, cart, asked(
        fulfilment="delivery", payment_method="stripe", province="江苏省", city="南京市", county="鼓楼区",
        detail="中山路1号", save_address=True), pages, datetime.now(UTC))
    assert result.payment is not None and result.payment.provider == "stripe"
    assert result.provider_url == f"https://checkout.stripe.com/c/pay/{result.payment.provider_ref}"
    (sent,) = [r for r in stripe_fake.requests if r.path == "/v1/checkout/sessions"]
    assert sent.params["success_url"] == f"https://shop.example.com/back/{result.payment.id}/ok"
    assert sent.params["cancel_url"] == f"https://shop.example.com/back/{result.payment.id}/no"
    assert [a.detail for a in db.session.scalars(sa.select(Address))] == ["中山路1号"]


def test_a_provider_that_cannot_start_keeps_the_orders_payable(app, stripe_fake):
    stripe_fake.fail_next(402, "card_error", "Your card was declined.", code="card_declined")
    listing = ListingFactory(stock=5)
    user, cart = buyer_with_cart((listing, 2))
    result = checkouts.checkout(user, cart, asked(
        fulfilment="delivery", payment_method="stripe", province="江苏省", city="南京市", county="鼓楼区",
        detail="中山路1号"), pages, datetime.now(UTC))
    assert result.payment_error and "declined" in result.payment_error
    assert result.provider_url is None and result.payment is not None
    assert [o.status for o in result.orders] == ["placed"]
    db.session.expire_all()
    assert db.session.get(Listing, listing.id).stock == 3 and count(Payment) == 1
