"""Public media: listing photos by storage key, cacheable for a year (a key never changes content)."""

from __future__ import annotations

from flask import abort
from flask.typing import ResponseReturnValue

from market import storage
from market.storefront import bp


@bp.route("/media/<path:key>")
def media(key: str) -> ResponseReturnValue:
    """A public file (listing photos only); private folders (premises photos, receipts) answer 404 here."""
    if not storage.is_public(key):
        abort(404)
    return storage.send(key, public=True)
