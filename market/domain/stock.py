"""Why a listing's stock changes: the reason every stock change carries. Pure.

The outlet portal's stock log will store these (its CHECK constraint generated from this enum, like the
statuses'); until then the stock service logs each change with its reason.
"""

from __future__ import annotations

from enum import StrEnum


class StockReason(StrEnum):
    """What moved the units."""

    ORDER_PLACED = "order_placed"  # reserved for a new order
    ORDER_CANCELLED = "order_cancelled"  # an unpaid order cancelled by the buyer, the outlet or a failed payment
    HOLD_EXPIRED = "hold_expired"  # an unpaid order whose hold ended
    LATE_PAYMENT = "late_payment"  # reserved again for money that came after the hold ended (or given back)
    REFUND_RESTOCK = "refund_restock"  # refunded units that never left the outlet
