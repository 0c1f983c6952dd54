"""The interface every payment provider implements."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import TYPE_CHECKING, Protocol

from flask import Flask

if TYPE_CHECKING:
    from market.models import Order, Payment, Refund


@dataclass(frozen=True)
class PaymentPages:
    """Where the provider sends the buyer back: after paying, and after giving up. The web layer builds them;
    a provider never builds a page URL itself."""

    success_url: str
    cancel_url: str


class ProviderError(Exception):
    """The provider refused or failed; the message is safe to show to the buyer."""


class PaymentProvider(Protocol):
    """Start a payment, learn that it was confirmed, and return money."""

    name: str
    per_order: bool  # one payment per order (each outlet collects its own) or one per checkout
    pay_at_pickup: bool  # paid at the outlet on collection, marked paid by outlet staff

    def is_configured(self, app: Flask) -> bool:
        """Whether the provider can be offered with this configuration."""
        ...

    def hold_minutes(self, app: Flask) -> int:
        """How long an unpaid order holds its stock."""
        ...

    def start(self, payment: Payment, orders: list[Order], pages: PaymentPages, now: datetime) -> str | None:
        """Begin paying: a URL to send the buyer to, or None when nothing is to be done online."""
        ...

    def refund(self, refund: Refund, key: str | None = None) -> str | None:
        """Return money for a refund; the provider's reference, if any. Raises ProviderError.

        `key` makes the call idempotent across retries (default: one per refund row)."""
        ...
