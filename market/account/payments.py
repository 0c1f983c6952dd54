"""The buyer's side of online payments and refunds: return page, paying again, asking for a refund."""

from __future__ import annotations

from flask import abort, flash, redirect, render_template, request, url_for
from flask.typing import ResponseReturnValue
from flask_babel import gettext as _
from flask_login import login_required

from market import clock
from market.account import bp
from market.domain.payment_flow import PaymentStatus
from market.extensions import db
from market.forms import render_form_page
from market.payment_pages import payment_pages
from market.security import acting_user
from market.services.errors import ServiceError
from market.services.ordering import orders, paying, payments, refunds


@bp.route("/payments/<int:payment_id>/return")
@login_required
def payment_return(payment_id: int) -> ResponseReturnValue:
    """Where Stripe sends the buyer back: "being confirmed" until the webhook lands; it marks nothing paid."""
    payment = payments.owned_payment(acting_user(), payment_id) or abort(404)
    cancelled = request.args.get("result") == "cancel"
    return render_template("account/payment_return.html", payment=payment, cancelled=cancelled,
                           refresh=payment.status == PaymentStatus.PENDING and not cancelled)


@bp.route("/payments/<int:payment_id>/pay", methods=["POST"])
@login_required
def pay_again(payment_id: int) -> ResponseReturnValue:
    """Start a new payment attempt for orders that are still payable."""
    try:
        payment, url = paying.pay_again(acting_user(), payment_id, payment_pages, clock.now())
    except LookupError:
        abort(404)
    except paying.PaymentNotStarted as err:
        db.session.commit()  # the attempt is counted, so the next one goes to the provider under a new key
        flash(err.message, "error")
        return redirect(url_for("account.order", number=err.order_number))
    except ServiceError as err:
        db.session.rollback()
        flash(err.message, "error")
        return redirect(url_for("account.orders"))
    db.session.commit()
    return redirect(url or url_for("account.payment_return", payment_id=payment.id))


@bp.route("/orders/<number>/refund", methods=["GET", "POST"])
@login_required
def request_refund(number: str) -> ResponseReturnValue:
    """Ask for a refund of the whole order or of chosen lines and quantities, with a reason."""
    user = acting_user()
    order = orders.buyer_order(user, number) or abort(404)
    if refunds.open_request(order) is not None:
        flash(_("A refund request for this order is waiting for the outlet's decision."), "info")
        return redirect(url_for("account.order", number=number))
    if request.method == "POST":
        try:
            quantities = {line.id: _quantity(request.form.get(f"qty-{line.id}", "0")) for line in order.lines}
            refunds.request_refund(user, order, quantities, request.form.get("reason", "")[:500],
                                   clock.now())
        except ServiceError as err:
            db.session.rollback()
            flash(err.message, "error")
        else:
            db.session.commit()
            flash(_("Your refund request has been sent to the outlet."), "success")
            return redirect(url_for("account.order", number=number))
    return render_form_page("account/refund.html", order=order, reason=request.form.get("reason", ""))


def _quantity(raw: str) -> int:
    raw = raw.strip() or "0"
    if not raw.isdigit() or not raw.isascii() or len(raw) > 6:
        raise ServiceError(_("Enter the quantities as whole numbers."))
    return int(raw)
