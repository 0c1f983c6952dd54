"""Which stock changes outlet staff may make by hand, and for what reason."""

from __future__ import annotations

import pytest

from market.domain.stock import MANUAL_REASONS, StockReason, manual_change_allowed

R = StockReason


@pytest.mark.parametrize(("reason", "change", "allowed"), [
    (R.RESTOCK, 5, True), (R.RESTOCK, -5, False), (R.RESTOCK, 0, False),
    (R.DAMAGE, -2, True), (R.DAMAGE, 2, False), (R.DAMAGE, 0, False),
    (R.CORRECTION, 3, True), (R.CORRECTION, -3, True), (R.CORRECTION, 0, False),
    (R.ORDER_PLACED, -1, False), (R.ORDER_CANCELLED, 1, False), (R.HOLD_EXPIRED, 1, False),
    (R.LATE_PAYMENT, -1, False), (R.REFUND_RESTOCK, 1, False), (R.OPENING, 10, False),
])
def test_manual_stock_changes(reason, change, allowed):
    assert manual_change_allowed(reason, change) is allowed


def test_staff_choose_among_restock_damage_and_correction_only():
    assert set(MANUAL_REASONS) == {R.RESTOCK, R.DAMAGE, R.CORRECTION}


def test_the_order_reasons_keep_their_stored_values():
    """Existing rows and the CHECK constraint's text depend on these values and their order."""
    assert [r.value for r in R][:5] == ["order_placed", "order_cancelled", "hold_expired", "late_payment",
                                        "refund_restock"]
