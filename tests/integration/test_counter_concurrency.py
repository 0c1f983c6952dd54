"""Two clerks of one outlet type the same pickup code at the same moment, and many orders of one outlet are made
ready at once: the order is handed over (and its cash taken) once, and no two waiting orders share a code (with
codes drawn from a small pool, concurrent requests do collide; this fails with pickup.ATTEMPTS = 1)."""

from __future__ import annotations

import random
from collections import Counter

import sqlalchemy as sa

from market.domain.order_flow import Action, Actor
from market.extensions import db
from market.models import Order, OrderEvent, OutletMembership
from market.services.ordering import orders as order_service
from market.services.ordering import pickup
from tests.concurrency import all_at_once
from tests.conftest import CSRF_RE
from tests.factories import UserFactory
from tests.services.ordering_setup import buy, now, place

CLERKS = 4
ORDERS = 12


def logged_in_clients(app, outlet_id: int, count: int) -> list[tuple[object, str]]:
    """Clients of `count` staff members of the outlet, logged in, with their CSRF tokens."""
    clients = []
    for n in range(count):
        clerk = UserFactory(email=f"clerk{n}@example.com", roles_given=("outlet_staff",))
        db.session.add(OutletMembership(user_id=clerk.id, outlet_id=outlet_id))
        db.session.commit()
        client = app.test_client()
        with client.session_transaction() as session:
            session["_user_id"] = clerk.get_id()
            session["_fresh"] = True
        clients.append((client, CSRF_RE.search(client.get("/account/").get_data(as_text=True)).group(1)))
    return clients


def test_the_same_code_typed_by_two_clerks_at_once_hands_the_order_over_once(app):
    (order,) = place(2, provider="pickup")
    order_service.apply(order, Action.READY, Actor.OUTLET, UserFactory(roles_given=("outlet_staff",)), now())
    db.session.commit()
    code, outlet = order.pickup_code, order.outlet.code
    clients = logged_in_clients(app, order.outlet_id, CLERKS)

    statuses = all_at_once(lambda client, token: client.post(
        f"/outlet/{outlet}/counter", data={"code": code, "csrf_token": token}).status_code, clients)

    assert Counter(statuses)[302] == 1 and set(statuses) <= {302, 422}, statuses
    db.session.rollback()
    order = db.session.get(Order, order.id)
    assert order.status == "completed" and order.payment.status == "succeeded"
    collected = db.session.scalar(sa.select(sa.func.count()).where(OrderEvent.order_id == order.id,
                                                                    OrderEvent.action == "collect"))
    assert collected == 1


def test_orders_of_one_outlet_made_ready_at_once_wait_with_different_codes(app, monkeypatch):
    (first,) = place(1, provider="pickup", stock=50)
    draws = random.Random(7)  # codes from a pool of 40, so that concurrent requests do pick the same one
    monkeypatch.setattr(pickup.secrets, "randbelow", lambda _n: draws.randrange(40))
    waiting = [first] + [buy(first.lines[0].listing_id, 1) for _ in range(ORDERS - 1)]
    clients = logged_in_clients(app, first.outlet_id, ORDERS)

    statuses = all_at_once(lambda pair, number: pair[0].post(
        f"/outlet/orders/{number}/ready", data={"csrf_token": pair[1]}).status_code,
        [(pair, o.number) for pair, o in zip(clients, waiting, strict=True)])

    assert statuses == [302] * ORDERS
    db.session.rollback()
    codes = db.session.scalars(sa.select(Order.pickup_code).where(Order.status == "ready_for_pickup")).all()
    assert len(codes) == ORDERS and len(set(codes)) == ORDERS
