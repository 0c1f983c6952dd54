"""Why a listing's stock changes: the reason every stock change carries in the stock log. Pure.

The stock log's CHECK constraint is generated from this enum (members' order = the constraint's text).
"""

from __future__ import annotations

from enum import StrEnum


class StockReason(StrEnum):
    """What moved the units."""

    ORDER_PLACED = "order_placed"  # reserved for a new order (a sale)
    ORDER_CANCELLED = "order_cancelled"  # an unpaid order cancelled by the buyer, the outlet or a failed payment
    HOLD_EXPIRED = "hold_expired"  # an unpaid order whose hold ended
    LATE_PAYMENT = "late_payment"  # reserved again for money that came after the hold ended (or given back)
    REFUND_RESTOCK = "refund_restock"  # refunded units that never left the outlet
    OPENING = "opening"  # the stock a listing was created with
    RESTOCK = "restock"  # new units delivered to the outlet
    DAMAGE = "damage"  # units written off: damaged, spoiled, lost
    CORRECTION = "correction"  # a count that did not match the shelf, set right


MANUAL_REASONS = (StockReason.RESTOCK, StockReason.DAMAGE, StockReason.CORRECTION)  # what outlet staff may choose


def manual_change_allowed(reason: StockReason, change: int) -> bool:
    """Whether outlet staff may move stock by `change` units for this reason: a restock adds, a damage
    write-off takes away, a correction goes either way; never zero, never an order's reason."""
    if change == 0:
        return False
    if reason is StockReason.RESTOCK:
        return change > 0
    if reason is StockReason.DAMAGE:
        return change < 0
    return reason is StockReason.CORRECTION
