"""Steps shared by the Stripe tests: a buyer's checkout paid by card, and signed webhooks."""

from __future__ import annotations

import time

import sqlalchemy as sa

from market.extensions import db
from market.models import Order, Payment, WebhookEvent
from tests.conftest import WEBHOOK_SECRET, csrf_token
from tests.factories import PASSWORD, ListingFactory, UserFactory
from tests.stripe_fake import event_payload, signature_header

ADDRESS = {"province": "江苏省", "city": "南京市", "county": "玄武区", "detail": "中山路1号"}


def checkout_by_card(client, auth, *, stock=10, quantity=2, price_fen=6800, listings=None):
    """Log a buyer in, fill the cart and check out for delivery paid online; returns (response, listing)."""
    UserFactory(email="buyer@example.com")
    listing = listings[0] if listings else ListingFactory(stock=stock, price_fen=price_fen)
    auth.login("buyer@example.com", PASSWORD)
    token = csrf_token(client, "/account/")
    for item in listings or [listing]:
        client.post("/cart/add", data={"listing_id": item.id, "quantity": quantity, "csrf_token": token})
    response = client.post("/cart/checkout", data={
        "fulfilment": "delivery", "recipient": "王小明", "phone": "13800001234", "payment": "stripe",
        "saved_address": "0", "csrf_token": token, **ADDRESS})
    return response, listing


def the_payment() -> Payment:
    db.session.rollback()
    return db.session.scalar(sa.select(Payment))


def orders() -> list[Order]:
    db.session.rollback()
    return list(db.session.scalars(sa.select(Order).order_by(Order.id)))


def send(client, event_type, obj, *, event_id=None, secret=WEBHOOK_SECRET, timestamp=None, tamper=False):
    """POST a webhook signed as Stripe signs it."""
    payload = event_payload(event_type, obj, event_id=event_id)
    header = signature_header(payload, secret, timestamp=timestamp)
    if tamper:
        payload = payload.replace(b'"cny"', b'"usd"') if b'"cny"' in payload else payload + b" "
    return client.post("/webhooks/stripe", data=payload, headers={"Stripe-Signature": header},
                       content_type="application/json")


def stale() -> int:
    return int(time.time()) - 600


def events() -> int:
    db.session.rollback()
    return db.session.scalar(sa.select(sa.func.count()).select_from(WebhookEvent))
