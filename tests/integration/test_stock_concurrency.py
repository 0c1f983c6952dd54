"""50 buyers at once, each with its own session and connection, ordering from a listing with 10 units."""

from __future__ import annotations

from collections import Counter

import sqlalchemy as sa

from market.extensions import db
from market.models import Cart, CartLine, Listing, Order, OrderLine
from tests.concurrency import all_at_once
from tests.conftest import CSRF_RE
from tests.factories import ListingFactory, UserFactory

BUYERS = 50
UNITS = 10


def test_fifty_concurrent_checkouts_never_oversell(app):
    listing = ListingFactory(stock=UNITS, price_fen=6800)
    clients = []
    for n in range(BUYERS):
        user = UserFactory(email=f"buyer{n}@example.com")
        db.session.add(Cart(user_id=user.id, lines=[CartLine(listing_id=listing.id, quantity=1, price_fen_seen=6800)]))
        db.session.commit()
        client = app.test_client()
        with client.session_transaction() as session:  # logged in without 50 slow password hashes
            session["_user_id"] = user.get_id()
            session["_fresh"] = True
        token = CSRF_RE.search(client.get("/account/").get_data(as_text=True)).group(1)
        clients.append((client, token))

    def buy(client, token) -> int:
        return client.post("/cart/checkout", data={
            "fulfilment": "pickup", "recipient": "买家", "phone": "13800001234", "payment": "pickup",
            "saved_address": "0", "csrf_token": token}).status_code

    statuses = all_at_once(buy, clients)
    assert Counter(statuses) == {302: UNITS, 422: BUYERS - UNITS}, Counter(statuses)
    db.session.rollback()
    assert db.session.get(Listing, listing.id).stock == 0
    sold = db.session.scalar(sa.select(sa.func.sum(OrderLine.quantity)).where(OrderLine.listing_id == listing.id))
    assert sold == UNITS
    orders = db.session.scalars(sa.select(Order)).all()
    assert len(orders) == UNITS and all(o.status == "placed" and len(o.lines) == 1 for o in orders)
    # Buyers who missed out keep their cart line; winners' carts are empty.
    assert db.session.scalar(sa.select(sa.func.count(CartLine.id))) == BUYERS - UNITS
