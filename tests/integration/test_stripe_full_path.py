"""The whole path in the test client: cart -> checkout -> session on the fake -> signed webhook -> paid ->
refund of one line requested -> accepted -> Stripe refund on the fake -> charge.refunded -> refunded once."""

from __future__ import annotations

import sqlalchemy as sa

from market.extensions import db
from market.models import OutletMembership, Refund
from tests.conftest import csrf_token
from tests.factories import PASSWORD, ListingFactory, OutletFactory, UserFactory
from tests.integration.stripe_flow import checkout_by_card, orders, send, the_payment


def test_pay_by_card_then_refund_one_line_exactly_once(client, auth, app, stripe_fake):
    outlet = OutletFactory()
    apples = ListingFactory(outlet=outlet, stock=10, price_fen=6800)
    honey = ListingFactory(outlet=outlet, stock=10, price_fen=8800)
    staff = UserFactory(email="staff@example.com", roles_given=("outlet_staff",))
    db.session.add(OutletMembership(user_id=staff.id, outlet_id=outlet.id))
    db.session.commit()

    response, _ = checkout_by_card(client, auth, listings=[apples, honey], quantity=2)
    assert response.headers["Location"].startswith("https://checkout.stripe.com/")
    payment = the_payment()
    session = stripe_fake.complete_session(payment.provider_ref)
    assert send(client, "checkout.session.completed", session).get_json()["outcome"] == "paid"
    (order,) = orders()
    assert order.status == "paid" and order.total_fen == 31200

    honey_line = next(line for line in order.lines if line.listing_id == honey.id)
    token = csrf_token(client, "/account/")
    client.post(f"/account/orders/{order.number}/refund", data={
        f"qty-{honey_line.id}": "1", **{f"qty-{line.id}": "0" for line in order.lines if line is not honey_line},
        "reason": "蜂蜜罐破损", "csrf_token": token})
    assert orders()[0].status == "refund_requested"

    auth.logout()
    auth.login("staff@example.com", PASSWORD)
    client.post(f"/outlet/orders/{order.number}/refund",
                data={"decision": "accept", "note": "", "csrf_token": csrf_token(client, "/account/")})
    (refund,) = db.session.scalars(sa.select(Refund)).all()
    stripe_refund = stripe_fake.refunds[-1]
    assert (refund.status, refund.amount_fen, refund.provider_ref) == ("succeeded", 8800, stripe_refund["id"])
    assert stripe_refund["amount"] == 8800 and stripe_refund["payment_intent"] == session["payment_intent"]
    refund_requests = [r for r in stripe_fake.requests if r.path == "/v1/refunds"]
    assert [r.idempotency_key for r in refund_requests] == [f"market-refund-{refund.id}"]

    charge = {"id": "ch_1", "object": "charge", "payment_intent": session["payment_intent"], "amount": 31200,
              "amount_refunded": 8800, "refunds": {"object": "list", "data": [
                  {"id": stripe_refund["id"], "object": "refund", "amount": 8800}]}}
    for _ in range(2):
        send(client, "charge.refunded", charge, event_id="evt_refund")
    assert send(client, "charge.refunded", charge).get_json()["outcome"] == "refunds matched"

    (order,) = orders()
    line = next(line for line in order.lines if line.listing_id == honey.id)
    assert (line.refunded_quantity, line.refunded_fen) == (1, 8800)
    assert sum(ln.refunded_fen for ln in order.lines) == 8800
    assert order.status == "paid"  # part of the money went back; the rest of the order goes on
    assert db.session.get(Refund, refund.id).confirmed_by_provider is True
    assert [e.action for e in order.events] == ["place", "pay", "request_refund", "refund"]
    assert db.session.get(type(honey), honey.id).stock == 9  # not shipped: the refunded jar is back on the shelf
    page = client.get("/outlet/orders").get_data(as_text=True)
    assert "¥88.00" in page
