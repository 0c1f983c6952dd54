"""The product page and an outlet's shop page, each read in a fixed handful of queries."""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import date

import sqlalchemy as sa

from market.domain.availability import StockState
from market.domain.certification import Window, holds_on, lapse
from market.domain.paging import Page
from market.domain.pricing import PriceTier
from market.extensions import db
from market.models import (
    Category,
    Listing,
    ListingPriceTier,
    Outlet,
    OutletCertification,
    Producer,
    Product,
    ProductCertification,
    Town,
    Village,
)
from market.models.catalog import product_producers
from market.services.catalog.cache import cache
from market.services.catalog.photos import listing_thumb, with_photos
from market.services.catalog.search import purchasable, season_now
from market.services.catalog.values import (
    CategoryRef,
    CertificateRef,
    Offer,
    OutletRef,
    PhotoRef,
    PlaceRef,
    ProducerRef,
    ProductCard,
    ShopItem,
)

SHOP_PAGE_SIZE = 24


@dataclass(frozen=True)
class ProductDetail:
    """What the product page says about the product itself."""

    sku: str
    name_zh: str
    name_en: str
    unit: str
    net_grams: int | None
    description: str
    category: CategoryRef
    household_linked: bool


@dataclass(frozen=True)
class ProductPage:
    """A product, its certificate in force (if any), provenance and the offers that can be bought today."""

    product: ProductDetail
    certificate: CertificateRef | None
    producers: tuple[ProducerRef, ...]
    offers: tuple[Offer, ...]

    @property
    def purchasable(self) -> bool:
        """True when the product is certified today and some certified outlet offers it."""
        return self.certificate is not None and bool(self.offers)

    def chosen_offer(self, outlet_code: str | None = None) -> Offer | None:
        """The offer to preselect: the outlet's (e.g. from its shop page) if it has stock, else the cheapest
        in stock (offers are cheapest first); None when nothing can be bought."""
        buyable = [o for o in self.offers if o.stock_state != StockState.SOLD_OUT]
        preferred = [o for o in buyable if o.outlet.code == outlet_code]
        return (preferred or buyable or [None])[0]

    def photos(self, chosen: Offer | None = None) -> tuple[PhotoRef, ...]:
        """The photos to show: the chosen offer's, else those of the first (cheapest) offer that has some."""
        if chosen is not None and chosen.photos:
            return chosen.photos
        return next((o.photos for o in self.offers if o.photos), ())


@dataclass(frozen=True)
class OutletDetail:
    """An outlet as its public shop page shows it: the profile its owners publish for buyers collecting
    (hours, pickup address, the shop's phone), never the contact person, their phone or bank details."""

    code: str
    name: str
    kind: str
    address: str
    town: PlaceRef | None
    shop_phone: str = ""
    opening_hours: str = ""
    pickup_address: str = ""
    description_zh: str = ""
    description_en: str = ""


@dataclass(frozen=True)
class ShopPage:
    """An outlet, its certificate in force (if any), and a page of what it sells today."""

    outlet: OutletDetail
    certificate: CertificateRef | None
    items: tuple[ShopItem, ...]
    page: Page
    lapse: tuple[str, date | None] | None = None  # why no certificate holds: expired, revoked, pending, never


def _current(rows: list[sa.Row], day: date) -> CertificateRef | None:
    """The certification in force on the day (the latest-starting one if several overlap)."""
    holding = [r for r in rows if holds_on(Window(r.valid_from, r.valid_to, r.revoked_on), day)]
    if not holding:
        return None
    best = max(holding, key=lambda r: r.valid_from)
    return CertificateRef(best.number, best.valid_from, best.valid_to)


def _certificate_rows(cert: type[ProductCertification] | type[OutletCertification],
                      owner: sa.ColumnElement[int], owner_id: int) -> list[sa.Row]:
    return db.session.execute(
        sa.select(cert.number, cert.valid_from, cert.valid_to, cert.revoked_on).where(owner == owner_id)
    ).all()


def product_page(day: date, sku: str) -> ProductPage | None:
    """The product with this SKU as buyers see it on the day; None for an unknown SKU. Four queries."""
    return cache.fetch(("product", day, sku), lambda: _product_page(day, sku))


def _product_page(day: date, sku: str) -> ProductPage | None:
    row = db.session.execute(
        sa.select(Product.id, Product.sku, Product.name_zh, Product.name_en, Product.unit, Product.net_grams,
                  Product.description, Product.household_linked, Category.code, Category.name_zh, Category.name_en)
        .join(Category, Category.id == Product.category_id)
        .where(Product.sku == sku)
    ).first()
    if row is None:
        return None
    product_id, sku, name_zh, name_en, unit, net_grams, description, linked, c_code, c_zh, c_en = row
    product = ProductDetail(sku=sku, name_zh=name_zh, name_en=name_en, unit=unit, net_grams=net_grams,
                            description=description, category=CategoryRef(c_code, c_zh, c_en),
                            household_linked=bool(linked))
    certificate = _current(
        _certificate_rows(ProductCertification, ProductCertification.product_id, product_id), day
    )
    producers = db.session.execute(
        sa.select(Producer.kind, Producer.name, Village.code, Village.name_zh, Village.name_en,
                  Town.code, Town.name_zh, Town.name_en)
        .join(product_producers, product_producers.c.producer_id == Producer.id)
        .join(Village, Village.id == Producer.village_id)
        .join(Town, Town.id == Village.town_id)
        .where(product_producers.c.product_id == product_id)
        .order_by(Town.code, Village.code, Producer.id)
    )
    provenance = tuple(
        ProducerRef(kind=kind, name=None if kind == "household" else name,  # a household's name may be a person's
                    village=PlaceRef(v_code, v_zh, v_en), town=PlaceRef(t_code, t_zh, t_en))
        for kind, name, v_code, v_zh, v_en, t_code, t_zh, t_en in producers
    )
    offers: tuple[Offer, ...] = ()
    if certificate is not None:
        offers = _offers_with_tiers(db.session.execute(  # one query: a listing's row repeats per quantity tier
            _offer_select().add_columns(ListingPriceTier.min_quantity, ListingPriceTier.unit_price_fen)
            .outerjoin(ListingPriceTier, ListingPriceTier.listing_id == Listing.id)
            .where(Listing.product_id == product_id, *purchasable(day))
            .order_by(Listing.price_fen, Listing.id, ListingPriceTier.min_quantity)
        ).all(), product.net_grams)
    return ProductPage(product=product, certificate=certificate, producers=provenance, offers=with_photos(offers))


def _offer_select() -> sa.Select:
    return (
        sa.select(Listing.id, Listing.price_fen, Listing.unit, Listing.stock, Listing.min_quantity,
                  Outlet.code, Outlet.name, Outlet.kind, Town.code, Town.name_zh, Town.name_en)
        .join(Outlet, Outlet.id == Listing.outlet_id)
        .outerjoin(Town, Town.id == Outlet.town_id)
    )


def _offers_with_tiers(rows: list[sa.Row], net_grams: int | None) -> tuple[Offer, ...]:
    """One offer per listing, in the rows' order, with its quantity tiers (columns 11 and 12, None without)."""
    firsts: dict[int, sa.Row] = {}
    tiers: dict[int, list[PriceTier]] = {}
    for row in rows:
        firsts.setdefault(row[0], row)
        if row[11] is not None:
            tiers.setdefault(row[0], []).append(PriceTier(row[11], row[12]))
    return tuple(replace(_offer(r, net_grams), tiers=tuple(tiers.get(i, ()))) for i, r in firsts.items())


def _offer(row: sa.Row, net_grams: int | None) -> Offer:
    listing_id, price, unit, stock, min_quantity, o_code, o_name, o_kind, t_code, t_zh, t_en = row[:11]
    town = PlaceRef(t_code, t_zh, t_en) if t_code else None
    return Offer(listing_id=listing_id, price_fen=price, unit=unit, stock=stock, min_quantity=min_quantity,
                 net_grams=net_grams, outlet=OutletRef(o_code, o_name, o_kind, town))


def shop_page(day: date, code: str, page_number: int = 1, size: int = SHOP_PAGE_SIZE) -> ShopPage | None:
    """The outlet with this code and a page of its purchasable listings; None for an unknown code or an
    outlet that was never certified (an applicant).

    An outlet not certified on the day keeps its page (its counter QR code points here) but lists
    nothing, since nothing can be bought from it. At most four queries.
    """
    return cache.fetch(("shop", day, code, page_number, size), lambda: _shop_page(day, code, page_number, size))


def _shop_page(day: date, code: str, page_number: int, size: int) -> ShopPage | None:
    row = db.session.execute(
        sa.select(Outlet.id, Outlet.code, Outlet.name, Outlet.kind, Outlet.address,
                  Town.code, Town.name_zh, Town.name_en, Outlet.shop_phone, Outlet.opening_hours,
                  Outlet.pickup_address, Outlet.description_zh, Outlet.description_en)
        .outerjoin(Town, Town.id == Outlet.town_id)
        .where(Outlet.code == code)
    ).first()
    if row is None:
        return None
    outlet_id, o_code, name, kind, address, t_code, t_zh, t_en, phone, hours, pickup, d_zh, d_en = row
    outlet = OutletDetail(o_code, name, kind, address, PlaceRef(t_code, t_zh, t_en) if t_code else None,
                          shop_phone=phone, opening_hours=hours, pickup_address=pickup,
                          description_zh=d_zh, description_en=d_en)
    rows = _certificate_rows(OutletCertification, OutletCertification.outlet_id, outlet_id)
    if not rows:  # an applicant, never certified: not a shop (its application is not public either)
        return None
    certificate = _current(rows, day)
    if certificate is None:
        why = lapse([Window(r.valid_from, r.valid_to, r.revoked_on) for r in rows], day)
        return ShopPage(outlet=outlet, certificate=None, items=(), page=Page.clamped(1, size, 0), lapse=why)
    conditions = [Listing.outlet_id == outlet_id, *purchasable(day)]
    total = db.session.scalar(sa.select(sa.func.count(Listing.id)).where(*conditions)) or 0
    page = Page.clamped(page_number, size, total)
    items: tuple[ShopItem, ...] = ()
    if total:
        query = (
            _offer_select()
            .add_columns(Product.sku, Product.name_zh, Product.name_en, Product.unit, Product.net_grams,
                         Product.household_linked, Category.code, Category.name_zh, Category.name_en,
                         season_now(day.month), listing_thumb())
            .join(Product, Product.id == Listing.product_id)
            .join(Category, Category.id == Product.category_id)
            .where(*conditions)
            .order_by(Listing.featured.desc(), Category.position, Product.sku)
            .limit(page.size)
            .offset(page.offset)
        )
        items = tuple(_shop_item(r) for r in db.session.execute(query))
    return ShopPage(outlet=outlet, certificate=certificate, items=items, page=page)


def _shop_item(row: sa.Row) -> ShopItem:
    sku, name_zh, name_en, unit, net_grams, linked, c_code, c_zh, c_en, season, photo = row[11:]
    offer = _offer(row, net_grams)
    card = ProductCard(
        sku=sku, name_zh=name_zh, name_en=name_en, unit=unit, net_grams=net_grams,
        category=CategoryRef(c_code, c_zh, c_en), household_linked=bool(linked), min_price_fen=offer.price_fen,
        offers=1, in_stock=offer.stock >= offer.min_quantity, in_season_now=bool(season), photo_key=photo,
    )
    return ShopItem(product=card, offer=offer)
