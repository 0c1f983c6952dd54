"""Orders after checkout: the buyer's list and timeline, cancelling, outlet transitions, expiry."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import sqlalchemy as sa

from market.cli import main
from market.extensions import db
from market.models import Listing, Order, OutletMembership
from tests.conftest import csrf_token
from tests.factories import PASSWORD, ListingFactory, UserFactory


def place(client, auth, email="buyer@example.com", quantity=2, stock=5):
    UserFactory(email=email)
    listing = ListingFactory(stock=stock, price_fen=6800)
    auth.login(email, PASSWORD)
    token = csrf_token(client, "/account/")
    client.post("/cart/add", data={"listing_id": listing.id, "quantity": quantity, "csrf_token": token})
    response = client.post("/cart/checkout", data={
        "fulfilment": "pickup", "recipient": "王小明", "phone": "13800001234", "payment": "pickup",
        "saved_address": "0", "csrf_token": token})
    assert response.status_code == 302, response.get_data(as_text=True)
    db.session.rollback()
    return db.session.scalar(sa.select(Order)), listing


def stock(listing_id: int) -> int:
    db.session.rollback()
    return db.session.get(Listing, listing_id).stock


def post(client, path):
    return client.post(path, data={"csrf_token": csrf_token(client, "/account/")})


def test_the_buyer_sees_the_order_and_its_timeline(client, auth, app):
    order, _ = place(client, auth)
    assert order.number in client.get("/account/orders").get_data(as_text=True)
    page = client.get(f"/account/orders/{order.number}").get_data(as_text=True)
    assert "已下单" in page and "¥136.00" in page and "取消订单" in page


def test_the_buyer_cancels_before_payment_and_the_stock_returns(client, auth, app):
    order, listing = place(client, auth)
    assert stock(listing.id) == 3
    post(client, f"/account/orders/{order.number}/cancel")
    db.session.rollback()
    order = db.session.get(Order, order.id)
    assert order.status == "cancelled" and order.payment.status == "cancelled"
    assert stock(listing.id) == 5
    post(client, f"/account/orders/{order.number}/cancel")  # twice changes nothing
    assert stock(listing.id) == 5
    assert [e.status for e in db.session.get(Order, order.id).events] == ["placed", "cancelled"]


def test_another_users_order_is_a_404(client, auth, app):
    order, _ = place(client, auth)
    auth.logout()
    UserFactory(email="other@example.com")
    auth.login("other@example.com", PASSWORD)
    assert client.get(f"/account/orders/{order.number}").status_code == 404
    assert post(client, f"/account/orders/{order.number}/cancel").status_code == 404
    assert client.get("/account/orders/LXNOPE").status_code == 404
    assert post(client, f"/account/orders/{order.number}/pay").status_code == 404


def test_outlet_staff_make_a_pickup_order_ready_and_hand_it_over_with_its_code(client, auth, app):
    order, _ = place(client, auth)
    auth.logout()
    staff = UserFactory(email="staff@example.com", roles_given=("outlet_staff",))
    db.session.add(OutletMembership(user_id=staff.id, outlet_id=order.outlet_id))
    db.session.commit()
    auth.login("staff@example.com", PASSWORD)
    assert order.number in client.get("/outlet/orders").get_data(as_text=True)  # to prepare
    page = client.get(f"/outlet/orders/{order.number}").get_data(as_text=True)
    assert "标记为待自提" in page and "自提时已收款" not in page
    post(client, f"/outlet/orders/{order.number}/ready")
    db.session.rollback()
    code = db.session.get(Order, order.id).pickup_code
    assert code and code not in client.get(f"/outlet/orders/{order.number}").get_data(as_text=True)
    outlet_code = db.session.get(Order, order.id).outlet.code
    client.post(f"/outlet/{outlet_code}/counter", data={"code": code, "csrf_token": csrf_token(client, "/account/")})
    db.session.rollback()
    order = db.session.get(Order, order.id)
    assert order.status == "completed" and order.paid_at is not None and order.payment.status == "succeeded"
    assert order.paid_on == (order.paid_at + timedelta(hours=8)).date()
    assert [(e.status, e.action, e.actor_id) for e in order.events][1:] == [
        ("ready_for_pickup", "ready", staff.id), ("completed", "collect", staff.id)]


def test_staff_of_another_outlet_cannot_see_or_change_the_order(client, auth, app):
    order, _ = place(client, auth)
    auth.logout()
    UserFactory(email="staff2@example.com", roles_given=("outlet_staff",))
    auth.login("staff2@example.com", PASSWORD)
    assert order.number not in client.get("/outlet/orders?tab=all").get_data(as_text=True)
    assert client.get(f"/outlet/orders/{order.number}").status_code == 404
    assert post(client, f"/outlet/orders/{order.number}/ready").status_code == 404
    db.session.rollback()
    assert db.session.get(Order, order.id).status == "placed"


def test_a_consumer_cannot_use_the_outlet_order_page(client, auth, app):
    order, _ = place(client, auth)
    assert client.get("/outlet/orders").status_code == 403
    assert post(client, f"/outlet/orders/{order.number}/ready").status_code == 403


def test_a_refused_transition_explains_and_changes_nothing(client, auth, app):
    order, _ = place(client, auth)
    auth.logout()
    staff = UserFactory(email="staff@example.com", roles_given=("outlet_staff",))
    db.session.add(OutletMembership(user_id=staff.id, outlet_id=order.outlet_id))
    db.session.commit()
    auth.login("staff@example.com", PASSWORD)
    response = client.post(f"/outlet/orders/{order.number}/complete",
                           data={"csrf_token": csrf_token(client, "/account/")}, follow_redirects=True)
    assert "该订单当前不能进行此操作" in response.get_data(as_text=True)
    db.session.rollback()
    assert db.session.get(Order, order.id).status == "placed"


def test_overdue_pickup_orders_expire_lazily_on_access(client, auth, app):
    order, listing = place(client, auth)
    db.session.execute(sa.update(Order).values(hold_until=datetime.now(UTC) - timedelta(minutes=1)))
    db.session.commit()
    assert "已取消" in client.get(f"/account/orders/{order.number}").get_data(as_text=True)
    assert stock(listing.id) == 5


def test_market_orders_expire_cancels_overdue_orders_for_cron(client, auth, runner, app):
    order, listing = place(client, auth)
    assert "Expired 0" in runner.invoke(main, ["orders", "expire"]).output
    db.session.execute(sa.update(Order).values(hold_until=datetime.now(UTC) - timedelta(seconds=1)))
    db.session.commit()
    assert "Expired 1" in runner.invoke(main, ["orders", "expire"]).output
    assert stock(listing.id) == 5
    assert db.session.get(Order, order.id).events[-1].action == "expire"
