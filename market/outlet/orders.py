"""The outlet's order desk: tabs, search and paging over the staff's outlets' orders; a page per order with
the steps its state allows (shipping with carrier and tracking number, cancelling with a reason)."""

from __future__ import annotations

from flask import abort, flash, redirect, render_template, request, url_for
from flask.typing import ResponseReturnValue
from flask_babel import gettext as _

from market import clock
from market.domain.order_flow import Action, Actor, OrderStatus
from market.domain.paging import parse_page_number
from market.extensions import db
from market.forms import commit_or_flash, commit_or_show, render_form_page
from market.models import Order, Outlet, User
from market.outlet import bp
from market.outlet.order_forms import DESK_NAMES, CancelForm, ShipForm
from market.security import acting_user
from market.services.ordering import desk, orders, refunds
from market.services.outlets import access


def staff_order(user: User, number: str) -> Order:
    """One order of the user's outlets, after expiring the overdue ones; 404 for any other order."""
    outlet_ids = orders.staff_outlet_ids(user)
    orders.expire_overdue(clock.now(), outlet_ids=outlet_ids)
    db.session.commit()
    return orders.outlet_order(outlet_ids, number) or abort(404)


def _desk_outlets() -> tuple[list[Outlet], Outlet | None, list[int]]:
    """The user's outlets, the one chosen with ?outlet=code (None: all), and the ids to show, whose overdue
    unpaid orders are expired first."""
    user = acting_user()
    outlets = access.staff_outlets(user)
    chosen = next((o for o in outlets if o.code == request.args.get("outlet")), None)
    outlet_ids = [chosen.id] if chosen else orders.staff_outlet_ids(user)
    orders.expire_overdue(clock.now(), outlet_ids=outlet_ids)
    db.session.commit()
    return outlets, chosen, outlet_ids


@bp.route("/orders")
def orders_list() -> ResponseReturnValue:
    """The desk: a tab of the user's outlets' orders (?tab=), searched by order number or buyer phone (?q=),
    for one outlet (?outlet=code) or all of them, paged (?page=); overdue unpaid orders are expired first."""
    outlets, chosen, outlet_ids = _desk_outlets()
    search = desk.normalise_search(request.args.get("q"))
    tab = desk.parse_tab(request.args.get("tab"), searching=bool(search))
    found = desk.desk_page(outlet_ids, tab, search, parse_page_number(request.args.get("page")))
    return render_template("outlet/orders.html", desk=found, outlets=outlets, chosen=chosen, tabs=desk.DESK_TABS,
                           **DESK_NAMES)


def _order_page(order: Order, ship_form: ShipForm | None = None) -> ResponseReturnValue:
    """The order's page, with the steps its state allows."""
    return render_template(
        "outlet/order.html", order=order, actions=orders.actions_for(order, Actor.OUTLET),
        ship_form=ship_form or ShipForm(), pending=refunds.open_request(order), refunds=desk.order_refunds(order),
        **DESK_NAMES,
    )


@bp.route("/orders/<number>")
def order_page(number: str) -> ResponseReturnValue:
    """One order: lines, buyer contact, pickup or delivery address, payment, refunds, timeline and steps."""
    return _order_page(staff_order(acting_user(), number))


@bp.route("/orders/<number>/<any(ready, pack, complete):action>", methods=["POST"])
def order_action(number: str, action: str) -> ResponseReturnValue:
    """Mark a pickup order ready (it gets its pickup code), a delivery order packed, or a shipped one completed."""
    user = acting_user()
    found = staff_order(user, number)
    commit_or_flash(lambda: orders.apply(found, Action(action), Actor.OUTLET, user, clock.now()),
                    _("Order %(number)s updated.", number=number))
    return redirect(url_for("outlet.order_page", number=number))


@bp.route("/orders/<number>/ship", methods=["POST"])
def ship(number: str) -> ResponseReturnValue:
    """Ship a delivery order with its carrier and tracking number (both required)."""
    user = acting_user()
    found = staff_order(user, number)
    form = ShipForm()
    if form.validate_on_submit() and commit_or_show(form, lambda: orders.ship(
            found, user, clock.now(), form.carrier.data or "", form.tracking_number.data or "")):
        flash(_("Order %(number)s shipped.", number=number), "success")
        return redirect(url_for("outlet.order_page", number=number))
    db.session.refresh(found)
    body = _order_page(found, form)
    return body, 422


@bp.route("/orders/<number>/cancel", methods=["GET", "POST"])
def cancel(number: str) -> ResponseReturnValue:
    """Ask for confirmation and the reason the buyer will read, then cancel (the stock returns)."""
    user = acting_user()
    found = staff_order(user, number)
    if Action.CANCEL not in orders.actions_for(found, Actor.OUTLET):
        flash(_("This order cannot be cancelled now."), "error")
        return redirect(url_for("outlet.order_page", number=number))
    form = CancelForm()
    if form.validate_on_submit() and commit_or_show(form, lambda: orders.cancel_by_outlet(
            found, user, clock.now(), form.reason.data or "")):
        flash(_("Order %(number)s cancelled. The buyer is told your reason.", number=number), "success")
        return redirect(url_for("outlet.order_page", number=number))
    return render_form_page("outlet/order_cancel.html", order=found, form=form)


@bp.route("/orders/<number>/refund", methods=["POST"])
def refund_decision(number: str) -> ResponseReturnValue:
    """Accept a refund request (money goes back through the order's provider) or refuse it with a reason."""
    user = acting_user()
    found = staff_order(user, number)
    decision = request.form.get("decision")
    if decision not in ("accept", "refuse"):
        abort(400)
    accept = decision == "accept"
    commit_or_flash(lambda: refunds.decide(user, found, accept, request.form.get("note", "")[:200], clock.now()),
                    _("Refund of order %(number)s accepted.", number=number) if accept
                    else _("Refund of order %(number)s refused.", number=number))
    return redirect(url_for("outlet.order_page", number=number))


@bp.route("/orders/<number>/slip")
def packing_slip(number: str) -> ResponseReturnValue:
    """A printable packing slip: what goes in the parcel or the bag, and to whom."""
    found = staff_order(acting_user(), number)
    return render_template("outlet/packing_slip.html", order=found, waiting=found.status in (
        OrderStatus.PLACED, OrderStatus.PAID, OrderStatus.PACKED, OrderStatus.READY_FOR_PICKUP))


@bp.route("/orders/pick-list")
def pick_list() -> ResponseReturnValue:
    """A printable pick list of every order still to prepare (?outlet=code for one outlet): units per product,
    then the orders."""
    outlets, chosen, outlet_ids = _desk_outlets()
    found = desk.to_prepare(outlet_ids)
    by_outlet = {o.id: o for o in outlets}
    by_outlet.update({order.outlet_id: order.outlet for order in found})
    return render_template("outlet/pick_list.html", orders=found, totals=desk.pick_totals(found),
                           outlets=by_outlet, chosen=chosen, now=clock.now())
