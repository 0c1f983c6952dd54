"""Pay at pickup: the buyer pays cash (or scans the outlet's own code) when collecting the order."""

from __future__ import annotations

from datetime import datetime
from typing import TYPE_CHECKING

from flask import Flask

from market.payments.base import PaymentPages

if TYPE_CHECKING:
    from market.models import Order, Payment, Refund


class PickupProvider:
    """Each outlet collects its own order's money; outlet staff mark the order paid on collection."""

    name = "pickup"
    per_order = True
    pay_at_pickup = True

    def is_configured(self, app: Flask) -> bool:
        """Always available."""
        return True

    def hold_minutes(self, app: Flask) -> int:
        """Pickup orders wait MARKET_PICKUP_HOLD_DAYS for collection."""
        return int(app.config["MARKET_PICKUP_HOLD_DAYS"]) * 24 * 60

    def start(self, payment: Payment, orders: list[Order], pages: PaymentPages, now: datetime) -> str | None:
        """Nothing to do online: the buyer pays at the outlet."""
        return None

    def refund(self, refund: Refund, key: str | None = None) -> str | None:
        """Cash handed back at the outlet; recorded, no provider reference."""
        return None
