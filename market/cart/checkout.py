"""Checkout: choose pickup or delivery and a payment method, then place one order per outlet."""

from __future__ import annotations

from flask import Response, current_app, flash, redirect, url_for
from flask.typing import ResponseReturnValue
from flask_babel import gettext as _
from flask_login import login_required

from market import clock
from market.cart import bp
from market.cart.forms import PAYMENT_LABELS, CheckoutForm
from market.cart.views import current_cart, remember_count
from market.db_setup import write_transaction
from market.extensions import db
from market.forms import render_form_page
from market.models import Address, Order, Payment
from market.payments import ProviderError, available_methods, get_provider
from market.security import acting_user
from market.services.errors import ServiceError
from market.services.ordering import addresses
from market.services.ordering import cart as carts
from market.services.ordering.checkout import Delivery, PricesChanged, place_orders


def _form() -> CheckoutForm:
    user = acting_user()
    form = CheckoutForm(data={"recipient": user.name, "phone": user.phone or ""})
    methods = available_methods(current_app)
    form.payment.choices = [(m, PAYMENT_LABELS.get(m, m)) for m in methods]
    if all(get_provider(m).pay_at_pickup for m in methods):  # delivery needs online payment
        form.fulfilment.choices = [c for c in form.fulfilment.choices if c[0] == "pickup"]
    if not form.payment.data and form.payment.choices:
        form.payment.data = form.payment.choices[0][0]
    form.saved_address.choices = [(0, _("A new address"))] + [
        (a.id, f"{a.recipient} {a.province}{a.city}{a.county}{a.detail}") for a in addresses.saved(user)
    ]
    return form


def _delivery(form: CheckoutForm) -> tuple[Delivery, Address | None]:
    """Where the orders go, and the address to save once they are placed (never before)."""
    if form.fulfilment.data == "pickup":
        return Delivery("pickup", form.recipient.data.strip(), form.phone.data.strip()), None
    user = acting_user()
    if form.saved_address.data:
        a = addresses.owned(user, form.saved_address.data)
        return Delivery("delivery", a.recipient, a.phone, a.province, a.city, a.county, a.detail), None
    parts = [(f.data or "").strip() for f in (form.province, form.city, form.county, form.detail)]
    to_save = None
    if form.save_address.data:
        to_save = Address(user_id=user.id, recipient=form.recipient.data.strip(), phone=form.phone.data.strip(),
                          province=parts[0], city=parts[1], county=parts[2], detail=parts[3])
    return Delivery("delivery", form.recipient.data.strip(), form.phone.data.strip(), *parts), to_save


def start_online_payment(payment: Payment, orders: list[Order]) -> Response:
    """Send the buyer to the provider's page; on a provider error the orders stay payable."""
    try:
        url = get_provider(payment.provider).start(payment, orders)
    except ProviderError as err:
        db.session.rollback()
        flash(str(err), "error")
        return redirect(url_for("account.order", number=orders[0].number))
    db.session.commit()
    return redirect(url or url_for("account.payment_return", payment_id=payment.id))


@bp.route("/checkout", methods=["GET", "POST"])
@login_required
def checkout() -> ResponseReturnValue:
    """Show the orders to be placed; on POST re-check everything on the server and place them."""
    form = _form()
    changes = []
    if form.validate_on_submit():
        write_transaction()  # SQLite: take the write lock before reading stock
        try:
            provider = get_provider(form.payment.data)
            delivery, address = _delivery(form)
            orders = place_orders(acting_user(), current_cart(), delivery, provider, clock.now())
            if address is not None:
                db.session.add(address)
        except PricesChanged as err:
            db.session.commit()  # the cart now shows the new prices; the buyer confirms by placing again
            changes = err.changes
            flash(err.message, "error")
        except ServiceError as err:
            db.session.rollback()
            flash(err.message, "error")
        else:
            remember_count(None)
            db.session.commit()
            if not provider.per_order:
                return start_online_payment(orders[0].payment, orders)  # type: ignore[arg-type]
            flash(_("Your order has been placed.") if len(orders) == 1
                  else _("Your %(n)d orders have been placed, one per outlet.", n=len(orders)), "success")
            if len(orders) == 1:
                return redirect(url_for("account.order", number=orders[0].number))
            return redirect(url_for("account.orders"))
    groups = carts.view(current_cart(), clock.today())
    if not groups and not changes:
        flash(_("Your cart is empty."), "info")
        return redirect(url_for("cart.show"))
    return render_form_page("cart/checkout.html", form=form, groups=groups, changes=changes,
                            total=sum(g.total_fen for g in groups))
