"""The outlet's order desk through its pages: tabs, counts, search, the outlet filter and paging; the order page,
shipping and cancelling with a reason the buyer reads; the counter (a wrong code changes nothing, the right one
hands over and takes the cash, wrong codes limited per outlet); slips and pick lists; another outlet's staff
reach none of it."""

from __future__ import annotations

import email
import email.policy
import re
from pathlib import Path

import pytest
import sqlalchemy as sa

from market.domain.order_flow import Action, Actor
from market.extensions import db
from market.models import Order, OrderEvent, OutgoingMail, OutletMembership
from market.services.ordering import desk, payments
from market.services.ordering import orders as order_service
from tests.conftest import csrf_token
from tests.factories import PASSWORD, ListingFactory, UserFactory
from tests.services.ordering_setup import buy, now, place


def staff_of(*outlet_ids: int, email: str = "staff@example.com"):
    staff = UserFactory(email=email, roles_given=("outlet_staff",))
    for outlet_id in outlet_ids:
        db.session.add(OutletMembership(user_id=staff.id, outlet_id=outlet_id))
    db.session.commit()
    return staff


def log_in(client, auth, email: str = "staff@example.com") -> None:
    """Log in and read the pages in English."""
    auth.login(email, PASSWORD)
    client.get("/lang/en")


def token(client) -> str:
    return csrf_token(client, "/account/")


def fresh(order: Order) -> Order:
    db.session.rollback()
    return db.session.get(Order, order.id)


def ready(order: Order, staff) -> str:
    order_service.apply(order, Action.READY, Actor.OUTLET, staff, now())
    db.session.commit()
    return order.pickup_code


def test_tabs_count_the_outlets_orders_and_a_search_finds_one_by_number_or_phone_ending(client, auth, app):
    (first,) = place(1, provider="pickup", stock=20)
    listing_id = first.lines[0].listing_id
    second, third, fourth = (buy(listing_id, 1) for _ in range(3))
    staff = staff_of(first.outlet_id)
    ready(second, staff)
    order_service.cancel_by_outlet(third, staff, now(), "缺货")
    db.session.execute(sa.update(Order).where(Order.id == fourth.id).values(phone="13912340000"))
    db.session.commit()
    (elsewhere,) = place(1, provider="pickup")  # another outlet's order is never counted here
    log_in(client, auth)

    page = client.get("/outlet/orders").get_data(as_text=True)
    assert "To prepare (2)" in page and "Ready for pickup (1)" in page and "Cancelled (1)" in page and "All (4)" in page
    assert first.number in page and fourth.number in page and second.number not in page
    assert elsewhere.number not in client.get("/outlet/orders?tab=all").get_data(as_text=True)

    found = client.get(f"/outlet/orders?q={second.number[-6:].lower()}").get_data(as_text=True)
    assert second.number in found and first.number not in found and "All (1)" in found
    by_phone = client.get("/outlet/orders?q=0000").get_data(as_text=True)
    assert fourth.number in by_phone and first.number not in by_phone
    assert "All (0)" in client.get("/outlet/orders?q=123").get_data(as_text=True)  # 3 digits: no phone search
    assert client.get("/outlet/orders?q=%25_%25&tab=nonsense").status_code == 200  # LIKE wildcards are text


def test_staff_of_two_outlets_filter_by_outlet_and_page_through_a_tab(client, auth, app):
    (a,) = place(1, provider="pickup", stock=50)
    (b,) = place(1, provider="pickup")
    for _ in range(21):
        buy(a.lines[0].listing_id, 1)
    staff_of(a.outlet_id, b.outlet_id)
    log_in(client, auth)
    both = client.get("/outlet/orders").get_data(as_text=True)
    assert "To prepare (23)" in both and "Page 1 of 2" in both
    assert f"/outlet/{a.outlet.code}/counter" in both and f"/outlet/{b.outlet.code}/counter" in both
    only_b = client.get(f"/outlet/orders?outlet={b.outlet.code}").get_data(as_text=True)
    assert "To prepare (1)" in only_b and b.number in only_b and a.number not in only_b
    assert f"/outlet/{b.outlet.code}/counter" in only_b and f"/outlet/{a.outlet.code}/counter" not in only_b
    second_page = client.get("/outlet/orders?tab=to_prepare&page=2").get_data(as_text=True)
    assert "Page 2 of 2" in second_page and a.number in second_page  # the oldest order comes last
    assert "outlet=" + a.outlet.code in client.get(f"/outlet/orders?outlet={a.outlet.code}").get_data(as_text=True)


def test_the_desk_counts_every_tab_in_one_grouped_query(app):
    (first,) = place(1, provider="pickup", stock=20)
    for _ in range(5):
        buy(first.lines[0].listing_id, 1)
    outlet_id = first.outlet_id
    statements: list[str] = []

    def record(conn, cursor, statement, *args):
        statements.append(statement)

    sa.event.listen(db.engine, "before_cursor_execute", record)
    try:
        found = desk.desk_page([outlet_id], desk.DeskTab.TO_PREPARE)
    finally:
        sa.event.remove(db.engine, "before_cursor_execute", record)
    assert found.counts[desk.DeskTab.TO_PREPARE] == 6 and len(found.orders) == 6
    grouped = [s for s in statements if "GROUP BY" in s.upper()]
    assert len(grouped) == 1, statements
    assert len(statements) <= 3, [s[:80] for s in statements]  # counts, the page (outlet, payment), the lines


def test_the_order_page_shows_lines_buyer_payment_and_timeline_but_not_the_code(client, auth, app):
    (order,) = place(2, provider="pickup")
    staff = staff_of(order.outlet_id)
    code = ready(order, staff)
    log_in(client, auth)
    page = client.get(f"/outlet/orders/{order.number}").get_data(as_text=True)
    assert order.lines[0].name_en in page and "13800001234" in page and "¥136.00" in page
    assert "Pay at pickup" in page and "Ready for pickup" in page and "Go to the counter" in page
    assert code not in page  # only the buyer can collect: the desk never shows the code
    assert "Mark completed" not in page and "/pay" not in page


def test_a_delivery_order_is_shipped_only_with_carrier_and_tracking_number(client, auth, app):
    (order,) = place(1)
    payments.confirm_paid(order.payment, order.payment.amount_fen, "cny", "pi_1", now())
    db.session.commit()
    staff_of(order.outlet_id)
    log_in(client, auth)
    assert "Carrier" in client.get(f"/outlet/orders/{order.number}").get_data(as_text=True)
    refused = client.post(f"/outlet/orders/{order.number}/ship", data={"carrier": "顺丰", "tracking_number": "",
                                                                     "csrf_token": token(client)})
    assert refused.status_code == 422 and fresh(order).status == "paid"
    done = client.post(f"/outlet/orders/{order.number}/ship", data={
        "carrier": "顺丰速运", "tracking_number": "SF1234567890", "csrf_token": token(client)})
    assert done.status_code == 302
    order = fresh(order)
    assert (order.status, order.carrier, order.tracking_number) == ("shipped", "顺丰速运", "SF1234567890")
    assert "SF1234567890" in client.get(f"/outlet/orders/{order.number}").get_data(as_text=True)


def test_cancelling_asks_for_confirmation_and_a_reason_that_the_buyer_reads(client, auth, app):
    buyer = UserFactory(email="buyer@example.com")
    (order,) = place(2, provider="pickup", stock=5, buyer=buyer)
    staff_of(order.outlet_id)
    log_in(client, auth)
    page = client.get(f"/outlet/orders/{order.number}").get_data(as_text=True)
    assert f'href="/outlet/orders/{order.number}/cancel"' in page  # a link to the confirmation, not a button
    confirm = client.get(f"/outlet/orders/{order.number}/cancel")
    assert confirm.status_code == 200 and "The buyer sees your reason" in confirm.get_data(as_text=True)
    assert fresh(order).status == "placed"  # asking changed nothing
    without = client.post(f"/outlet/orders/{order.number}/cancel", data={"reason": "  ", "csrf_token": token(client)})
    assert without.status_code == 422 and fresh(order).status == "placed"
    too_long = client.post(f"/outlet/orders/{order.number}/cancel", data={"reason": "长" * 201,
                                                                        "csrf_token": token(client)})
    assert too_long.status_code == 422 and fresh(order).status == "placed"
    done = client.post(f"/outlet/orders/{order.number}/cancel", data={"reason": "货品临期，无法出售",
                                                                    "csrf_token": token(client)})
    assert done.status_code == 302
    order = fresh(order)
    assert order.status == "cancelled" and order.lines[0].listing.stock == 5
    assert [(e.action, e.note) for e in order.events][-1] == ("cancel", "货品临期，无法出售")
    auth.logout()
    auth.login("buyer@example.com", PASSWORD)
    assert "货品临期，无法出售" in client.get(f"/account/orders/{order.number}").get_data(as_text=True)


def counter_post(client, outlet_code: str, code: str):
    return client.post(f"/outlet/{outlet_code}/counter", data={"code": code, "csrf_token": token(client)})


def snapshot(order: Order) -> tuple:
    order = fresh(order)
    events = db.session.scalar(sa.select(sa.func.count()).where(OrderEvent.order_id == order.id))
    return order.status, order.paid_at, order.payment.status, events


def test_at_the_counter_a_wrong_code_changes_nothing_and_the_right_one_completes_and_takes_the_cash(client, auth, app):
    (order,) = place(2, provider="pickup")
    staff = staff_of(order.outlet_id)
    code = ready(order, staff)
    outlet = order.outlet.code
    log_in(client, auth)
    assert client.get(f"/outlet/{outlet}/counter").status_code == 200
    before = snapshot(order)
    wrong = counter_post(client, outlet, f"{(int(code) + 1) % 1_000_000:06d}")
    assert wrong.status_code == 422
    assert "No order waiting for collection here has this code" in wrong.get_data(as_text=True)
    assert snapshot(order) == before
    right = counter_post(client, outlet, code)
    assert right.status_code == 302
    shown = client.get(right.headers["Location"]).get_data(as_text=True)
    assert order.number in shown and "¥136.00" in shown and "in cash" in shown
    order = fresh(order)
    assert (order.status, order.payment.status) == ("completed", "succeeded") and order.paid_at is not None
    assert counter_post(client, outlet, code).status_code == 422  # used once


def test_a_code_read_out_with_spaces_or_typed_in_full_width_digits_is_the_code(client, auth, app):
    (order,) = place(1, provider="pickup")
    code = ready(order, staff_of(order.outlet_id))
    log_in(client, auth)
    typed = " " + code[:3] + " " + code[3:].translate(str.maketrans("0123456789", "０１２３４５６７８９")) + " "
    assert counter_post(client, order.outlet.code, typed).status_code == 302
    assert fresh(order).status == "completed"


def test_wrong_codes_are_limited_per_outlet_with_a_clear_page(client, auth, app):
    (order,) = place(1, provider="pickup")
    (other,) = place(1, provider="pickup")
    staff = staff_of(order.outlet_id, other.outlet_id)
    code = ready(order, staff)
    other_code = ready(other, staff)
    log_in(client, auth)
    wrong = "000000" if code != "000000" else "000001"
    for _ in range(10):
        assert counter_post(client, order.outlet.code, wrong).status_code == 422
    limited = counter_post(client, order.outlet.code, code)
    assert limited.status_code == 429 and "Too many attempts" in limited.get_data(as_text=True)
    assert int(limited.headers["Retry-After"]) > 0
    assert fresh(order).status == "ready_for_pickup"
    assert counter_post(client, other.outlet.code, other_code).status_code == 302  # the other outlet's counter
    assert fresh(other).status == "completed"


def test_another_outlets_staff_reach_no_order_page_slip_counter_or_step(client, auth, app):
    (order,) = place(1, provider="pickup")
    code = ready(order, staff_of(order.outlet_id))
    (mine,) = place(1, provider="pickup")
    staff_of(mine.outlet_id, email="other@example.com")
    log_in(client, auth, "other@example.com")
    for path in (f"/outlet/orders/{order.number}", f"/outlet/orders/{order.number}/slip",
                 f"/outlet/orders/{order.number}/cancel", f"/outlet/{order.outlet.code}/counter"):
        assert client.get(path).status_code == 404, path
    for path, data in ((f"/outlet/orders/{order.number}/complete", {}),
                       (f"/outlet/orders/{order.number}/cancel", {"reason": "x"}),
                       (f"/outlet/orders/{order.number}/ship", {"carrier": "x", "tracking_number": "y"}),
                       (f"/outlet/{order.outlet.code}/counter", {"code": code})):
        assert client.post(path, data={**data, "csrf_token": token(client)}).status_code == 404, path
    assert counter_post(client, mine.outlet.code, code).status_code == 422  # not an order of this outlet
    assert order.number not in client.get("/outlet/orders/pick-list").get_data(as_text=True)
    assert fresh(order).status == "ready_for_pickup"


def test_the_slip_and_the_pick_list_print_what_is_to_prepare(client, auth, app):
    (first,) = place(2, provider="pickup", stock=20)
    second = buy(first.lines[0].listing_id, 3)
    staff = staff_of(first.outlet_id)
    ready(second, staff)  # ready: prepared already, off the pick list
    third = buy(first.lines[0].listing_id, 4)
    log_in(client, auth)
    slip = client.get(f"/outlet/orders/{first.number}/slip").get_data(as_text=True)
    assert "css/print.css" in slip and first.number in slip and first.lines[0].sku in slip and "13800001234" in slip
    picks = client.get("/outlet/orders/pick-list").get_data(as_text=True)
    assert first.number in picks and third.number in picks and second.number not in picks
    row = re.search(rf"<td>{re.escape(first.lines[0].sku)}</td><td class=\"qty\">(\d+)", picks)
    assert row and row.group(1) == "6"  # 2 + 4 units over two orders


@pytest.mark.parametrize("tab", ["to_prepare", "ready", "shipped", "completed", "cancelled", "refunds", "all"])
def test_every_tab_answers_even_when_empty(client, auth, app, tab):
    ListingFactory()
    staff_of(ListingFactory().outlet_id)
    log_in(client, auth)
    assert client.get(f"/outlet/orders?tab={tab}").status_code == 200


def mails(kind: str) -> list[OutgoingMail]:
    db.session.rollback()
    return list(db.session.scalars(sa.select(OutgoingMail).where(OutgoingMail.kind == kind).order_by(OutgoingMail.id)))


def written(app, *texts: str) -> list[str]:
    """The .eml files of the outbox folder (sent after the commit) that contain all of `texts`."""
    folder = Path(app.config["MARKET_OUTBOX"])
    found = []
    for path in folder.glob("*.eml"):
        message = email.message_from_bytes(path.read_bytes(), policy=email.policy.default)
        body = message.get_body(preferencelist=("plain",)).get_content()
        if all(text in body for text in texts):
            found.append(body)
    return found


def test_the_buyer_is_mailed_the_code_when_ready_and_the_reason_when_cancelled_but_not_for_a_wrong_code(
        client, auth, app):
    buyer = UserFactory(email="buyer@example.com")
    (order,) = place(1, provider="pickup", stock=5, buyer=buyer)
    other = buy(order.lines[0].listing_id, 1)
    staff_of(order.outlet_id)
    log_in(client, auth)
    client.post(f"/outlet/orders/{order.number}/ready", data={"csrf_token": token(client)})
    (ready_mail,) = mails("order.ready")
    assert ready_mail.recipient == "buyer@example.com" and ready_mail.status == "sent"
    assert len(written(app, order.number, fresh(order).pickup_code)) == 1
    all_before = len(mails("order.ready")) + len(mails("order.cancel"))
    assert counter_post(client, order.outlet.code, "999999" if order.pickup_code != "999999" else "999998"
                        ).status_code == 422
    assert len(mails("order.ready")) + len(mails("order.cancel")) == all_before
    client.post(f"/outlet/orders/{other.number}/cancel", data={"reason": "缺货，抱歉", "csrf_token": token(client)})
    (cancel_mail,) = mails("order.cancel")
    assert cancel_mail.recipient == other.user.email
    assert len(written(app, other.number, "缺货，抱歉")) == 1
