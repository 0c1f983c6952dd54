"""Template helpers of the storefront: placeholder photos and links that keep the current filters."""

from __future__ import annotations

from typing import Any

from flask import Blueprint, request, url_for

# Categories with a drawn placeholder under static/img/placeholders/ (others use default.svg).
PLACEHOLDERS = frozenset({"apple", "goat_milk", "honey", "walnut", "pepper", "other"})
FILTER_ARGS = ("q", "category", "village", "kind", "linked", "sort", "page")


def placeholder_image(category_code: str) -> str:
    """The URL of the placeholder photo for a product of the category (products have no photos yet)."""
    name = category_code if category_code in PLACEHOLDERS else "default"
    return url_for("static", filename=f"img/placeholders/{name}.svg")


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
    bp.add_app_template_global(url_with, "url_with")
