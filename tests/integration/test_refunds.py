"""Refunds of cash (pay-at-pickup) orders: requested by the buyer, decided by the outlet, booked once."""

from __future__ import annotations

from datetime import UTC, datetime

import sqlalchemy as sa

from market.domain.order_flow import Action, Actor
from market.extensions import db
from market.models import Listing, Order, OutletMembership, Refund
from market.services.ordering import counter
from market.services.ordering import orders as order_service
from tests.conftest import csrf_token
from tests.factories import PASSWORD, ListingFactory, UserFactory


def paid_order(client, auth, *, stock: int = 10):
    """A buyer's cash pickup order of 3 + 1 units, collected at the counter with its code (paid and completed)."""
    buyer = UserFactory(email="buyer@example.com")
    a = ListingFactory(stock=stock, price_fen=6800)
    b = ListingFactory(stock=stock, price_fen=2500, outlet=a.outlet)
    staff = UserFactory(email="staff@example.com", roles_given=("outlet_staff",))
    db.session.add(OutletMembership(user_id=staff.id, outlet_id=a.outlet_id))
    db.session.commit()
    auth.login("buyer@example.com", PASSWORD)
    token = csrf_token(client, "/account/")
    for listing, quantity in ((a, 3), (b, 1)):
        client.post("/cart/add", data={"listing_id": listing.id, "quantity": quantity, "csrf_token": token})
    client.post("/cart/checkout", data={"fulfilment": "pickup", "recipient": "王", "phone": "13800001234",
                                        "payment": "pickup", "saved_address": "0", "csrf_token": token})
    db.session.rollback()
    order = db.session.scalar(sa.select(Order))
    now = datetime.now(UTC)
    order_service.apply(order, Action.READY, Actor.OUTLET, staff, now)
    counter.collect(staff, order.outlet, order.pickup_code, now)
    db.session.commit()
    return order, a, b, buyer


def ask(client, order, quantities: dict[int, str], reason="坏果"):
    data = {f"qty-{line_id}": q for line_id, q in quantities.items()}
    data.update(reason=reason, csrf_token=csrf_token(client, "/account/"))
    return client.post(f"/account/orders/{order.number}/refund", data=data, follow_redirects=True)


def as_staff(client, auth):
    auth.logout()
    auth.login("staff@example.com", PASSWORD)


def decide(client, order, decision, note=""):
    return client.post(f"/outlet/orders/{order.number}/refund",
                       data={"decision": decision, "note": note, "csrf_token": csrf_token(client, "/account/")},
                       follow_redirects=True)


def fresh(order):
    db.session.rollback()
    return db.session.get(Order, order.id)


def test_a_partial_refund_of_a_completed_order_is_booked_once_and_keeps_stock(client, auth, app):
    order, a, _, _ = paid_order(client, auth)
    first = order.lines[0]
    assert "退款申请已发送" in ask(client, order, {first.id: "2", order.lines[1].id: "0"}).get_data(as_text=True)
    assert fresh(order).status == "refund_requested"
    as_staff(client, auth)
    assert "¥136.00" in client.get(f"/outlet/orders/{order.number}").get_data(as_text=True)
    assert "(1)" in client.get("/outlet/orders?tab=refunds").get_data(as_text=True)
    decide(client, order, "accept")
    order = fresh(order)
    refund = db.session.scalar(sa.select(Refund))
    assert (refund.status, refund.amount_fen, refund.refunded_on is not None) == ("succeeded", 13600, True)
    assert order.status == "completed"
    assert (order.lines[0].refunded_quantity, order.lines[0].refunded_fen) == (2, 13600)
    assert order.lines[1].refunded_quantity == 0
    assert db.session.get(Listing, a.id).stock == 7  # handed over: nothing returns to the shelf
    assert [e.action for e in order.events][-2:] == ["request_refund", "refund"]
    assert decide(client, order, "accept").status_code == 200
    assert fresh(order).lines[0].refunded_fen == 13600  # a second click books nothing


def test_refunding_everything_of_a_collected_cash_order_marks_it_refunded(client, auth, app):
    order, a, b, _ = paid_order(client, auth)  # paid on collection: the goods have left
    ask(client, order, {order.lines[0].id: "3", order.lines[1].id: "1"})
    as_staff(client, auth)
    decide(client, order, "accept")
    order = fresh(order)
    assert order.status == "refunded"
    assert sum(line.refunded_fen for line in order.lines) == order.total_fen
    assert (db.session.get(Listing, a.id).stock, db.session.get(Listing, b.id).stock) == (7, 9)


def test_refunds_never_exceed_what_was_paid(client, auth, app):
    order, *_ = paid_order(client, auth)
    line = order.lines[0]
    assert "最多还可退" in ask(client, order, {line.id: "4"}).get_data(as_text=True)
    assert "至少选择一件" in ask(client, order, {line.id: "0"}).get_data(as_text=True)
    assert "整数" in ask(client, order, {line.id: "-1"}).get_data(as_text=True)
    assert "整数" in ask(client, order, {line.id: "abc"}).get_data(as_text=True)
    assert "请说明退款原因" in ask(client, order, {line.id: "1"}, reason=" ").get_data(as_text=True)
    assert db.session.scalar(sa.select(sa.func.count(Refund.id))) == 0
    assert fresh(order).status == "completed"


def test_the_outlet_refuses_with_a_reason_and_the_order_goes_back(client, auth, app):
    order, *_ = paid_order(client, auth)
    ask(client, order, {order.lines[0].id: "1"})
    as_staff(client, auth)
    assert "请说明拒绝的理由" in decide(client, order, "refuse").get_data(as_text=True)
    assert fresh(order).status == "refund_requested"
    decide(client, order, "refuse", note="商品无质量问题")
    order = fresh(order)
    assert order.status == "completed" and order.lines[0].refunded_quantity == 0
    assert db.session.scalar(sa.select(Refund.status)) == "refused"
    assert order.events[-1].note == "商品无质量问题"


def test_only_the_buyer_asks_and_only_the_outlet_decides(client, auth, app):
    order, *_ = paid_order(client, auth)
    assert decide(client, order, "accept").status_code == 403  # a consumer on the outlet route
    auth.logout()
    UserFactory(email="other@example.com")
    auth.login("other@example.com", PASSWORD)
    assert client.get(f"/account/orders/{order.number}/refund").status_code == 404
    assert ask(client, order, {order.lines[0].id: "1"}).status_code == 404
    auth.logout()
    UserFactory(email="staff2@example.com", roles_given=("outlet_staff",))
    auth.login("staff2@example.com", PASSWORD)
    assert decide(client, order, "accept").status_code == 404


def test_unpaid_orders_cannot_be_refunded(client, auth, app):
    UserFactory(email="buyer@example.com")
    listing = ListingFactory(stock=5)
    auth.login("buyer@example.com", PASSWORD)
    token = csrf_token(client, "/account/")
    client.post("/cart/add", data={"listing_id": listing.id, "quantity": 1, "csrf_token": token})
    client.post("/cart/checkout", data={"fulfilment": "pickup", "recipient": "王", "phone": "13800001234",
                                        "payment": "pickup", "saved_address": "0", "csrf_token": token})
    order = db.session.scalar(sa.select(Order))
    assert "当前不能退款" in ask(client, order, {order.lines[0].id: "1"}).get_data(as_text=True)
