"""A line moves only from the state it was judged in, with real commits on SQLite and PostgreSQL: when the county
decides a line between the moment a page read it and the moment it writes, the late write changes nothing."""

from __future__ import annotations

from datetime import UTC, date, datetime

import pytest
import sqlalchemy as sa

from market.domain.offline_sale import SaleAction
from market.extensions import db
from market.models import OfflineSale
from market.services.errors import ServiceError
from market.services.sales import entry, verification
from market.services.sales.recording import SaleInput
from tests.factories import OfflineSaleFactory, UserFactory

NOW = datetime(2026, 11, 20, 4, 0, tzinfo=UTC)


def meanwhile(monkeypatch, module, sale_id: int, state: str) -> None:
    """Let another connection commit the line's new state just before `module` judges the transition."""
    real = module.next_state

    def judged_after_someone_else_wrote(*args, **kwargs):  # type: ignore[no-untyped-def]
        with db.engine.begin() as other:
            other.execute(sa.update(OfflineSale).where(OfflineSale.id == sale_id).values(state=state))
        return real(*args, **kwargs)

    monkeypatch.setattr(module, "next_state", judged_after_someone_else_wrote)


def stored(sale_id: int) -> tuple[str, int] | None:
    db.session.rollback()
    row = db.session.execute(sa.select(OfflineSale.state, OfflineSale.amount_fen)
                             .where(OfflineSale.id == sale_id)).one_or_none()
    return tuple(row) if row else None


@pytest.fixture
def line(app):
    sale = OfflineSaleFactory(amount_fen=6800)
    clerk = UserFactory()
    db.session.commit()
    return sale, clerk


def test_an_edit_after_the_county_verified_the_line_changes_nothing(line, monkeypatch):
    sale, clerk = line
    meanwhile(monkeypatch, entry, sale.id, "verified")
    changed = SaleInput(date(2026, 11, 2), sale.product_id, 1, 9_999_900, receipt_no=sale.receipt_no)
    with pytest.raises(ServiceError):
        entry.edit_sale(sale, changed, clerk, NOW)
    assert stored(sale.id) == ("verified", 6800)


def test_a_delete_after_the_county_verified_the_line_deletes_nothing(line, monkeypatch):
    sale, clerk = line
    meanwhile(monkeypatch, entry, sale.id, "verified")
    with pytest.raises(ServiceError):
        entry.delete_sale(sale, clerk)
    assert stored(sale.id) == ("verified", 6800)


def test_a_rejection_after_another_clerk_verified_the_line_is_refused(line, monkeypatch):
    sale, _clerk = line
    if db.engine.dialect.name == "postgresql":
        pytest.skip("PostgreSQL: the decision's SELECT ... FOR UPDATE holds the row, so nobody writes meanwhile")
    meanwhile(monkeypatch, verification, sale.id, "verified")
    with pytest.raises(ServiceError):
        verification.decide(UserFactory(), [sale.id], SaleAction.REJECT, "小票不清", NOW)
    assert stored(sale.id) == ("verified", 6800)


def test_an_edit_to_a_receipt_number_taken_meanwhile_is_a_message(line, monkeypatch):
    sale, clerk = line
    if db.engine.dialect.name == "sqlite":
        pytest.skip("on SQLite the edit holds the write lock from its first step: nobody records meanwhile")
    real = entry.sale_values  # called after the check passed, before the write

    def another_clerk_records_it_meanwhile(*args, **kwargs):  # type: ignore[no-untyped-def]
        with db.engine.begin() as other:
            other.execute(sa.insert(OfflineSale).values(
                outlet_id=sale.outlet_id, sale_date=date(2026, 11, 2), product_id=sale.product_id, quantity=1,
                amount_fen=100, payment_method="cash", receipt_no="TAKEN-1", state="unverified", entered_at=NOW))
        return real(*args, **kwargs)

    monkeypatch.setattr(entry, "sale_values", another_clerk_records_it_meanwhile)
    changed = SaleInput(date(2026, 11, 2), sale.product_id, 1, 6800, receipt_no="TAKEN-1")
    with pytest.raises(ServiceError) as refused:
        entry.edit_sale(sale, changed, clerk, NOW)
    assert refused.value.field == "receipt_no"
