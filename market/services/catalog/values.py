"""Plain, immutable values the catalogue services hand to the storefront (no ORM objects, no lazy loads)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from market.domain.availability import StockState, stock_state
from market.domain.paging import Page
from market.domain.pricing import PriceTier, UnitPrice, unit_price


@dataclass(frozen=True)
class CategoryRef:
    """A produce category as shown in links and labels."""

    code: str
    name_zh: str
    name_en: str


@dataclass(frozen=True)
class PlaceRef:
    """A town or village as shown in links and provenance."""

    code: str
    name_zh: str
    name_en: str


@dataclass(frozen=True)
class TownRef(PlaceRef):
    """A town with its villages (empty when not loaded)."""

    villages: tuple[PlaceRef, ...] = ()


@dataclass(frozen=True)
class CertificateRef:
    """The certification (认定) in force today: its number and validity window."""

    number: str
    valid_from: date
    valid_to: date | None


@dataclass(frozen=True)
class OutletRef:
    """An outlet in lists: never its contact person, phone or bank details."""

    code: str
    name: str
    kind: str
    town: PlaceRef | None


@dataclass(frozen=True)
class PhotoRef:
    """A listing photo as storage keys: the picture (longest side 1600 px) and its 400 px thumbnail."""

    key: str
    thumb_key: str
    width: int
    height: int


@dataclass(frozen=True)
class ProductCard:
    """A product in a result list, priced by its cheapest purchasable offer among those that matched."""

    sku: str
    name_zh: str
    name_en: str
    unit: str
    net_grams: int | None
    category: CategoryRef
    household_linked: bool
    min_price_fen: int
    offers: int
    in_stock: bool
    in_season_now: bool
    photo_key: str | None = None  # thumbnail of the first photo of its cheapest listing with photos

    @property
    def unit_price(self) -> UnitPrice | None:
        """The cheapest offer per 斤 and per kg (None when the pack has no known weight)."""
        return unit_price(self.min_price_fen, self.net_grams)


@dataclass(frozen=True)
class Offer:
    """One listing: an outlet's price, stock and minimum order for a product."""

    listing_id: int
    price_fen: int
    unit: str
    stock: int
    min_quantity: int
    net_grams: int | None
    outlet: OutletRef
    photos: tuple[PhotoRef, ...] = ()  # in the outlet's order (product page only)
    tiers: tuple[PriceTier, ...] = ()  # quantity prices, smallest quantity first (product page only)

    @property
    def stock_state(self) -> StockState:
        """In stock, low or sold out (fewer packs than the minimum order)."""
        return stock_state(self.stock, self.min_quantity)

    @property
    def unit_price(self) -> UnitPrice | None:
        """This offer per 斤 and per kg."""
        return unit_price(self.price_fen, self.net_grams)


@dataclass(frozen=True)
class ShopItem:
    """A product as listed on one outlet's shop page."""

    product: ProductCard
    offer: Offer


@dataclass(frozen=True)
class ResultPage:
    """One page of product cards and the page it is."""

    cards: tuple[ProductCard, ...]
    page: Page


@dataclass(frozen=True)
class ProducerRef:
    """Provenance of a product: a producer's kind and place; the name only for firms and cooperatives."""

    kind: str
    name: str | None
    village: PlaceRef
    town: PlaceRef
