"""At the counter: the buyer's pickup code hands the order over and, for pay-at-pickup, takes the money, in
one step through the order machine (`collect`). A wrong code is refused and changes nothing."""

from __future__ import annotations

import re
from datetime import datetime

from flask_babel import lazy_gettext as _l

from market.domain.order_flow import Action, Actor, OrderStatus
from market.extensions import db
from market.models import Order, Outlet, User
from market.services.errors import ServiceError
from market.services.ordering import orders, pickup

CODE = re.compile(rf"\d{{{pickup.CODE_DIGITS}}}")


class WrongPickupCode(ServiceError):
    """No order of the outlet waits for collection with the typed code (counted against the rate limit)."""


def collect(user: User, outlet: Outlet, typed: str, now: datetime) -> Order:
    """Hand over the outlet's waiting order whose pickup code was typed (paying it if it is paid at the
    outlet) and return it; WrongPickupCode when no waiting order has that code."""
    typed = typed.strip()
    order_id = pickup.match(outlet.id, typed) if CODE.fullmatch(typed) else None
    if order_id is None:
        raise WrongPickupCode(_l("No order waiting for collection here has this code. Check the %(n)d digits "
                                 "with the buyer.", n=pickup.CODE_DIGITS), "code")
    order = db.session.scalars(orders.order_query().where(Order.id == order_id)).unique().one()
    orders.apply(order, Action.COLLECT, Actor.OUTLET, user, now)
    return order


def handed_over(outlet: Outlet, number: str) -> Order | None:
    """An order of this outlet collected at its counter, by number (for the confirmation shown afterwards)."""
    return db.session.scalars(orders.order_query().where(
        Order.outlet_id == outlet.id, Order.number == number, Order.status == OrderStatus.COMPLETED)).unique().first()
