"""Payment providers behind one interface: Stripe Checkout online, and `pickup` (cash at the outlet).

A provider says how a checkout's orders are paid: `per_order` providers take one payment per order
(each outlet collects its own), others one payment for the whole checkout.
"""

from __future__ import annotations

from flask import Flask

from market.payments.base import PaymentPages, PaymentProvider, ProviderError
from market.payments.pickup import PickupProvider
from market.payments.stripe_provider import StripeProvider

__all__ = ["PaymentPages", "PaymentProvider", "ProviderError", "available_methods", "get_provider"]

_PROVIDERS: dict[str, PaymentProvider] = {"stripe": StripeProvider(), "pickup": PickupProvider()}


def get_provider(name: str) -> PaymentProvider:
    """The provider registered under `name` (KeyError if none)."""
    return _PROVIDERS[name]


def available_methods(app: Flask) -> list[str]:
    """The payment methods offered at checkout with this configuration."""
    return [name for name, provider in _PROVIDERS.items() if provider.is_configured(app)]
