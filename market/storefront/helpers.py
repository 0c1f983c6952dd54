"""Template helpers of the storefront: product pictures (photo or category drawing) and links that keep the
current filters."""

from __future__ import annotations

from typing import Any

from flask import Blueprint, request, url_for

# Categories with a drawn placeholder under static/img/placeholders/ (others use default.svg).
PLACEHOLDERS = frozenset({"apple", "goat_milk", "honey", "walnut", "pepper", "other"})
FILTER_ARGS = ("q", "category", "village", "kind", "linked", "sort", "page")


def placeholder_image(category_code: str) -> str:
    """The URL of the category's drawing, shown for a product whose listings have no photo."""
    name = category_code if category_code in PLACEHOLDERS else "default"
    return url_for("static", filename=f"img/placeholders/{name}.svg")


def media_url(key: str) -> str:
    """The public URL of a stored listing photo (storefront.media serves public keys only)."""
    return url_for("storefront.media", key=key)


def picture_url(photo_key: str | None, category_code: str) -> str:
    """A product's picture: its listing photo when it has one, else the category's drawing."""
    return media_url(photo_key) if photo_key else placeholder_image(category_code)


def url_with(**changes: Any) -> str:
    """The current page's URL with some query arguments changed (None or "" removes one).

    Any change other than the page number goes back to page 1, since the results change.
    """
    args = {k: v for k, v in request.args.items() if k in FILTER_ARGS}
    if "page" not in changes:
        args.pop("page", None)
    for key, value in changes.items():
        if value in (None, "", False):
            args.pop(key, None)
        else:
            args[key] = value
    if args.get("page") in (1, "1"):
        args.pop("page")
    return url_for(request.endpoint or "storefront.home", **(request.view_args or {}), **args)


def register(bp: Blueprint) -> None:
    """Offer the helpers to every template."""
    bp.add_app_template_global(placeholder_image, "placeholder_image")
    bp.add_app_template_global(media_url, "media_url")
    bp.add_app_template_global(picture_url, "picture_url")
    bp.add_app_template_global(url_with, "url_with")
