"""Listing photos: outlet staff add, reorder and remove the photos of their own outlet's listings.

Every listing and photo is looked up within the outlet the page belongs to, so an id of another outlet's
listing or photo is simply not found. Positions run 0, 1, 2… in display order; the first is the picture on
cards and the product page. Files are written through market.services.uploads and deleted only once the
transaction that removed their row commits.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Literal

import sqlalchemy as sa
from flask_babel import lazy_gettext as _l
from werkzeug.datastructures import FileStorage

from market import storage
from market.extensions import db
from market.models import Listing, ListingPhoto, Outlet
from market.services import uploads
from market.services.errors import ServiceError

MAX_PHOTOS = 6
FOLDER = "listings"  # a public folder of the storage module: served by /media/<key>
FIELD = "photos"


def outlet_listing(outlet: Outlet, listing_id: int, *, for_update: bool = False) -> Listing | None:
    """The outlet's listing with this id; None for a missing id or another outlet's listing."""
    query = sa.select(Listing).where(Listing.id == listing_id, Listing.outlet_id == outlet.id)
    if for_update:  # PostgreSQL: one upload at a time per listing, so two cannot both pass the count
        query = query.with_for_update()
    return db.session.scalar(query)


def photos_of(listing_id: int) -> list[ListingPhoto]:
    """The listing's photos in display order (look the listing up within its outlet first)."""
    return list(db.session.scalars(
        sa.select(ListingPhoto).where(ListingPhoto.listing_id == listing_id)
        .order_by(ListingPhoto.position, ListingPhoto.id)
    ))


def add_photos(outlet: Outlet, listing_id: int, files: Iterable[FileStorage | None]) -> list[ListingPhoto]:
    """Store the chosen files as the listing's last photos, all or none: a refused file stores nothing and
    its message names it. LookupError for a listing the outlet does not have."""
    listing = outlet_listing(outlet, listing_id, for_update=True)
    if listing is None:
        raise LookupError(listing_id)
    chosen = [f for f in files if f is not None and f.filename]  # an input left empty sends a nameless part
    if not chosen:
        raise ServiceError(_l("Choose a photo to upload."), FIELD)
    existing = photos_of(listing.id)
    if len(existing) + len(chosen) > MAX_PHOTOS:
        raise ServiceError(_l("A listing has at most %(max)d photos: it has %(now)d, so add at most %(left)d.",
                              max=MAX_PHOTOS, now=len(existing), left=MAX_PHOTOS - len(existing)), FIELD)
    stored: list[uploads.StoredImage] = []
    try:
        for upload in chosen:
            try:
                stored.append(uploads.store_image(upload, folder=FOLDER, field=FIELD))
            except ServiceError as refused:
                raise ServiceError(_l("%(name)s: %(reason)s", name=_shown_name(upload.filename),
                                      reason=refused.message), FIELD) from None
    except BaseException:
        for image in stored:
            storage.delete(image.key)
            storage.delete(image.thumb_key)
        raise
    added = [
        ListingPhoto(listing_id=listing.id, key=image.key, thumb_key=image.thumb_key, width=image.width,
                     height=image.height, position=len(existing) + i)
        for i, image in enumerate(stored)
    ]
    db.session.add_all(added)
    db.session.flush()
    return added


def _shown_name(filename: str | None) -> str:
    """The uploaded file's name as the browser gave it, shortened for a message."""
    name = (filename or "").replace("\\", "/").rsplit("/", 1)[-1]
    return name if len(name) <= 60 else name[:57] + "…"


def _outlet_photo(outlet: Outlet, listing_id: int, photo_id: int) -> ListingPhoto | None:
    """The photo with this id of the outlet's listing; None when either is not the outlet's."""
    return db.session.scalar(
        sa.select(ListingPhoto).join(Listing, Listing.id == ListingPhoto.listing_id)
        .where(ListingPhoto.id == photo_id, ListingPhoto.listing_id == listing_id, Listing.outlet_id == outlet.id)
    )


def remove_photo(outlet: Outlet, listing_id: int, photo_id: int) -> bool:
    """Remove the photo (its files go once the transaction commits); False when it is not the outlet's."""
    photo = _outlet_photo(outlet, listing_id, photo_id)
    if photo is None:
        return False
    uploads.delete_after_commit(db.session(), [photo.key, photo.thumb_key])
    db.session.delete(photo)
    db.session.flush()
    _renumber([p for p in photos_of(listing_id) if p.id != photo_id])
    return True


def move_photo(outlet: Outlet, listing_id: int, photo_id: int, direction: Literal["earlier", "later"]) -> bool:
    """Swap the photo with its neighbour (earlier: towards the main picture); False when it is not the
    outlet's. Moving the first earlier or the last later changes nothing."""
    photo = _outlet_photo(outlet, listing_id, photo_id)
    if photo is None:
        return False
    ordered = photos_of(listing_id)
    index = ordered.index(photo)
    other = index - 1 if direction == "earlier" else index + 1
    if 0 <= other < len(ordered):
        ordered[index], ordered[other] = ordered[other], ordered[index]
        _renumber(ordered)
    return True


def _renumber(ordered: list[ListingPhoto]) -> None:
    """Positions 0, 1, 2… in the given order."""
    for position, photo in enumerate(ordered):
        photo.position = position
    db.session.flush()
