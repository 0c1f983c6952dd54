"""Cart pages: show, add (from product pages), change, remove; guests keep a cart by a cookie token."""

from __future__ import annotations

from flask import abort, flash, redirect, render_template, request, session, url_for
from flask.typing import ResponseReturnValue
from flask_babel import gettext as _
from flask_login import current_user

from market import clock
from market.cart import bp
from market.extensions import db
from market.models import Cart
from market.security import acting_user, safe_next
from market.services.errors import ServiceError
from market.services.ordering import cart as carts
from market.web_input import parse_id


def current_cart(create: bool = False) -> Cart | None:
    """The visitor's cart: the account's when logged in, else the guest token's."""
    user = acting_user() if current_user.is_authenticated else None
    token = session.get("cart_token")
    if create:
        if user is None and not token:
            token = session["cart_token"] = carts.new_guest_token()
        return carts.get_or_create_cart(user, token)
    return carts.find_cart(user, token)


def remember_count(cart: Cart | None) -> None:
    """Keep the header's cart count in the session, so pages need no query for it."""
    session["cart_count"] = carts.line_count(cart)


def _listing_id() -> int:
    """The listing named by the form; 400 for anything that cannot be an id (the product page sends one)."""
    return parse_id(request.form.get("listing_id")) or abort(400)


@bp.route("/")
def show() -> ResponseReturnValue:
    """The cart, grouped by outlet, with changed prices, stock and certification flagged."""
    cart = current_cart()
    groups = carts.view(cart, clock.today())
    remember_count(cart)  # the session cookie only: reading the cart writes nothing to the database
    return render_template("cart/show.html", groups=groups, total=sum(g.total_fen for g in groups))


@bp.route("/add", methods=["POST"])
def add() -> ResponseReturnValue:
    """Add a quantity of a listing; errors go back to the page the buyer came from."""
    back = safe_next(request.form.get("next"), url_for("cart.show"))
    listing_id = _listing_id()
    try:
        quantity = carts.parse_quantity(request.form.get("quantity"))
        cart = current_cart(create=True)
        assert cart is not None
        carts.add(cart, listing_id, quantity, clock.today())
    except ServiceError as err:
        db.session.rollback()
        flash(err.message, "error")
        return redirect(back)
    remember_count(cart)
    db.session.commit()
    flash(_("Added to your cart."), "success")
    return redirect(back)


@bp.route("/lines/<int:line_id>", methods=["POST"])
def update(line_id: int) -> ResponseReturnValue:
    """Change a line's quantity, or remove it."""
    cart = current_cart()
    try:
        if request.form.get("remove"):
            carts.remove(cart, line_id)
        else:
            carts.set_quantity(cart, line_id, carts.parse_quantity(request.form.get("quantity")), clock.today())
    except LookupError:
        abort(404)
    except ServiceError as err:
        db.session.rollback()
        flash(err.message, "error")
        return redirect(url_for("cart.show"))
    remember_count(cart)
    db.session.commit()
    return redirect(url_for("cart.show"))
