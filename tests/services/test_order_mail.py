"""The order mails: what each step queues, to whom, in which language; a checkout rolled back queues nothing."""

from __future__ import annotations

import pytest
import sqlalchemy as sa

from market.domain.dates import business_date
from market.domain.order_flow import Action
from market.extensions import db
from market.models import Order, OutgoingMail, OutletMembership, Refund, User
from market.payments import get_provider
from market.services.ordering import cart as carts
from market.services.ordering import order_mail, refunds
from market.services.ordering.checkout import place_orders
from tests.factories import ListingFactory, UserFactory
from tests.services.ordering_setup import DELIVERY, PICKUP, now


def queued() -> list[OutgoingMail]:
    """The rows queued so far in this (uncommitted) transaction, oldest first."""
    db.session.flush()
    return list(db.session.scalars(sa.select(OutgoingMail).order_by(OutgoingMail.id)))


def staffed_listing() -> tuple[object, User, User]:
    """A listing whose outlet has an owner reading Chinese and a staff member reading English."""
    listing = ListingFactory(stock=5, price_fen=6800)
    owner = UserFactory(email="owner@example.com", locale="zh")
    clerk = UserFactory(email="clerk@example.com", locale="en")
    gone = UserFactory(email="gone@example.com", active=False)  # a closed account is mailed nothing
    db.session.add_all([OutletMembership(user_id=owner.id, outlet_id=listing.outlet_id, is_owner=True),
                        OutletMembership(user_id=clerk.id, outlet_id=listing.outlet_id),
                        OutletMembership(user_id=gone.id, outlet_id=listing.outlet_id)])
    outlet = listing.outlet
    outlet.pickup_address, outlet.opening_hours, outlet.shop_phone = "陇县城关镇东大街1号", "9:00–18:00", "0917-4561234"
    db.session.flush()
    return listing, owner, clerk


def order_at(listing, locale: str = "en", delivery=PICKUP) -> Order:
    buyer = UserFactory(email=f"buyer-{locale}@example.com", locale=locale)
    cart = carts.get_or_create_cart(buyer, None)
    carts.add(cart, listing.id, 2, business_date(now()))
    provider = get_provider("pickup" if delivery is PICKUP else "stripe")
    (order,) = place_orders(buyer, cart, delivery, provider, now())
    return order


def test_placing_an_order_mails_the_buyer_and_each_staff_member_in_their_own_language(db_session):
    listing, owner, clerk = staffed_listing()
    order = order_at(listing, "en")
    placed, to_owner, to_clerk = queued()
    assert [(m.kind, m.recipient) for m in (placed, to_owner, to_clerk)] == [
        ("order.placed", "buyer-en@example.com"), ("order.new", "owner@example.com"),
        ("order.new", "clerk@example.com")]
    product = listing.product
    assert placed.subject == f"Order {order.number} placed — Long County market"
    assert product.name_en in placed.body and product.name_zh not in placed.body and "¥136.00" in placed.body
    assert f"/account/orders/{order.number}" in placed.body
    assert product.name_zh in to_owner.body and product.name_en not in to_owner.body  # the owner reads Chinese
    assert to_clerk.subject == f"New order {order.number} — {listing.outlet.name}" and product.name_en in to_clerk.body
    assert f"http://market.example.com/outlet/orders/{order.number}" in to_clerk.body  # the desk's order page


def test_a_checkout_rolled_back_queues_nothing(db_session):
    listing, _owner, _clerk = staffed_listing()
    order_at(listing)
    assert len(queued()) == 3
    db_session.rollback()
    assert queued() == []


@pytest.mark.parametrize("locale", ["en", "zh"])
def test_ready_for_pickup_tells_the_buyer_the_code_address_hours_and_phone(db_session, locale):
    listing, _owner, _clerk = staffed_listing()
    order = order_at(listing, locale)
    order.pickup_code = "482913"
    order_mail.order_changed(order, Action.READY.value, None)
    ready = queued()[-1]
    assert ready.kind == "order.ready" and ready.recipient == f"buyer-{locale}@example.com"
    for fact in ("482913", "陇县城关镇东大街1号", "9:00–18:00", "0917-4561234", f"/account/orders/{order.number}"):
        assert fact in ready.body
    if locale == "en":
        assert "Pickup code: 482913" in ready.body
        assert ready.subject == f"Order {order.number} is ready for pickup — Long County market"


def test_shipping_tells_the_carrier_and_tracking_number(db_session):
    listing, _owner, _clerk = staffed_listing()
    order = order_at(listing, "en", DELIVERY)
    order.carrier, order.tracking_number = "中国邮政", "EMS1234567890"
    order_mail.order_changed(order, Action.SHIP.value, None)
    shipped = queued()[-1]
    assert shipped.kind == "order.ship"
    assert "Carrier: 中国邮政" in shipped.body and "Tracking number: EMS1234567890" in shipped.body


def test_cancelling_and_expiry_tell_the_reason(db_session):
    listing, _owner, _clerk = staffed_listing()
    order = order_at(listing, "en")
    order_mail.order_changed(order, Action.CANCEL.value, "水果已售完")
    order_mail.order_changed(order, Action.EXPIRE.value, "hold expired")
    cancelled, expired = queued()[-2:]
    assert cancelled.kind == "order.cancel" and "Reason: 水果已售完" in cancelled.body
    assert expired.kind == "order.expire" and "Reason: it was not paid in time." in expired.body
    assert "hold expired" not in expired.body  # the timeline's internal note is not for the buyer


def test_an_order_cancelled_because_its_payment_failed_says_so_not_the_internal_note(db_session):
    listing, _owner, _clerk = staffed_listing()
    order = order_at(listing, "en", DELIVERY)
    order.payment.status = "failed"
    order_mail.order_changed(order, Action.CANCEL.value, "payment failed")
    cancelled = queued()[-1]
    assert "Reason: the payment was not completed." in cancelled.body and "payment failed" not in cancelled.body


def test_a_refund_accepted_tells_the_amount_and_one_refused_the_reason(db_session):
    listing, _owner, _clerk = staffed_listing()
    order = order_at(listing, "en")
    db.session.add(Refund(order_id=order.id, payment_id=order.payment_id, amount_fen=6800, reason="坏了",
                          status="succeeded"))
    order_mail.order_changed(order, Action.REFUND.value, "¥68.00")
    order_mail.order_changed(order, "refuse_refund", "苹果完好，无法退款")
    accepted, refused = queued()[-2:]
    assert accepted.kind == "order.refund" and "¥68.00 returns to you the way you paid." in accepted.body
    assert refused.kind == "order.refuse_refund" and "Reason: 苹果完好，无法退款" in refused.body


@pytest.mark.parametrize("action", ["pay", "pack", "complete", "request_refund", "late_pay", "collect"])
def test_steps_the_buyer_takes_or_needs_no_word_of_mail_nobody(db_session, action):
    listing, _owner, _clerk = staffed_listing()
    order = order_at(listing, "en")
    before = len(queued())
    order_mail.order_changed(order, action, None)
    assert len(queued()) == before


def test_a_closed_accounts_buyer_is_mailed_nothing(db_session):
    listing, _owner, _clerk = staffed_listing()
    order = order_at(listing, "en")
    before = len(queued())
    order.user.active = False
    order_mail.order_changed(order, Action.CANCEL.value, "售完")
    assert len(queued()) == before


def test_a_refund_request_mails_the_outlets_staff_with_the_reason(db_session):
    listing, _owner, _clerk = staffed_listing()
    order = order_at(listing, "en")
    order.status, order.paid_at = "paid", now()
    db.session.flush()
    refunds.request_refund(order.user, order, {order.lines[0].id: 1}, "一箱坏了", now())
    to_owner, to_clerk = queued()[-2:]
    assert [(m.kind, m.recipient) for m in (to_owner, to_clerk)] == [
        ("refund.requested", "owner@example.com"), ("refund.requested", "clerk@example.com")]
    assert "一箱坏了" in to_clerk.body and "¥68.00" in to_clerk.body
    assert to_clerk.subject == f"Refund requested for order {order.number} — {listing.outlet.name}"
