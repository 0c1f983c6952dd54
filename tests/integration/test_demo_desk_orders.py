"""The demo's orders on the order desk: outlet@example.com finds orders waiting in every desk tab, a ready pickup
order with a 6-digit code from the real generator, a cancel reason, a tracking number and an open refund request;
the demo consumer's order list opens on "to collect"."""

from __future__ import annotations

import re
from datetime import date

import pytest
import sqlalchemy as sa

from market.demo import load_demo
from market.demo.desk_orders import CANCEL_REASON, CARRIER, TRACKING
from market.domain.buyer_tabs import BuyerTab
from market.domain.order_flow import OrderStatus
from market.extensions import db
from market.models import Order, User
from market.services.ordering import desk, history, orders, refunds

TODAY = date(2026, 11, 29)


def user(email: str) -> User:
    return db.session.scalars(sa.select(User).where(User.email == email)).one()


@pytest.fixture
def demo(app):
    result = load_demo(TODAY)
    db.session.commit()
    return result


def test_every_desk_tab_of_the_demo_outlet_has_orders(demo):
    outlet_ids = orders.staff_outlet_ids(user("outlet@example.com"))
    counts = desk.desk_page(outlet_ids, desk.DeskTab.TO_PREPARE).counts
    assert all(counts[tab] > 0 for tab in desk.DESK_TABS), counts


def test_ready_pickup_orders_carry_six_digit_codes_unique_at_their_outlet(demo):
    ready = db.session.scalars(sa.select(Order).where(Order.status == OrderStatus.READY_FOR_PICKUP)).all()
    outlet_ids = set(orders.staff_outlet_ids(user("outlet@example.com")))
    assert any(o.outlet_id in outlet_ids for o in ready)
    assert all(o.pickup_code and re.fullmatch(r"\d{6}", o.pickup_code) for o in ready)
    assert len({(o.outlet_id, o.pickup_code) for o in ready}) == len(ready)


def test_the_consumer_sees_the_reason_the_tracking_and_the_open_refund(demo):
    consumer = user("consumer@example.com")
    mine = {o.status: o for o in db.session.scalars(sa.select(Order).where(Order.user_id == consumer.id)
                                                     .order_by(Order.id))}
    cancelled = mine[OrderStatus.CANCELLED]
    assert history.closing(cancelled) == history.Closing("outlet", CANCEL_REASON)
    shipped = mine[OrderStatus.SHIPPED]
    assert (shipped.carrier, shipped.tracking_number) == (CARRIER, TRACKING)
    assert refunds.open_request(mine[OrderStatus.REFUND_REQUESTED]) is not None
    assert history.buyer_history(consumer, None, 1).tab is BuyerTab.TO_COLLECT
