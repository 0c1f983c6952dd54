"""A listing's photos in the outlet portal: upload from a phone's camera or gallery, reorder, remove."""

from __future__ import annotations

from flask import abort, flash, redirect, request, url_for
from flask.typing import ResponseReturnValue
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from flask_wtf.file import MultipleFileField

from market.extensions import db
from market.forms import apply_service_error, render_form_page
from market.models import Listing, Outlet
from market.outlet import bp
from market.security import acting_user
from market.services.errors import ServiceError
from market.services.outlets import access
from market.services.outlets import photos as listing_photos
from market.services.uploads import MAX_BYTES


class UploadForm(FlaskForm):
    """Photos chosen from the gallery (several) or taken with the camera (one); both send `photos`."""

    photos = MultipleFileField(_l("Choose photos"))


class PhotoActionForm(FlaskForm):
    """Moving or removing a photo: a button and the CSRF token."""


def _page(code: str, listing_id: int) -> tuple[Outlet, Listing]:
    """The outlet the user works for and its listing; 404 for anything else."""
    outlet = access.staff_outlet(acting_user(), code) or abort(404)
    listing = listing_photos.outlet_listing(outlet, listing_id) or abort(404)
    return outlet, listing


@bp.route("/<code>/listings/<int:listing_id>/photos", methods=["GET", "POST"])
def listing_photos_page(code: str, listing_id: int) -> ResponseReturnValue:
    """The listing's photos in order, and the form adding more (all the chosen files, or none)."""
    outlet, listing = _page(code, listing_id)
    form = UploadForm()
    if form.validate_on_submit():
        try:
            added = listing_photos.add_photos(outlet, listing.id, request.files.getlist("photos"))
        except ServiceError as err:
            db.session.rollback()
            apply_service_error(form, err)
        else:
            db.session.commit()
            flash(_("Photos added: %(num)d.", num=len(added)), "success")
            return redirect(url_for("outlet.listing_photos_page", code=outlet.code, listing_id=listing.id))
    return render_form_page("outlet/listing_photos.html", outlet=outlet, listing=listing, form=form,
                            action=PhotoActionForm(), photos=listing_photos.photos_of(listing.id),
                            max_photos=listing_photos.MAX_PHOTOS, max_mb=MAX_BYTES // (1024 * 1024))


@bp.route("/<code>/listings/<int:listing_id>/photos/<int:photo_id>/remove", methods=["POST"])
def remove_listing_photo(code: str, listing_id: int, photo_id: int) -> ResponseReturnValue:
    """Remove a photo and its files."""
    outlet, listing = _page(code, listing_id)
    if not PhotoActionForm().validate_on_submit():
        abort(400)
    if not listing_photos.remove_photo(outlet, listing.id, photo_id):
        abort(404)
    db.session.commit()
    flash(_("Photo removed."), "success")
    return redirect(url_for("outlet.listing_photos_page", code=outlet.code, listing_id=listing.id))


@bp.route("/<code>/listings/<int:listing_id>/photos/<int:photo_id>/move", methods=["POST"])
def move_listing_photo(code: str, listing_id: int, photo_id: int) -> ResponseReturnValue:
    """Move a photo one place earlier (towards the main picture) or later."""
    outlet, listing = _page(code, listing_id)
    direction = request.form.get("direction")
    if not PhotoActionForm().validate_on_submit() or direction not in ("earlier", "later"):
        abort(400)
    if not listing_photos.move_photo(outlet, listing.id, photo_id, direction):  # type: ignore[arg-type]
        abort(404)
    db.session.commit()
    return redirect(url_for("outlet.listing_photos_page", code=outlet.code, listing_id=listing.id,
                            _anchor=f"photo-{photo_id}"))
