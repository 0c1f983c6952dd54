"""Reading the catalogue's query strings: anything malformed becomes a default, never an error."""

from __future__ import annotations

import re
from dataclasses import dataclass

from werkzeug.datastructures import MultiDict

from market.domain.paging import parse_page_number
from market.services.catalog.search import MAX_QUERY_LENGTH, Criteria

_CODE = re.compile(r"[A-Za-z0-9][A-Za-z0-9_.-]{0,39}")  # any category, town, village, outlet code or SKU


@dataclass(frozen=True)
class BrowseRequest:
    """The criteria and page number asked for, and whether the search text had to be shortened."""

    criteria: Criteria
    page: int
    shortened: bool


def is_code(value: str | None) -> bool:
    """True for something shaped like a code or SKU (so odd bytes such as NUL never reach the database)."""
    return bool(value) and _CODE.fullmatch(value or "") is not None


def search_text(raw: str) -> str:
    """The search as typed, cut to MAX_QUERY_LENGTH characters, control characters (NUL…) made spaces."""
    text = raw[:MAX_QUERY_LENGTH]
    return "".join(ch if ch.isprintable() else " " for ch in text).strip()


def _code(args: MultiDict[str, str], name: str) -> str | None:
    value = (args.get(name) or "").strip()
    return value if is_code(value) else None


def browse_request(args: MultiDict[str, str]) -> BrowseRequest:
    """The criteria in `?q=&category=&village=&kind=&linked=1&sort=&page=`; the services drop unknown codes."""
    text = args.get("q") or ""
    return BrowseRequest(
        criteria=Criteria(
            text=search_text(text),
            category=_code(args, "category"),
            village=_code(args, "village"),
            outlet_kind=_code(args, "kind"),
            linked_only=args.get("linked") == "1",
            sort=_code(args, "sort") or "relevance",
        ),
        page=parse_page_number(args.get("page")),
        shortened=len(text) > MAX_QUERY_LENGTH,
    )
