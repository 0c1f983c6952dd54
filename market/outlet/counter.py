"""The outlet's counter: staff type the buyer's pickup code to hand the order over (and take the cash of a
pay-at-pickup order) in one step. Wrong codes are limited per outlet: 10 in 10 minutes."""

from __future__ import annotations

from flask import abort, flash, g, redirect, request, url_for
from flask.typing import ResponseReturnValue
from flask_babel import gettext as _

from market import clock
from market.domain.money import format_yuan
from market.extensions import db, limiter
from market.forms import apply_service_error, render_form_page
from market.models import Order
from market.outlet import bp
from market.outlet.order_forms import CounterForm
from market.security import acting_user
from market.services.errors import ServiceError
from market.services.ordering import counter, orders
from market.services.outlets import access

WRONG_CODES_LIMIT = "10 per 10 minutes"


def _wrong_code(response: object) -> bool:
    """Only refused codes count against the outlet's limit."""
    return bool(g.get("pickup_code_refused"))


def _outlet_key() -> str:
    """Attempts are counted per outlet, whoever types them and from wherever."""
    return "pickup-code:" + str((request.view_args or {}).get("code", ""))[:32]


@bp.route("/<code>/counter", methods=["GET", "POST"])
@limiter.limit(WRONG_CODES_LIMIT, key_func=_outlet_key, methods=["POST"], deduct_when=_wrong_code)
def counter_page(code: str) -> ResponseReturnValue:
    """Type the pickup code: the waiting order with that code is handed over (and paid, if paid at pickup)."""
    user = acting_user()
    outlet = access.staff_outlet(user, code) or abort(404)
    form = CounterForm()
    if form.validate_on_submit():
        try:
            order = counter.collect(user, outlet, form.code.data or "", clock.now())
        except ServiceError as err:
            db.session.rollback()
            g.pickup_code_refused = isinstance(err, counter.WrongPickupCode)
            apply_service_error(form, err)
        else:
            db.session.commit()
            flash(_collected_message(order), "success")
            return redirect(url_for("outlet.counter_page", code=code, done=order.number))
    elif form.is_submitted():
        g.pickup_code_refused = True  # an empty or overlong code is a wrong code too
    done = None
    if request.method == "GET" and request.args.get("done"):
        done = counter.handed_over(outlet, request.args["done"])
    return render_form_page("outlet/counter.html", outlet=outlet, form=form, done=done)


def _collected_message(order: Order) -> str:
    """What the clerk is told once the code matched."""
    if orders.facts(order).pay_at_pickup:
        return _("Order %(number)s handed over to %(name)s. Take %(amount)s in cash: it is recorded as paid.",
                 number=order.number, name=order.recipient, amount=format_yuan(order.total_fen))
    return _("Order %(number)s handed over to %(name)s (paid online).", number=order.number, name=order.recipient)
