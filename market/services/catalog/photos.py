"""Listing photos for the catalogue: the first thumbnail as a correlated SQL column (cards and shop items
cost no extra statement), and a product page's offers with all their photos in one query."""

from __future__ import annotations

from dataclasses import replace

import sqlalchemy as sa

from market.extensions import db
from market.models import Listing, ListingPhoto
from market.services.catalog.values import Offer, PhotoRef


def first_thumb(listing_conditions: list[sa.ColumnElement[bool]], outer: type) -> sa.ScalarSelect[str]:
    """SQL: the thumbnail key of the first photo of the first listing (cheapest, then oldest) that meets the
    conditions and has a photo; NULL when none has. Correlated to `outer`, the enclosing query's entity."""
    return (
        sa.select(ListingPhoto.thumb_key)
        .join(Listing, Listing.id == ListingPhoto.listing_id)
        .where(*listing_conditions)
        .order_by(Listing.price_fen, Listing.id, ListingPhoto.position, ListingPhoto.id)
        .limit(1)
        .correlate(outer)
        .scalar_subquery()
    )


def listing_thumb() -> sa.ScalarSelect[str]:
    """SQL: the thumbnail key of the enclosing query's listing's first photo (NULL without photos)."""
    return (
        sa.select(ListingPhoto.thumb_key)
        .where(ListingPhoto.listing_id == Listing.id)
        .order_by(ListingPhoto.position, ListingPhoto.id)
        .limit(1)
        .correlate(Listing)
        .scalar_subquery()
    )


def with_photos(offers: tuple[Offer, ...]) -> tuple[Offer, ...]:
    """The offers with their listings' photos in order, read in one query (none when there are no offers)."""
    if not offers:
        return offers
    found: dict[int, list[PhotoRef]] = {}
    rows = db.session.execute(
        sa.select(ListingPhoto.listing_id, ListingPhoto.key, ListingPhoto.thumb_key, ListingPhoto.width,
                  ListingPhoto.height)
        .where(ListingPhoto.listing_id.in_([o.listing_id for o in offers]))
        .order_by(ListingPhoto.listing_id, ListingPhoto.position, ListingPhoto.id)
    )
    for listing_id, key, thumb_key, width, height in rows:
        found.setdefault(listing_id, []).append(PhotoRef(key, thumb_key, width, height))
    return tuple(replace(o, photos=tuple(found.get(o.listing_id, ()))) for o in offers)
