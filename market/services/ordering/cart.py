"""The cart: adding and changing lines within stock and minimums, guest carts merged at login."""

from __future__ import annotations

import secrets
from dataclasses import dataclass, field
from datetime import date

import sqlalchemy as sa
from flask_babel import lazy_gettext as _l
from sqlalchemy import orm as so

from market.domain.pricing import PriceTier, price_for_quantity
from market.extensions import db
from market.models import Cart, CartLine, Listing, Outlet, Product, User
from market.services.catalog.search import purchasable
from market.services.errors import ServiceError

MAX_QUANTITY = 9999


def new_guest_token() -> str:
    """A random, unguessable key for a guest's cart (kept in the signed session cookie)."""
    return secrets.token_urlsafe(32)


def find_cart(user: User | None, token: str | None) -> Cart | None:
    """The user's cart, or the guest's cart for the token."""
    if user is not None:
        return db.session.scalar(sa.select(Cart).where(Cart.user_id == user.id))
    if token:
        return db.session.scalar(sa.select(Cart).where(Cart.token == token))
    return None


def get_or_create_cart(user: User | None, token: str | None) -> Cart:
    """The cart to add to, created on first use."""
    cart = find_cart(user, token)
    if cart is None:
        if user is None and not token:
            raise ValueError("a guest cart needs a token")
        cart = Cart(user_id=user.id if user else None, token=None if user else token)
        db.session.add(cart)
        db.session.flush()
    return cart


def parse_quantity(raw: object) -> int:
    """A whole number of units from form input, or a ServiceError the buyer can act on."""
    text = str(raw or "").strip()
    if text.startswith("-") and text[1:].isdigit() and text[1:].isascii():
        raise ServiceError(_l("The quantity must be at least 1."), "quantity")
    if not text.isdigit() or not text.isascii():
        raise ServiceError(_l("Enter the quantity as a whole number."), "quantity")
    quantity = int(text)
    if quantity < 1:
        raise ServiceError(_l("The quantity must be at least 1."), "quantity")
    if quantity > MAX_QUANTITY:
        raise ServiceError(_l("At most %(n)d units per line.", n=MAX_QUANTITY), "quantity")
    return quantity


def _purchasable_listing(listing_id: int, day: date) -> Listing:
    listing = db.session.scalar(
        sa.select(Listing).where(Listing.id == listing_id, *purchasable(day))
    )
    if listing is None:
        if db.session.get(Listing, listing_id) is None:
            raise ServiceError(_l("This offer does not exist."), "listing_id")
        raise ServiceError(_l("This product cannot be bought from this outlet today."), "listing_id")
    return listing


def check_quantity(listing: Listing, quantity: int) -> None:
    """Refuse a quantity under the listing's minimum or over its stock."""
    if quantity < listing.min_quantity:
        raise ServiceError(_l("The minimum order here is %(n)d.", n=listing.min_quantity), "quantity")
    if quantity > listing.stock:
        if listing.stock == 0:
            raise ServiceError(_l("This offer is sold out."), "quantity")
        raise ServiceError(_l("Only %(n)d left in stock.", n=listing.stock), "quantity")


def unit_price_fen(listing: Listing, quantity: int) -> int:
    """What one unit costs when buying `quantity` of the listing: its price, or a quantity tier's."""
    tiers = [PriceTier(t.min_quantity, t.unit_price_fen) for t in listing.price_tiers]
    return price_for_quantity(listing.price_fen, tiers, quantity)


def add(cart: Cart, listing_id: int, quantity: int, day: date) -> CartLine:
    """Add units of a purchasable listing (adding to an existing line), within stock and minimum."""
    listing = _purchasable_listing(listing_id, day)
    line = next((ln for ln in cart.lines if ln.listing_id == listing.id), None)
    total = quantity + (line.quantity if line else 0)
    if total > MAX_QUANTITY:
        raise ServiceError(_l("At most %(n)d units per line.", n=MAX_QUANTITY), "quantity")
    check_quantity(listing, total)
    if line is None:
        line = CartLine(listing_id=listing.id, quantity=total, price_fen_seen=unit_price_fen(listing, total))
        cart.lines.append(line)
    else:
        line.quantity = total
        line.price_fen_seen = unit_price_fen(listing, total)
    db.session.flush()
    return line


def _own_line(cart: Cart | None, line_id: int) -> CartLine:
    line = next((ln for ln in cart.lines if ln.id == line_id), None) if cart else None
    if line is None:
        raise LookupError(line_id)  # another cart's line looks like no line at all: 404
    return line


def set_quantity(cart: Cart | None, line_id: int, quantity: int, day: date) -> CartLine:
    """Change a line's quantity within stock and minimum; the buyer now sees the current price."""
    line = _own_line(cart, line_id)
    listing = _purchasable_listing(line.listing_id, day)
    check_quantity(listing, quantity)
    line.quantity = quantity
    line.price_fen_seen = unit_price_fen(listing, quantity)
    db.session.flush()
    return line


def remove(cart: Cart | None, line_id: int) -> None:
    """Remove a line of the buyer's own cart."""
    line = _own_line(cart, line_id)
    cart.lines.remove(line)  # type: ignore[union-attr]
    db.session.flush()


def merge_guest_cart(token: str | None, user: User) -> None:
    """At login, move a guest cart's lines into the account's cart (quantities add up)."""
    guest = find_cart(None, token)
    if guest is None:
        return
    own = find_cart(user, None)
    if own is None:
        guest.token, guest.user_id = None, user.id
        db.session.flush()
        return
    for line in list(guest.lines):
        existing = next((ln for ln in own.lines if ln.listing_id == line.listing_id), None)
        if existing:
            existing.quantity = min(existing.quantity + line.quantity, MAX_QUANTITY)
        else:
            own.lines.append(CartLine(listing_id=line.listing_id, quantity=line.quantity,
                                      price_fen_seen=line.price_fen_seen))
    db.session.delete(guest)
    db.session.flush()


@dataclass
class LineView:
    """A cart line as the buyer sees it, with what changed since it was added."""

    line: CartLine
    listing: Listing
    purchasable: bool
    price_changed: bool
    short_of_stock: bool
    below_minimum: bool

    @property
    def unit_price_fen(self) -> int:
        """The unit price of this quantity (a quantity tier's when the line reaches one)."""
        return unit_price_fen(self.listing, self.line.quantity)

    @property
    def total_fen(self) -> int:
        return self.unit_price_fen * self.line.quantity

    @property
    def ok(self) -> bool:
        return self.purchasable and not self.short_of_stock and not self.below_minimum


@dataclass
class OutletGroup:
    """The lines from one outlet: they become one order."""

    outlet: Outlet
    lines: list[LineView] = field(default_factory=list)

    @property
    def total_fen(self) -> int:
        return sum(lv.total_fen for lv in self.lines)


def view(cart: Cart | None, day: date) -> list[OutletGroup]:
    """The cart grouped by outlet with flags, in two queries whatever its size."""
    if cart is None:
        return []
    ok_ids = set()
    lines = db.session.scalars(
        sa.select(CartLine).where(CartLine.cart_id == cart.id)
        .options(so.joinedload(CartLine.listing).joinedload(Listing.product).joinedload(Product.category),
                 so.joinedload(CartLine.listing).joinedload(Listing.outlet),
                 so.joinedload(CartLine.listing).selectinload(Listing.price_tiers))
        .order_by(CartLine.id)
    ).all()
    if lines:
        ok_ids = set(db.session.scalars(
            sa.select(Listing.id).where(Listing.id.in_([ln.listing_id for ln in lines]), *purchasable(day))
        ))
    groups: dict[int, OutletGroup] = {}
    for line in lines:
        listing = line.listing
        group = groups.setdefault(listing.outlet_id, OutletGroup(listing.outlet))
        group.lines.append(LineView(
            line=line, listing=listing, purchasable=listing.id in ok_ids,
            price_changed=unit_price_fen(listing, line.quantity) != line.price_fen_seen,
            short_of_stock=line.quantity > listing.stock,
            below_minimum=line.quantity < listing.min_quantity,
        ))
    return sorted(groups.values(), key=lambda g: g.outlet.code)


def line_count(cart: Cart | None) -> int:
    """How many units are in the cart (for the header)."""
    return sum(ln.quantity for ln in cart.lines) if cart else 0
