"""Pickup codes: six random digits given to a pickup order when it becomes ready, unique among the outlet's
orders waiting for collection, and matched at the counter in constant time."""

from __future__ import annotations

import hmac
import secrets
from collections.abc import Callable

import sqlalchemy as sa
from flask_babel import lazy_gettext as _l

from market.db_setup import statement_savepoint
from market.domain.order_flow import OrderStatus
from market.extensions import db
from market.models import Order
from market.services.errors import ServiceError

CODE_DIGITS = 6
ATTEMPTS = 5  # writes tried before giving up (each loses only to a concurrent order taking the same code)


def waiting_codes(outlet_id: int) -> dict[str, int]:
    """The codes of the outlet's orders waiting for collection, with their order ids."""
    rows = db.session.execute(sa.select(Order.pickup_code, Order.id).where(
        Order.outlet_id == outlet_id, Order.status == OrderStatus.READY_FOR_PICKUP, Order.pickup_code.is_not(None)))
    return {code: order_id for code, order_id in rows}


def new_code(taken: set[str] | dict[str, int]) -> str:
    """Six random digits (from `secrets`) that are not among `taken`."""
    while True:
        code = f"{secrets.randbelow(10 ** CODE_DIGITS):0{CODE_DIGITS}d}"
        if code not in taken:
            return code


def code_for(order: Order, avoid: set[str]) -> str:
    """The code the order waits with: the one it had (back from a refused refund request) if no other waiting
    order of its outlet holds it now, otherwise a fresh one."""
    taken = set(waiting_codes(order.outlet_id)) | avoid
    if order.pickup_code and order.pickup_code not in taken:
        return order.pickup_code
    return new_code(taken)


def write_with_code(order: Order, write: Callable[[str], int]) -> int:
    """Run `write(code)` (the order's move to ready) with a code free at the outlet; if a concurrent request
    gave the same code to another order meanwhile (the unique index refuses it), try again with another."""
    avoid: set[str] = set()
    for _ in range(ATTEMPTS):
        code = code_for(order, avoid)
        try:
            with statement_savepoint():
                return write(code)
        except sa.exc.IntegrityError:
            avoid.add(code)
    raise ServiceError(_l("No pickup code could be given just now. Try again."))


def match(outlet_id: int, typed: str) -> int | None:
    """The id of the outlet's waiting order whose code is `typed`, or None. Every waiting code is compared,
    each with hmac.compare_digest, so the time taken tells nothing about how close a guess was."""
    typed_bytes = typed.encode()
    found = None
    for code, order_id in waiting_codes(outlet_id).items():
        if hmac.compare_digest(code.encode(), typed_bytes):
            found = order_id
    return found
