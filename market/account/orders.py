"""The buyer's orders: list, detail with a status timeline, cancel before payment, confirm receipt."""

from __future__ import annotations

from flask import abort, redirect, render_template, request, url_for
from flask.typing import ResponseReturnValue
from flask_babel import gettext as _
from flask_login import login_required

from market import clock
from market.account import bp
from market.domain.buyer_tabs import parse_tab
from market.domain.order_flow import Action, Actor, still_to_collect
from market.domain.paging import parse_page_number
from market.extensions import db
from market.forms import commit_or_flash
from market.security import acting_user
from market.services.ordering import history, orders, payments, refunds

BUYER_BUTTONS = {Action.CANCEL.value, Action.COMPLETE.value}


@bp.route("/orders", endpoint="orders")
@login_required
def orders_list() -> ResponseReturnValue:
    """A page of one tab of the buyer's orders, newest first (?tab=, else the first tab with orders; ?page=);
    overdue unpaid orders are expired first."""
    user = acting_user()
    orders.expire_overdue(clock.now(), user_id=user.id)
    db.session.commit()
    found = history.buyer_history(user, parse_tab(request.args.get("tab")),
                                  parse_page_number(request.args.get("page")))
    return render_template("account/orders.html", history=found)


@bp.route("/orders/<number>")
@login_required
def order(number: str) -> ResponseReturnValue:
    """One order with its lines, where and when to collect it (and its pickup code), or its delivery and
    tracking, why it was cancelled, and its timeline; another user's order is a 404."""
    user = acting_user()
    orders.expire_overdue(clock.now(), user_id=user.id)
    db.session.commit()
    found = orders.buyer_order(user, number) or abort(404)
    return render_template("account/order.html", order=found, actions=orders.actions_for(found, Actor.BUYER),
                           pending=refunds.open_request(found), can_pay=payments.can_pay_online_again(found),
                           can_refund=refunds.can_request(found), pictures=history.order_pictures(found),
                           closing=history.closing(found), to_collect=still_to_collect(orders.facts(found)))


@bp.route("/orders/<number>/<action>", methods=["POST"])
@login_required
def order_action(number: str, action: str) -> ResponseReturnValue:
    """Cancel an unpaid order (its stock returns) or confirm receipt of a shipped one."""
    if action not in BUYER_BUTTONS:
        abort(404)
    user = acting_user()
    found = orders.buyer_order(user, number) or abort(404)
    commit_or_flash(lambda: orders.apply(found, Action(action), Actor.BUYER, user, clock.now()),
                    _("Order %(number)s updated.", number=number))
    return redirect(url_for("account.order", number=number))
