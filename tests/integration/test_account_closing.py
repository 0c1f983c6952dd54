"""Closing one's account (PIPL): placeholders for personal data, accounting records kept, sessions ended."""

from __future__ import annotations

from pathlib import Path

import sqlalchemy as sa

from market.extensions import db
from market.models import Address, AuditEvent, Order, OutletMembership, Payment, User
from market.services.accounts.closing import CLOSED_NAME
from tests.conftest import AuthActions, csrf_token
from tests.factories import PASSWORD, InstitutionFactory, ListingFactory, OutletFactory, UserFactory

BUYER = "buyer@example.com"


def _place_pickup_order(client, auth, listing):
    auth.login(BUYER, PASSWORD)
    token = csrf_token(client, "/account/")
    client.post("/cart/add", data={"listing_id": listing.id, "quantity": 1, "csrf_token": token})
    response = client.post("/cart/checkout", data={
        "fulfilment": "pickup", "recipient": "王小明", "phone": "13800001234", "payment": "pickup",
        "saved_address": "0", "csrf_token": token})
    assert response.status_code == 302, response.get_data(as_text=True)
    db.session.rollback()
    return db.session.scalar(sa.select(Order).where(Order.user.has(email=BUYER)))


def _hand_over(client, auth, order, staff_email="staff@example.com"):
    """The outlet's staff make the order ready, then hand it over at the counter with its code (cash taken)."""
    auth.logout()
    auth.login(staff_email, PASSWORD)
    token = csrf_token(client, "/account/")
    assert client.post(f"/outlet/orders/{order.number}/ready", data={"csrf_token": token}).status_code == 302
    db.session.rollback()
    ready = db.session.get(Order, order.id)
    assert client.post(f"/outlet/{ready.outlet.code}/counter",
                       data={"code": ready.pickup_code, "csrf_token": token}).status_code == 302
    auth.logout()


def _close(client, password=PASSWORD, understood="y"):
    token = csrf_token(client, "/account/close")
    data = {"close-csrf_token": token, "close-password": password}
    if understood:
        data["close-understood"] = understood
    return client.post("/account/close", data=data)


def _staffed_listing():
    listing = ListingFactory(stock=5)
    staff = UserFactory(email="staff@example.com", roles_given=("outlet_staff",))
    db.session.add(OutletMembership(user_id=staff.id, outlet_id=listing.outlet_id))
    db.session.commit()
    return listing


def test_a_consumer_closes_their_account_and_the_outlet_still_sees_their_orders_under_the_placeholder(
        client, auth, app):
    buyer = UserFactory(email=BUYER, name="王小明", phone="13800001234")
    listing = _staffed_listing()
    order = _place_pickup_order(client, auth, listing)
    _hand_over(client, auth, order)
    db.session.add(Address(user_id=buyer.id, recipient="王小明", phone="13800001234", province="陕西省",
                           city="宝鸡市", county="陇县", detail="城关镇东大街1号"))
    db.session.commit()

    auth.login(BUYER, PASSWORD)
    response = _close(client)
    assert response.status_code == 302 and response.headers["Location"] == "/"
    assert client.get("/account/orders").status_code == 302  # logged out

    assert auth.login(BUYER, PASSWORD).status_code == 422  # the old email no longer logs in
    db.session.rollback()
    user = db.session.get(User, buyer.id)
    assert (user.email, user.name, user.phone, user.active) == (f"closed-{buyer.id}@invalid", CLOSED_NAME, None,
                                                                  False)
    address = db.session.scalar(sa.select(Address).where(Address.user_id == buyer.id))
    assert "王小明" not in (address.recipient, address.detail) and address.phone != "13800001234"
    assert address.detail != "城关镇东大街1号"
    kept = db.session.get(Order, order.id)
    assert kept.payment is not None and db.session.get(Payment, kept.payment.id) is not None
    assert db.session.scalar(sa.select(AuditEvent).where(AuditEvent.action == "user.close",
                                                         AuditEvent.object_id == str(buyer.id)))

    auth.login("staff@example.com", PASSWORD)
    page = client.get("/outlet/orders?tab=completed").get_data(as_text=True)
    assert order.number in page and CLOSED_NAME in page
    assert "王小明" not in page and "13800001234" not in page


def test_the_password_must_be_confirmed(client, auth, app):
    UserFactory(email=BUYER)
    auth.login(BUYER, PASSWORD)
    client.get("/lang/en")
    response = _close(client, password="not-my-password")
    assert response.status_code == 422 and "The password is not correct." in response.get_data(as_text=True)
    assert _close(client, understood="").status_code == 422
    db.session.rollback()
    assert db.session.scalar(sa.select(User).where(User.email == BUYER)).active
    assert client.get("/account/orders").status_code == 200


def test_an_outlet_owner_must_hand_ownership_over_first(client, auth, app):
    owner = UserFactory(email="owner@example.com", roles_given=("outlet_staff",))
    outlet = OutletFactory(name="城关帮扶专柜")
    db.session.add(OutletMembership(user_id=owner.id, outlet_id=outlet.id, is_owner=True))
    db.session.commit()
    auth.login("owner@example.com", PASSWORD)
    client.get("/lang/en")
    page = client.get("/account/close").get_data(as_text=True)
    assert "You own 城关帮扶专柜" in page and "close-password" not in page  # said before any typing
    response = _close_without_form_page(client)
    assert "You own 城关帮扶专柜" in response.get_data(as_text=True)
    db.session.rollback()
    assert db.session.get(User, owner.id).active


def _close_without_form_page(client):
    token = csrf_token(client, "/account/")
    return client.post("/account/close", data={"close-csrf_token": token, "close-password": PASSWORD,
                                               "close-understood": "y"}, follow_redirects=True)


def test_an_institution_owner_must_hand_ownership_over_first(client, auth, app):
    from market.models import InstitutionMembership

    owner = UserFactory(email="owner@example.com", roles_given=("institution_buyer",))
    institution = InstitutionFactory(name="陇县第一中学")
    db.session.add(InstitutionMembership(user_id=owner.id, institution_id=institution.id, is_owner=True))
    db.session.commit()
    auth.login("owner@example.com", PASSWORD)
    client.get("/lang/en")
    assert "You own 陇县第一中学" in _close_without_form_page(client).get_data(as_text=True)
    db.session.rollback()
    assert db.session.get(User, owner.id).active


def test_orders_still_in_progress_keep_the_account_open(client, auth, app):
    UserFactory(email=BUYER)
    order = _place_pickup_order(client, auth, _staffed_listing())
    client.get("/lang/en")
    page = client.get("/account/close").get_data(as_text=True)
    assert order.number in page and "still in progress" in page
    db.session.rollback()
    assert db.session.scalar(sa.select(User).where(User.email == BUYER)).active
    assert db.session.get(Order, order.id).recipient == "王小明"


def test_closing_ends_the_accounts_other_sessions(client, auth, app):
    UserFactory(email=BUYER)
    phone = app.test_client()
    AuthActions(phone).login(BUYER, PASSWORD)
    assert phone.get("/account/orders").status_code == 200
    auth.login(BUYER, PASSWORD)
    assert _close(client).status_code == 302
    assert phone.get("/account/orders").status_code == 302


def test_the_old_email_can_register_again_and_gets_no_reset_mail_for_the_closed_account(client, auth, app):
    closed = UserFactory(email=BUYER)
    auth.login(BUYER, PASSWORD)
    _close(client)
    outbox = Path(app.config["MARKET_OUTBOX"])
    mails_before = len(list(outbox.glob("*.eml")))
    token = csrf_token(client, "/account/forgot")
    response = client.post("/account/forgot", data={"email": BUYER, "csrf_token": token})
    assert response.status_code == 302
    assert len(list(outbox.glob("*.eml"))) == mails_before
    token = csrf_token(client, "/account/register")
    response = client.post("/account/register", data={
        "name": "新用户", "email": BUYER, "password": "s3cret-pass", "confirm": "s3cret-pass",
        "accept_privacy": "y", "csrf_token": token})
    assert response.status_code == 302
    db.session.rollback()
    fresh = db.session.scalar(sa.select(User).where(User.email == BUYER))
    assert fresh.id != closed.id and fresh.active


def test_the_profile_page_leads_to_closing(client, auth, app):
    UserFactory(email=BUYER)
    auth.login(BUYER, PASSWORD)
    assert 'href="/account/close"' in client.get("/account/").get_data(as_text=True)
    assert client.get("/account/close").status_code == 200
