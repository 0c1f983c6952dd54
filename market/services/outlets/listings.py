"""An outlet's listings: list a certified product, change its terms, its stock (logged) and its quantity tiers.

Every listing and tier is looked up within the outlet the page was loaded for (outlets/access.py), so another
outlet's ids are never found. Stock moves only through ordering/stock.py, which writes the stock log.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime

import sqlalchemy as sa
from flask_babel import lazy_gettext as _l
from sqlalchemy import orm as so

from market.domain.order_flow import OPEN_STATUSES
from market.domain.pricing import PriceTier, TierProblem, tier_problems
from market.domain.stock import StockReason, manual_change_allowed
from market.extensions import db
from market.models import Listing, ListingPriceTier, Order, OrderLine, Outlet, Product, StockMovement, User
from market.services.errors import ServiceError
from market.services.ordering import stock

MAX_TIERS = 5
LOG_ROWS = 200  # the stock log page shows the latest changes


@dataclass(frozen=True)
class ListingTerms:
    """What the outlet sets for a listing (parsed by the form: price already in fen)."""

    price_fen: int
    unit: str
    min_quantity: int
    season_start: int | None
    season_end: int | None
    active: bool


@dataclass(frozen=True)
class ListingRow:
    """A listing on the outlet's list, with the units open orders hold (already taken off its stock)."""

    listing: Listing
    held: int


def listing_rows(outlet: Outlet) -> list[ListingRow]:
    """The outlet's listings by product, each with the units its open orders hold. Two queries."""
    listings = db.session.scalars(
        sa.select(Listing).where(Listing.outlet_id == outlet.id)
        .options(so.joinedload(Listing.product)).order_by(Listing.active.desc(), Listing.id)
    ).all()
    held = held_units(outlet)
    return [ListingRow(listing, held.get(listing.id, 0)) for listing in listings]


def held_units(outlet: Outlet) -> dict[int, int]:
    """Listing id -> units in the outlet's open orders (not refunded): off the stock, not yet settled."""
    rows = db.session.execute(
        sa.select(OrderLine.listing_id, sa.func.sum(OrderLine.quantity - OrderLine.refunded_quantity))
        .join(Order, Order.id == OrderLine.order_id)
        .where(Order.outlet_id == outlet.id, Order.status.in_(OPEN_STATUSES))
        .group_by(OrderLine.listing_id)
    )
    return {listing_id: int(units or 0) for listing_id, units in rows}


def listing_of(outlet: Outlet, listing_id: int) -> Listing | None:
    """The outlet's own listing with this id (None for another outlet's or a missing one)."""
    return db.session.scalar(
        sa.select(Listing).where(Listing.id == listing_id, Listing.outlet_id == outlet.id)
        .options(so.joinedload(Listing.product), so.selectinload(Listing.price_tiers))
    )


def listable_products(outlet: Outlet, day: date) -> list[Product]:
    """Products of the county register whose certification holds on the day and that the outlet does not list."""
    listed = sa.select(Listing.product_id).where(Listing.outlet_id == outlet.id)
    products = db.session.scalars(
        sa.select(Product).where(Product.id.not_in(listed))
        .options(so.selectinload(Product.certifications)).order_by(Product.sku)
    ).all()
    return [p for p in products if any(c.holds_on(day) for c in p.certifications)]


def create_listing(outlet: Outlet, actor: User, product_id: int, terms: ListingTerms, opening_stock: int,
                   day: date, now: datetime) -> Listing:
    """List a certified product the outlet does not list yet; its opening stock goes into the stock log."""
    product = next((p for p in listable_products(outlet, day) if p.id == product_id), None)
    if product is None:
        raise ServiceError(_l("Choose a product whose certification holds today and that this outlet does not "
                              "list yet."), "product_id")
    if opening_stock < 0:
        raise ServiceError(_l("Stock cannot be negative."), "stock")
    listing = Listing(outlet_id=outlet.id, product_id=product.id, stock=0, created_at=now)
    _apply_terms(listing, terms)
    db.session.add(listing)
    db.session.flush()
    if opening_stock:
        stock.adjust(listing.id, opening_stock, StockReason.OPENING, now=now, actor=actor)
        db.session.refresh(listing)
    return listing


def update_listing(listing: Listing, terms: ListingTerms) -> None:
    """Change price, pack unit, minimum order, season and active flag; the quantity tiers must still fit."""
    problems = tier_problems(terms.price_fen, terms.min_quantity, _tiers(listing))
    if problems:
        raise ServiceError(_l("The quantity price tiers below no longer fit this price or minimum order: change "
                              "or remove them first."), "price")
    _apply_terms(listing, terms)
    db.session.flush()


def set_active(listing: Listing, active: bool) -> None:
    """Offer the listing to buyers, or stop offering it (it stays on the outlet's list)."""
    listing.active = active
    db.session.flush()


def change_stock(listing: Listing, actor: User, reason: StockReason, change: int, now: datetime) -> int:
    """A restock (+), a damage write-off (-) or a correction (either way), logged with the actor.

    Atomic: refused, with nothing changed, when it would take the stock below zero. Returns the stock after."""
    if not manual_change_allowed(reason, change):
        raise ServiceError(_l("A restock adds units, a write-off takes units away, a correction does either; "
                              "the change cannot be zero."), "quantity")
    after = stock.adjust(listing.id, change, reason, now=now, actor=actor)
    if after is None:
        raise ServiceError(_l("Stock cannot go below zero: only %(n)d in stock now.", n=_units(listing)), "quantity")
    db.session.flush()
    db.session.refresh(listing)
    return after


def stock_log(listing: Listing, limit: int = LOG_ROWS) -> list[StockMovement]:
    """The listing's latest stock changes, newest first, with who made them and their order."""
    return list(db.session.scalars(
        sa.select(StockMovement).where(StockMovement.listing_id == listing.id)
        .options(so.joinedload(StockMovement.actor), so.joinedload(StockMovement.order))
        .order_by(StockMovement.created_at.desc(), StockMovement.id.desc()).limit(limit)
    ))


def add_tier(listing: Listing, min_quantity: int, unit_price_fen: int) -> ListingPriceTier:
    """Add a quantity tier (from `min_quantity` units on, `unit_price_fen` each) if all tiers still fit."""
    if len(listing.price_tiers) >= MAX_TIERS:
        raise ServiceError(_l("At most %(n)d quantity tiers per listing.", n=MAX_TIERS), "min_quantity")
    new = PriceTier(min_quantity, unit_price_fen)
    for problem in tier_problems(listing.price_fen, listing.min_quantity, [*_tiers(listing), new]):
        raise ServiceError(_tier_message(problem, listing), _tier_field(problem))
    tier = ListingPriceTier(min_quantity=min_quantity, unit_price_fen=unit_price_fen)
    listing.price_tiers.append(tier)
    db.session.flush()
    return tier


def remove_tier(listing: Listing, tier_id: int) -> None:
    """Remove one of the listing's own tiers (another listing's id is not found: LookupError)."""
    tier = next((t for t in listing.price_tiers if t.id == tier_id), None)
    if tier is None:
        raise LookupError(tier_id)
    listing.price_tiers.remove(tier)
    db.session.flush()


def _apply_terms(listing: Listing, terms: ListingTerms) -> None:
    """Check the terms and write them on the listing (nothing is written when one is refused)."""
    if terms.price_fen < 1:
        raise ServiceError(_l("The price must be at least ¥0.01."), "price")
    if terms.min_quantity < 1:
        raise ServiceError(_l("The minimum order is at least 1."), "min_quantity")
    if (terms.season_start is None) != (terms.season_end is None):
        raise ServiceError(_l("Give both the first and the last month of the season, or neither."), "season_end")
    unit = terms.unit.strip()
    if not unit:
        raise ServiceError(_l("This field is required."), "unit")
    listing.price_fen, listing.unit, listing.min_quantity = terms.price_fen, unit, terms.min_quantity
    listing.season_start, listing.season_end, listing.active = terms.season_start, terms.season_end, terms.active


def _tiers(listing: Listing) -> list[PriceTier]:
    """The listing's tiers as the pricing rule takes them."""
    return [PriceTier(t.min_quantity, t.unit_price_fen) for t in listing.price_tiers]


def _units(listing: Listing) -> int:
    """The listing's stock as the database has it now."""
    return db.session.scalar(sa.select(Listing.stock).where(Listing.id == listing.id)) or 0


def _tier_field(problem: TierProblem) -> str:
    """The tier form's field to blame for the problem."""
    return "min_quantity" if problem in (TierProblem.NOT_ABOVE_MINIMUM, TierProblem.SAME_START) else "price"


def _tier_message(problem: TierProblem, listing: Listing) -> str:
    """The outlet-facing wording of a domain/pricing.tier_problems reason."""
    if problem is TierProblem.NOT_ABOVE_MINIMUM:
        return _l("A tier must start above the minimum order of %(n)d.", n=listing.min_quantity)
    if problem is TierProblem.SAME_START:
        return _l("There is already a tier from this quantity.")
    if problem in (TierProblem.NOT_CHEAPER, TierProblem.NEGATIVE):
        return _l("A tier price must be lower than the listing price.")
    return _l("A tier for more units must have a lower price than the tiers for fewer units.")
