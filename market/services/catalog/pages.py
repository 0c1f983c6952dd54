"""Everything one storefront listing page shows, composed from the catalogue queries (one call per view)."""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass
from datetime import date

from market.domain.paging import Page
from market.models.outlet import OUTLET_KINDS
from market.services.catalog import lookup as catalog_lookup
from market.services.catalog import search as catalog
from market.services.catalog.cache import cache
from market.services.catalog.search import Criteria
from market.services.catalog.values import CategoryRef, OutletRef, ProductCard, ResultPage, TownRef

HOME_OUTLETS = 8


@dataclass(frozen=True)
class HomePage:
    """The home page: produce in season, featured and new produce, and the ways to browse (five queries)."""

    in_season: tuple[ProductCard, ...]
    featured: tuple[ProductCard, ...]
    categories: tuple[CategoryRef, ...]
    towns: tuple[TownRef, ...]
    outlets: tuple[OutletRef, ...]
    more_outlets: bool


@dataclass(frozen=True)
class Browse:
    """A page of products for a search, a category or a town, with what the filters offer.

    `criteria` is what was actually applied: unknown categories, villages, kinds and sorts are dropped.
    """

    criteria: Criteria
    results: ResultPage
    categories: tuple[CategoryRef, ...] = ()
    category: CategoryRef | None = None
    town: TownRef | None = None


@dataclass(frozen=True)
class OutletsPage:
    """A page of the certified outlets."""

    outlets: tuple[OutletRef, ...]
    page: Page
    kind: str | None


def home(day: date) -> HomePage:
    """What the home page shows on the day."""
    return cache.fetch(("home", day), lambda: _home(day))


def _home(day: date) -> HomePage:
    outlets, more = catalog_lookup.first_certified_outlets(day, HOME_OUTLETS)
    in_season = catalog.in_season_products(day)
    return HomePage(
        in_season=in_season,
        featured=catalog.featured_products(day, exclude=tuple(c.sku for c in in_season)),
        categories=catalog_lookup.categories(),
        towns=catalog_lookup.towns(),
        outlets=outlets,
        more_outlets=more,
    )


def _sane(criteria: Criteria) -> Criteria:
    """Drop an unknown outlet kind or sort order (the URL may say anything)."""
    return dataclasses.replace(
        criteria,
        outlet_kind=criteria.outlet_kind if criteria.outlet_kind in OUTLET_KINDS else None,
        sort=criteria.sort if criteria.sort in catalog.SORTS else "relevance",
    )


def search(day: date, criteria: Criteria, page_number: int) -> Browse:
    """Search and filter over everything on offer; an empty search lists everything (paged)."""
    return cache.fetch(("search", day, criteria, page_number), lambda: _search(day, criteria, page_number))


def _search(day: date, criteria: Criteria, page_number: int) -> Browse:
    categories = catalog_lookup.categories()
    known = {c.code for c in categories}
    criteria = dataclasses.replace(
        _sane(criteria), category=criteria.category if criteria.category in known else None, town=None, village=None
    )
    return Browse(criteria, catalog.find_products(day, criteria, page_number), categories=categories)


def category(day: date, code: str, criteria: Criteria, page_number: int) -> Browse | None:
    """The products on offer in the category; None for an unknown category code."""
    return cache.fetch(("category", day, code, criteria, page_number),
                       lambda: _category(day, code, criteria, page_number))


def _category(day: date, code: str, criteria: Criteria, page_number: int) -> Browse | None:
    found = catalog_lookup.category(code)
    if found is None:
        return None
    criteria = dataclasses.replace(_sane(criteria), text="", category=found.code, town=None, village=None)
    return Browse(criteria, catalog.find_products(day, criteria, page_number), category=found)


def town(day: date, code: str, criteria: Criteria, page_number: int) -> Browse | None:
    """The products whose producers are in the town (or one of its villages); None for an unknown town."""
    return cache.fetch(("town", day, code, criteria, page_number), lambda: _town(day, code, criteria, page_number))


def _town(day: date, code: str, criteria: Criteria, page_number: int) -> Browse | None:
    found = catalog_lookup.town(code)
    if found is None:
        return None
    village = criteria.village if criteria.village in {v.code for v in found.villages} else None
    criteria = dataclasses.replace(_sane(criteria), text="", category=None, town=found.code, village=village)
    return Browse(criteria, catalog.find_products(day, criteria, page_number), town=found)


def outlets(day: date, kind: str | None, page_number: int) -> OutletsPage:
    """A page of the certified outlets, optionally of one kind (an unknown kind is ignored)."""
    kind = kind if kind in OUTLET_KINDS else None

    def compute() -> OutletsPage:
        found, page = catalog_lookup.certified_outlets(day, page_number, kind=kind)
        return OutletsPage(outlets=found, page=page, kind=kind)

    return cache.fetch(("outlets", day, kind, page_number), compute)
