"""An outlet's listings: the list with stock, a new listing, and one listing's terms, stock log and tiers."""

from __future__ import annotations

from flask import abort, current_app, redirect, render_template, request, url_for
from flask.typing import ResponseReturnValue
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from werkzeug.exceptions import HTTPException

from market import clock
from market.domain.stock import StockReason
from market.extensions import db
from market.forms import apply_service_error, commit_or_flash, commit_or_show, render_form_page
from market.models import Listing, Outlet
from market.outlet import bp
from market.outlet.listing_forms import (
    ListingTermsForm,
    NewListingForm,
    PriceTierForm,
    StockChangeForm,
    stock_reason_choices,
)
from market.security import acting_user
from market.services.errors import ServiceError
from market.services.outlets import listings
from market.services.outlets.access import staff_outlet

STOCK_REASONS = {
    StockReason.ORDER_PLACED: _l("Sale (order placed)"),
    StockReason.ORDER_CANCELLED: _l("Order cancelled"),
    StockReason.HOLD_EXPIRED: _l("Unpaid order expired"),
    StockReason.LATE_PAYMENT: _l("Late payment"),
    StockReason.REFUND_RESTOCK: _l("Refund (back on the shelf)"),
    StockReason.OPENING: _l("Opening stock"),
    StockReason.RESTOCK: _l("Restock"),
    StockReason.DAMAGE: _l("Damage write-off"),
    StockReason.CORRECTION: _l("Correction"),
}


def _outlet(code: str) -> Outlet:
    """The outlet of the URL if the user works for it; 404 otherwise (another outlet looks like none)."""
    return staff_outlet(acting_user(), code) or abort(404)


def _listing(outlet: Outlet, listing_id: int) -> Listing:
    """The outlet's own listing; 404 for another outlet's or a missing one."""
    return listings.listing_of(outlet, listing_id) or abort(404)


def _photos_url(outlet: Outlet, listing: Listing) -> str | None:
    """The listing's photos page if the app has that route (another part of the portal adds it), else None."""
    path = url_for("outlet.listing_edit", code=outlet.code, listing_id=listing.id) + "/photos"
    try:
        current_app.create_url_adapter(request).match(path.removeprefix(request.script_root), method="GET")
    except HTTPException:
        return None
    return path


def _terms_form(listing: Listing) -> ListingTermsForm:
    """The terms form filled from the listing (the price in yuan as the outlet would type it)."""
    return ListingTermsForm(formdata=None, data={
        "price": f"{listing.price_fen // 100}.{listing.price_fen % 100:02d}", "unit": listing.unit,
        "min_quantity": str(listing.min_quantity), "season_start": str(listing.season_start or ""),
        "season_end": str(listing.season_end or ""), "active": listing.active,
    })


@bp.route("/<code>/listings")
def listings_list(code: str) -> ResponseReturnValue:
    """The outlet's listings with price, stock, units held by open orders and the active toggle."""
    outlet = _outlet(code)
    return render_template("outlet/listings.html", outlet=outlet, rows=listings.listing_rows(outlet))


@bp.route("/<code>/listings/new", methods=["GET", "POST"])
def listing_new(code: str) -> ResponseReturnValue:
    """List a product of the county register whose certification holds today."""
    outlet = _outlet(code)
    today = clock.today()
    products = listings.listable_products(outlet, today)
    form = NewListingForm()
    form.product_id.choices = [(p.id, f"{p.name_zh} · {p.sku}") for p in products]
    if form.validate_on_submit():
        start, end = form.season()
        terms = listings.ListingTerms(form.price.fen or 0, form.unit.data or "", form.min_quantity.number or 1,
                                      start, end, form.active.data)
        try:
            listing = listings.create_listing(outlet, acting_user(), form.product_id.data, terms,
                                              form.stock.number or 0, today, clock.now())
        except ServiceError as err:
            db.session.rollback()
            apply_service_error(form, err)
        else:
            db.session.commit()
            return redirect(url_for("outlet.listing_edit", code=outlet.code, listing_id=listing.id))
    return render_form_page("outlet/listing_new.html", outlet=outlet, form=form, products=products)


@bp.route("/<code>/listings/<int:listing_id>", methods=["GET", "POST"])
def listing_edit(code: str, listing_id: int) -> ResponseReturnValue:
    """One listing: its terms (edited here), its stock and stock log, its quantity tiers."""
    outlet = _outlet(code)
    listing = _listing(outlet, listing_id)
    if request.method == "GET":
        return _listing_page(outlet, listing)
    form = ListingTermsForm()
    if form.validate_on_submit():
        start, end = form.season()
        terms = listings.ListingTerms(form.price.fen or 0, form.unit.data or "", form.min_quantity.number or 1,
                                      start, end, form.active.data)
        try:
            listings.update_listing(listing, terms)
        except ServiceError as err:
            db.session.rollback()
            apply_service_error(form, err)
            listing = _listing(outlet, listing_id)
        else:
            db.session.commit()
            return redirect(url_for("outlet.listing_edit", code=outlet.code, listing_id=listing.id, saved=1))
    return _listing_page(outlet, listing, terms_form=form)


@bp.route("/<code>/listings/<int:listing_id>/stock", methods=["POST"])
def listing_stock(code: str, listing_id: int) -> ResponseReturnValue:
    """Record a restock, a damage write-off or a correction (never below zero)."""
    outlet = _outlet(code)
    listing = _listing(outlet, listing_id)
    form = StockChangeForm(prefix="stock")
    form.reason.choices = stock_reason_choices(STOCK_REASONS)
    if form.validate_on_submit():
        reason, change = form.change()
        if commit_or_show(form, lambda: listings.change_stock(listing, acting_user(), reason, change, clock.now())):
            return redirect(url_for("outlet.listing_edit", code=outlet.code, listing_id=listing.id) + "#stock")
    return _listing_page(outlet, _listing(outlet, listing_id), stock_form=form)


@bp.route("/<code>/listings/<int:listing_id>/tiers", methods=["POST"])
def listing_tier_add(code: str, listing_id: int) -> ResponseReturnValue:
    """Add a quantity price tier (checked against the listing's price, minimum and other tiers)."""
    outlet = _outlet(code)
    listing = _listing(outlet, listing_id)
    form = PriceTierForm(prefix="tier")
    if form.validate_on_submit() and commit_or_show(
            form, lambda: listings.add_tier(listing, form.min_quantity.number or 0, form.price.fen or 0)):
        return redirect(url_for("outlet.listing_edit", code=outlet.code, listing_id=listing.id) + "#tiers")
    return _listing_page(outlet, _listing(outlet, listing_id), tier_form=form)


@bp.route("/<code>/listings/<int:listing_id>/tiers/<int:tier_id>/delete", methods=["POST"])
def listing_tier_remove(code: str, listing_id: int, tier_id: int) -> ResponseReturnValue:
    """Remove one of the listing's quantity tiers."""
    outlet = _outlet(code)
    listing = _listing(outlet, listing_id)
    try:
        listings.remove_tier(listing, tier_id)
    except LookupError:
        abort(404)
    db.session.commit()
    return redirect(url_for("outlet.listing_edit", code=outlet.code, listing_id=listing.id) + "#tiers")


@bp.route("/<code>/listings/<int:listing_id>/active", methods=["POST"])
def listing_active(code: str, listing_id: int) -> ResponseReturnValue:
    """Offer a listing to buyers, or stop offering it."""
    outlet = _outlet(code)
    listing = _listing(outlet, listing_id)
    active = not listing.active
    commit_or_flash(lambda: listings.set_active(listing, active),
                    _("Listing offered to buyers.") if active else _("Listing no longer offered to buyers."))
    return redirect(url_for("outlet.listings_list", code=outlet.code))


def _listing_page(outlet: Outlet, listing: Listing, *, terms_form: ListingTermsForm | None = None,
                  stock_form: StockChangeForm | None = None,
                  tier_form: PriceTierForm | None = None) -> ResponseReturnValue:
    """The listing page with its three forms (one of them possibly refused and shown again: 422)."""
    if stock_form is None:
        stock_form = StockChangeForm(formdata=None, prefix="stock")
        stock_form.reason.choices = stock_reason_choices(STOCK_REASONS)
    if terms_form is None:
        terms_form = _terms_form(listing)
    return render_form_page(
        "outlet/listing_edit.html", outlet=outlet, listing=listing, form=terms_form, stock_form=stock_form,
        tier_form=tier_form or PriceTierForm(formdata=None, prefix="tier"), log=listings.stock_log(listing),
        held=listings.held_units(outlet).get(listing.id, 0), reasons=STOCK_REASONS,
        photos_url=_photos_url(outlet, listing),
    )
