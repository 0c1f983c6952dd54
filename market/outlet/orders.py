"""Outlet staff's orders: their outlets' orders and the transitions they may make."""

from __future__ import annotations

from flask import abort, redirect, render_template, request, url_for
from flask.typing import ResponseReturnValue
from flask_babel import gettext as _

from market import clock
from market.domain.order_flow import ORDER_STATUSES, Action, Actor, OrderStatus
from market.domain.paging import parse_page_number
from market.extensions import db
from market.forms import commit_or_flash
from market.outlet import bp
from market.security import acting_user
from market.services.ordering import orders, refunds

OUTLET_BUTTONS = {a.value for a in orders.OUTLET_ACTIONS}


@bp.route("/orders")
def orders_list() -> ResponseReturnValue:
    """Orders of the user's outlets, filterable by status; overdue unpaid orders are expired first."""
    outlet_ids = orders.staff_outlet_ids(acting_user())
    orders.expire_overdue(clock.now(), outlet_ids=outlet_ids)
    db.session.commit()
    status = request.args.get("status", "")
    status = status if status in (*ORDER_STATUSES, "all") else ""
    page = orders.outlet_orders(outlet_ids, status or None, parse_page_number(request.args.get("page")))
    return render_template(
        "outlet/orders.html", page=page, orders=page.items, status=status, statuses=ORDER_STATUSES,
        actions={o.id: orders.actions_for(o, Actor.OUTLET) for o in page.items},
        requests={o.id: refunds.open_request(o) for o in page.items if o.status == OrderStatus.REFUND_REQUESTED},
    )


@bp.route("/orders/<number>/<action>", methods=["POST"])
def order_action(number: str, action: str) -> ResponseReturnValue:
    """Mark paid on collection, ready for pickup, packed, shipped, completed, or cancel."""
    if action not in OUTLET_BUTTONS:
        abort(404)
    user = acting_user()
    found = orders.outlet_order(orders.staff_outlet_ids(user), number) or abort(404)
    commit_or_flash(lambda: orders.apply(found, Action(action), Actor.OUTLET, user, clock.now()),
                    _("Order %(number)s updated.", number=number))
    return redirect(url_for("outlet.orders_list", status=request.args.get("status", "")))


@bp.route("/orders/<number>/refund", methods=["POST"])
def refund_decision(number: str) -> ResponseReturnValue:
    """Accept a refund request (money goes back through the order's provider) or refuse it with a reason."""
    user = acting_user()
    found = orders.outlet_order(orders.staff_outlet_ids(user), number) or abort(404)
    decision = request.form.get("decision")
    if decision not in ("accept", "refuse"):
        abort(400)
    accept = decision == "accept"
    commit_or_flash(lambda: refunds.decide(user, found, accept, request.form.get("note", "")[:200], clock.now()),
                    _("Refund of order %(number)s accepted.", number=number) if accept
                    else _("Refund of order %(number)s refused.", number=number))
    return redirect(url_for("outlet.orders_list", status=request.args.get("status", "")))
