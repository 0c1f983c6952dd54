"""Reading the catalogue: which listings are purchasable today, and product cards for browsing and search.

Every function returns plain values (market.services.catalog.values), read in a fixed number of
aggregate queries whatever the number of products shown, so templates can never trigger a lazy load.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

import sqlalchemy as sa

from market.domain.paging import Page
from market.extensions import db
from market.models import (
    Category,
    Listing,
    Outlet,
    OutletCertification,
    Producer,
    Product,
    ProductCertification,
    Town,
    Village,
)
from market.models.catalog import product_producers
from market.models.certification import CertificationMixin
from market.services.catalog.photos import first_thumb
from market.services.catalog.values import CategoryRef, ProductCard, ResultPage

PAGE_SIZE = 20
HOME_SECTION_SIZE = 8
MAX_QUERY_LENGTH = 100  # characters of a search kept; the rest is dropped (and the buyer told)
MAX_TERMS = 5  # whitespace-separated words of a search that must all match
SORTS = ("relevance", "price_asc", "price_desc", "newest")


def certified_on(cert: type[CertificationMixin], owner_fk: sa.ColumnElement, owner_id: sa.ColumnElement,
                 day: date) -> sa.ColumnElement[bool]:
    """SQL: some certification of the owner holds on the day (same rule as domain.certification)."""
    return sa.exists().where(
        owner_fk == owner_id,
        *_holds_on(cert, day),
    )


def _holds_on(cert: type[CertificationMixin], day: date) -> list[sa.ColumnElement[bool]]:
    """SQL conditions on a certification row: in force on the day (domain.certification.holds_on)."""
    return [
        cert.valid_from <= day,
        sa.or_(cert.valid_to.is_(None), cert.valid_to >= day),
        sa.or_(cert.revoked_on.is_(None), cert.revoked_on > day),
    ]


def purchasable(day: date) -> list[sa.ColumnElement[bool]]:
    """Conditions for a listing that may be sold on the day: active, its outlet and product certified.

    Written as uncorrelated IN lists of certified outlets and products: the databases evaluate each list
    once per query instead of probing the certifications once per listing, which matters when a page
    aggregates thousands of listings.
    """
    outlets = sa.select(OutletCertification.outlet_id).where(*_holds_on(OutletCertification, day))
    products = sa.select(ProductCertification.product_id).where(*_holds_on(ProductCertification, day))
    return [Listing.active.is_(True), Listing.outlet_id.in_(outlets), Listing.product_id.in_(products)]


@dataclass(frozen=True)
class Criteria:
    """What a buyer asked for: search words, filters and an order (all optional)."""

    text: str = ""
    category: str | None = None
    town: str | None = None
    village: str | None = None
    outlet_kind: str | None = None
    linked_only: bool = False
    sort: str = "relevance"

    @property
    def terms(self) -> tuple[str, ...]:
        """The words of the search (at most MAX_TERMS); each must match the product somewhere."""
        return tuple(self.text[:MAX_QUERY_LENGTH].split()[:MAX_TERMS])


def like_pattern(term: str) -> str:
    """A LIKE pattern for a substring, with the wildcard characters of the term escaped."""
    return "%" + term.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_") + "%"


def _contains(column: sa.ColumnElement[str], pattern: str) -> sa.ColumnElement[bool]:
    return column.ilike(pattern, escape="\\")


def _term_matches(term: str) -> sa.ColumnElement[bool]:
    """A product matches a word by its name, description, category, or a producer's village, town or name.

    Producers that are households are matched by place only: their names may be a person's.
    """
    pattern = like_pattern(term)
    by_origin = (
        sa.select(product_producers.c.product_id)
        .join(Producer, Producer.id == product_producers.c.producer_id)
        .join(Village, Village.id == Producer.village_id)
        .join(Town, Town.id == Village.town_id)
        .where(
            sa.or_(
                sa.and_(Producer.kind != "household", _contains(Producer.name, pattern)),
                _contains(Village.name_zh, pattern),
                _contains(Village.name_en, pattern),
                _contains(Town.name_zh, pattern),
                _contains(Town.name_en, pattern),
            )
        )
    )
    return sa.or_(
        _contains(Product.name_zh, pattern),
        _contains(Product.name_en, pattern),
        _contains(Product.description, pattern),
        _contains(Category.name_zh, pattern),
        _contains(Category.name_en, pattern),
        Product.id.in_(by_origin),
    )


def _from_place(town: str | None, village: str | None) -> sa.ColumnElement[bool]:
    """SQL: some producer of the product is in the village (or, without one, in the town)."""
    query = (
        sa.select(product_producers.c.product_id)
        .join(Producer, Producer.id == product_producers.c.producer_id)
        .join(Village, Village.id == Producer.village_id)
    )
    if village:
        query = query.where(Village.code == village)
    else:
        query = query.join(Town, Town.id == Village.town_id).where(Town.code == town)
    return Product.id.in_(query)


def _product_conditions(criteria: Criteria) -> list[sa.ColumnElement[bool]]:
    """Conditions on Product and Category: the search words, the category, the place, household-linked."""
    conditions = [_term_matches(term) for term in criteria.terms]
    if criteria.category:
        conditions.append(Category.code == criteria.category)
    if criteria.town or criteria.village:
        conditions.append(_from_place(criteria.town, criteria.village))
    if criteria.linked_only:
        conditions.append(Product.household_linked.is_(True))
    return conditions


def season_now(month: int) -> sa.ColumnElement[bool]:
    """SQL: the listing has a season and the month is in it (domain.availability.in_season, wrapping)."""
    start, end = Listing.season_start, Listing.season_end
    return sa.and_(
        start.is_not(None),
        end.is_not(None),
        sa.or_(
            sa.and_(start <= end, start <= month, end >= month),
            sa.and_(start > end, sa.or_(start <= month, end >= month)),
        ),
    )


def _flag(condition: sa.ColumnElement[bool]) -> sa.ColumnElement[int]:
    return sa.func.max(sa.case((condition, 1), else_=0))


def _offers(day: date, criteria: Criteria, extra: list[sa.ColumnElement[bool]]) -> sa.Subquery:
    """One row per product with a purchasable listing that matches: cheapest price, number of offers, flags.

    Listings are aggregated on their own and products joined afterwards, so the database groups the
    listings by product_id (its index) instead of probing listings once per product and outlet.
    """
    conditions = [*purchasable(day), *extra]
    product_conditions = _product_conditions(criteria)
    if product_conditions:
        matching = sa.select(Product.id).join(Category, Category.id == Product.category_id)
        conditions.append(Listing.product_id.in_(matching.where(*product_conditions)))
    if criteria.outlet_kind:
        conditions.append(Listing.outlet_id.in_(sa.select(Outlet.id).where(Outlet.kind == criteria.outlet_kind)))
    return (
        sa.select(
            Listing.product_id.label("product_id"),
            sa.func.min(Listing.price_fen).label("min_price"),
            sa.func.count(Listing.id).label("offers"),
            _flag(Listing.stock >= Listing.min_quantity).label("in_stock"),
            _flag(season_now(day.month)).label("in_season"),
            _flag(Listing.featured.is_(True)).label("featured"),
            sa.func.max(Listing.created_at).label("newest"),  # when the product was last put on offer
        )
        .where(*conditions)
        .group_by(Listing.product_id)
        .subquery("offers")
    )


def _card_select(offers: sa.Subquery, day: date) -> sa.Select:
    photo = first_thumb([Listing.product_id == Product.id, *purchasable(day)], Product)
    return (
        sa.select(
            Product.sku, Product.name_zh, Product.name_en, Product.unit, Product.net_grams,
            Product.household_linked, Category.code, Category.name_zh, Category.name_en,
            offers.c.min_price, offers.c.offers, offers.c.in_stock, offers.c.in_season, photo,
        )
        .select_from(offers)
        .join(Product, Product.id == offers.c.product_id)
        .join(Category, Category.id == Product.category_id)
    )


def _order(criteria: Criteria, offers: sa.Subquery) -> list[sa.ColumnElement]:
    o = offers.c
    if criteria.sort == "price_asc":
        return [o.min_price.asc(), Product.id.asc()]
    if criteria.sort == "price_desc":
        return [o.min_price.desc(), Product.id.asc()]
    if criteria.sort == "newest":
        return [o.newest.desc(), Product.id.desc()]
    order: list[sa.ColumnElement] = []
    if criteria.terms:  # products named after the words come before those that only mention them
        named = [sa.or_(_contains(Product.name_zh, like_pattern(t)), _contains(Product.name_en, like_pattern(t)))
                 for t in criteria.terms]
        order.append(sa.case((sa.and_(*named), 0), else_=1))
    return [*order, o.in_stock.desc(), o.featured.desc(), o.in_season.desc(), o.newest.desc(), Product.id.desc()]


def _card(row: sa.Row) -> ProductCard:
    (sku, name_zh, name_en, unit, net_grams, linked, c_code, c_zh, c_en, price, offers, stock, season, photo) = row
    return ProductCard(
        sku=sku, name_zh=name_zh, name_en=name_en, unit=unit, net_grams=net_grams,
        category=CategoryRef(c_code, c_zh, c_en), household_linked=bool(linked),
        min_price_fen=int(price), offers=int(offers), in_stock=bool(stock), in_season_now=bool(season),
        photo_key=photo,
    )


def find_products(day: date, criteria: Criteria, page_number: int = 1, size: int = PAGE_SIZE) -> ResultPage:
    """One page of the products on offer that match the criteria.

    One query: the page's rows carry the total (a window count). Only a page beyond the last costs
    two more (the count, then the last page).
    """
    offers = _offers(day, criteria, [])
    ordered = _card_select(offers, day).add_columns(sa.func.count().over().label("total")).order_by(
        *_order(criteria, offers)
    )
    page = Page.clamped(page_number, size, page_number * size)  # provisional: the total is not known yet
    rows = db.session.execute(ordered.limit(size).offset(page.offset)).all()
    if rows:
        total = int(rows[0].total)
    elif page_number == 1:
        total = 0
    else:
        total = db.session.scalar(sa.select(sa.func.count()).select_from(offers)) or 0
        if total:
            rows = db.session.execute(
                ordered.limit(size).offset(Page.clamped(page_number, size, total).offset)
            ).all()
    return ResultPage(cards=tuple(_card(r[:-1]) for r in rows), page=Page.clamped(page_number, size, total))


def in_season_products(day: date, limit: int = HOME_SECTION_SIZE) -> tuple[ProductCard, ...]:
    """Seasonal produce in season this month (apples in autumn, walnuts until April), in stock first."""
    offers = _offers(day, Criteria(), [season_now(day.month)])
    o = offers.c
    query = _card_select(offers, day).order_by(o.in_stock.desc(), o.featured.desc(), o.newest.desc(), Product.id)
    return tuple(_card(r) for r in db.session.execute(query.limit(limit)))


def featured_products(day: date, exclude: tuple[str, ...] = (), limit: int = HOME_SECTION_SIZE
                      ) -> tuple[ProductCard, ...]:
    """Products outlets feature first, then the newest on offer; in stock first; `exclude` lists SKUs to skip."""
    offers = _offers(day, Criteria(), [])
    o = offers.c
    query = _card_select(offers, day).order_by(o.featured.desc(), o.in_stock.desc(), o.newest.desc(),
                                               Product.id.desc())
    if exclude:
        query = query.where(Product.sku.not_in(exclude))
    return tuple(_card(r) for r in db.session.execute(query.limit(limit)))
