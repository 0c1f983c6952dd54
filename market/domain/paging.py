"""Paging of result lists: which slice a page number means, clamped to the pages that exist. Pure."""

from __future__ import annotations

from dataclasses import dataclass

MAX_PAGE = 10_000  # far beyond any real catalogue; keeps OFFSET bounded whatever the URL says


def parse_page_number(raw: str | None) -> int:
    """A requested page number from a query string: 1 for anything missing, malformed or below 1, MAX_PAGE
    for anything above it. The one paging rule: every paged view reads `?page=` through it."""
    text = (raw or "").strip()
    if not text.isascii() or not text.isdigit():
        return 1
    digits = text.lstrip("0")
    if len(digits) > len(str(MAX_PAGE)):  # never int() a huge string: 10**20 and "9" * 5000 are MAX_PAGE
        return MAX_PAGE
    return min(max(int(digits or "0"), 1), MAX_PAGE)


@dataclass(frozen=True)
class Page:
    """One page of `size` items out of `total`; `number` is 1-based and always an existing page."""

    number: int
    size: int
    total: int

    @classmethod
    def clamped(cls, requested: int, size: int, total: int) -> Page:
        """The requested page, moved into 1..last page (page 1 when there is nothing)."""
        if size <= 0:
            raise ValueError("page size must be positive")
        if total < 0:
            raise ValueError("total cannot be negative")
        last = max(1, -(-total // size))
        return cls(number=min(max(requested, 1), last), size=size, total=total)

    @property
    def pages(self) -> int:
        """How many pages there are (at least one, possibly empty)."""
        return max(1, -(-self.total // self.size))

    @property
    def offset(self) -> int:
        """How many items come before this page."""
        return (self.number - 1) * self.size

    @property
    def has_previous(self) -> bool:
        """True when there is a page before this one."""
        return self.number > 1

    @property
    def has_next(self) -> bool:
        """True when there is a page after this one."""
        return self.number < self.pages

    @property
    def first_item(self) -> int:
        """The 1-based position of the first item on this page (0 when there are none)."""
        return self.offset + 1 if self.total else 0

    @property
    def last_item(self) -> int:
        """The 1-based position of the last item on this page (0 when there are none)."""
        return min(self.offset + self.size, self.total)
