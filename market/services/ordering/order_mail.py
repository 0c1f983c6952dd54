"""The order mails: to the buyer at each step that concerns them, to the outlet's staff at a new order or
refund request. Each is an outbox row of the transaction that makes the change, in the recipient's language."""

from __future__ import annotations

import sqlalchemy as sa
from flask import current_app
from flask_babel import get_locale, gettext

from market.domain.money import format_yuan
from market.domain.order_flow import Action
from market.domain.payment_flow import ENDED_UNPAID
from market.extensions import db
from market.models import Order, OutletMembership, Refund, User
from market.services.accounts import outbox

REFUSE_REFUND = "refuse_refund"  # orders.REFUSE_REFUND: the timeline action of a refused refund request


def _link(path: str) -> str:
    """An absolute link for a mail (no request is needed: the public URL is configured)."""
    return current_app.config["MARKET_PUBLIC_URL"] + path


def _buyer_link(order: Order) -> str:
    return _link(f"/account/orders/{order.number}")


def _desk_link(order: Order) -> str:
    return _link(f"/outlet/orders/{order.number}")


def _lines(order: Order) -> str:
    """The order's lines in the active language, and its total."""
    english = str(get_locale()) == "en"
    lines = [f"- {line.name_en if english else line.name_zh} × {line.quantity} {line.unit}  "
             f"{format_yuan(line.line_total_fen)}" for line in order.lines]
    return "\n".join([*lines, gettext("Total: %(total)s", total=format_yuan(order.total_fen))])


def _where(order: Order) -> str:
    """Pickup at the outlet, or the delivery address."""
    if order.fulfilment == "pickup":
        return gettext("Pickup at %(outlet)s.", outlet=order.outlet.name)
    address = " ".join(p for p in (order.province, order.city, order.county, order.address_detail) if p)
    return gettext("Delivery to %(recipient)s, %(address)s.", recipient=order.recipient, address=address)


def order_placed(order: Order) -> None:
    """Tell the buyer the order is placed, and every member of the outlet's staff that a new order came in."""
    if order.user.active:
        outbox.queue_to(order.user, "order.placed", lambda: (
            gettext("Order %(number)s placed — Long County market", number=order.number),
            _body(order, gettext("Thank you. Your order %(number)s at %(outlet)s is placed.", number=order.number,
                                 outlet=order.outlet.name), _lines(order), _where(order))))
    for member in _staff(order.outlet_id):
        outbox.queue_to(member, "order.new", lambda: (
            gettext("New order %(number)s — %(outlet)s", number=order.number, outlet=order.outlet.name),
            "\n\n".join([
                gettext("A new order %(number)s came in for %(outlet)s.", number=order.number,
                        outlet=order.outlet.name),
                _lines(order), _where(order),
                gettext("The order desk: %(link)s", link=_desk_link(order))])))


def refund_requested(order: Order, request: Refund) -> None:
    """Tell every member of the outlet's staff that the buyer asks for money back, and why."""
    for member in _staff(order.outlet_id):
        outbox.queue_to(member, "refund.requested", lambda: (
            gettext("Refund requested for order %(number)s — %(outlet)s", number=order.number,
                    outlet=order.outlet.name),
            "\n\n".join([
                gettext("The buyer of order %(number)s asks for %(amount)s back.", number=order.number,
                        amount=format_yuan(request.amount_fen)),
                gettext("Reason: %(reason)s", reason=request.reason),
                gettext("Accept or refuse it on the order desk: %(link)s", link=_desk_link(order))])))


def order_changed(order: Order, action: str, note: str | None) -> None:
    """Tell the buyer what changed, for the steps they are told about (ready, shipped, cancelled or expired,
    refund accepted or refused); other steps mail nobody. Call after the order's status moved, in the same
    transaction: `action` is an order_flow.Action value or "refuse_refund", `note` the timeline note."""
    compose = {
        Action.READY: _ready, Action.SHIP: _shipped, Action.CANCEL: _cancelled, Action.EXPIRE: _expired,
        Action.REFUND: _refunded, REFUSE_REFUND: _refund_refused,
    }.get(action)
    if compose is None or not order.user.active:  # a closed account's address is a placeholder
        return
    outbox.queue_to(order.user, f"order.{action}", lambda: compose(order, note))


def _ready(order: Order, note: str | None) -> tuple[str, str]:
    outlet = order.outlet
    facts = [gettext("Pickup code: %(code)s", code=order.pickup_code) if order.pickup_code else "",
             gettext("Address: %(address)s", address=outlet.pickup_address or outlet.address or ""),
             gettext("Opening hours: %(hours)s", hours=outlet.opening_hours) if outlet.opening_hours else "",
             gettext("Phone: %(phone)s", phone=outlet.shop_phone) if outlet.shop_phone else ""]
    return (gettext("Order %(number)s is ready for pickup — Long County market", number=order.number),
            _body(order, gettext("Your order %(number)s is ready for pickup at %(outlet)s.", number=order.number,
                                 outlet=outlet.name),
                  "\n".join(f for f in facts if f),
                  gettext("Show the pickup code at the counter when you collect the order.")))


def _shipped(order: Order, note: str | None) -> tuple[str, str]:
    return (gettext("Order %(number)s has been shipped — Long County market", number=order.number),
            _body(order, gettext("Your order %(number)s is on its way.", number=order.number),
                  gettext("Carrier: %(carrier)s", carrier=order.carrier or "—") + "\n"
                  + gettext("Tracking number: %(tracking)s", tracking=order.tracking_number or "—")))


def _cancelled(order: Order, note: str | None) -> tuple[str, str]:
    if order.payment is not None and order.payment.status in ENDED_UNPAID:
        note = gettext("the payment was not completed.")  # the system cancelled it: its note is internal
    return (gettext("Order %(number)s has been cancelled — Long County market", number=order.number),
            _body(order, gettext("Your order %(number)s has been cancelled.", number=order.number),
                  gettext("Reason: %(reason)s", reason=note) if note else ""))


def _expired(order: Order, note: str | None) -> tuple[str, str]:
    return (gettext("Order %(number)s has been cancelled — Long County market", number=order.number),
            _body(order, gettext("Your order %(number)s has been cancelled.", number=order.number),
                  gettext("Reason: %(reason)s", reason=gettext("it was not paid in time."))))


def _refunded(order: Order, note: str | None) -> tuple[str, str]:
    refund = db.session.scalar(sa.select(Refund).where(Refund.order_id == order.id)
                               .order_by(Refund.id.desc()).limit(1))
    amount = format_yuan(refund.amount_fen) if refund is not None else (note or "")
    return (gettext("Refund for order %(number)s accepted — Long County market", number=order.number),
            _body(order, gettext("The outlet accepted your refund request for order %(number)s.",
                                 number=order.number),
                  gettext("%(amount)s returns to you the way you paid.", amount=amount)))


def _refund_refused(order: Order, note: str | None) -> tuple[str, str]:
    return (gettext("Refund for order %(number)s refused — Long County market", number=order.number),
            _body(order, gettext("The outlet refused your refund request for order %(number)s.",
                                 number=order.number),
                  gettext("Reason: %(reason)s", reason=note) if note else ""))


def _body(order: Order, *paragraphs: str) -> str:
    """The paragraphs that are not empty, then the link to the order's page."""
    return "\n\n".join([*(p for p in paragraphs if p), gettext("Your order: %(link)s", link=_buyer_link(order))])


def _staff(outlet_id: int) -> list[User]:
    """The outlet's active staff members (owners first), each mailed in their own language."""
    return list(db.session.scalars(
        sa.select(User).join(OutletMembership, OutletMembership.user_id == User.id)
        .where(OutletMembership.outlet_id == outlet_id, User.active)
        .order_by(OutletMembership.is_owner.desc(), User.id)))
