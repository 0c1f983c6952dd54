"""Checkout: choose pickup or delivery and a payment method, then place one order per outlet."""

from __future__ import annotations

from flask import current_app, flash, redirect, url_for
from flask.typing import ResponseReturnValue
from flask_babel import gettext as _
from flask_login import login_required

from market import clock
from market.cart import bp
from market.cart.forms import PAYMENT_LABELS, CheckoutForm
from market.cart.views import current_cart, remember_count
from market.extensions import db
from market.forms import apply_service_error, render_form_page
from market.payment_pages import payment_pages
from market.security import acting_user
from market.services.errors import ServiceError
from market.services.ordering import addresses
from market.services.ordering import cart as carts
from market.services.ordering import checkout as checkouts


def _form() -> CheckoutForm:
    user = acting_user()
    form = CheckoutForm(data={"recipient": user.name, "phone": user.phone or ""})
    offered = checkouts.options(current_app)
    form.payment.choices = [(m, PAYMENT_LABELS.get(m, m)) for m in offered.payment_methods]
    if not offered.delivery_possible:
        form.fulfilment.choices = [c for c in form.fulfilment.choices if c[0] == "pickup"]
    if not form.payment.data and form.payment.choices:
        form.payment.data = form.payment.choices[0][0]
    form.saved_address.choices = [(0, _("A new address"))] + [
        (a.id, f"{a.recipient} {a.province}{a.city}{a.county}{a.detail}") for a in addresses.saved(user)
    ]
    return form


def _asked(form: CheckoutForm) -> checkouts.CheckoutRequest:
    """The buyer's choices, trimmed."""
    def text(field: object) -> str:
        return (getattr(field, "data", None) or "").strip()

    return checkouts.CheckoutRequest(
        fulfilment=form.fulfilment.data, recipient=text(form.recipient), phone=text(form.phone),
        payment_method=form.payment.data, saved_address_id=form.saved_address.data or None,
        province=text(form.province), city=text(form.city), county=text(form.county), detail=text(form.detail),
        save_address=bool(form.save_address.data),
    )


@bp.route("/checkout", methods=["GET", "POST"])
@login_required
def checkout() -> ResponseReturnValue:
    """Show the orders to be placed; on POST the service re-checks everything and places them."""
    form = _form()
    changes: list[checkouts.PriceChange] = []
    if form.validate_on_submit():
        try:
            result = checkouts.checkout(acting_user(), current_cart(), _asked(form), payment_pages, clock.now())
        except checkouts.PricesChanged as err:
            db.session.commit()  # the cart now shows the new prices; the buyer confirms by placing again
            changes = err.changes
            flash(err.message, "error")
        except ServiceError as err:
            db.session.rollback()
            apply_service_error(form, err)
        else:
            remember_count(None)
            db.session.commit()
            return _after_placing(result)
    groups = carts.view(current_cart(), clock.today())
    if not groups and not changes:
        flash(_("Your cart is empty."), "info")
        return redirect(url_for("cart.show"))
    return render_form_page("cart/checkout.html", form=form, groups=groups, changes=changes,
                            total=sum(g.total_fen for g in groups))


def _after_placing(result: checkouts.CheckoutResult) -> ResponseReturnValue:
    """To the provider's page, the payment's return page, or the placed order(s)."""
    orders = result.orders
    if result.payment is not None:
        if result.payment_error:
            flash(result.payment_error, "error")
            return redirect(url_for("account.order", number=orders[0].number))
        return redirect(result.provider_url or url_for("account.payment_return", payment_id=result.payment.id))
    flash(_("Your order has been placed.") if len(orders) == 1
          else _("Your %(n)d orders have been placed, one per outlet.", n=len(orders)), "success")
    if len(orders) == 1:
        return redirect(url_for("account.order", number=orders[0].number))
    return redirect(url_for("account.orders"))
