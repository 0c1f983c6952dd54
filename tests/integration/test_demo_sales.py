"""Demo offline sales: a few hundred valid lines over four months at the counters and halls, some verified,
some rejected with reasons, one imported batch carrying a risk signal and a sample drawn from it, the same on
every load."""

from __future__ import annotations

from datetime import date, timedelta

import sqlalchemy as sa

from market.demo import load_demo
from market.domain.offline_sale import RiskKind, SaleState
from market.extensions import db
from market.models import (
    AuditEvent,
    OfflineSale,
    OfflineSaleBatch,
    OfflineSaleRisk,
    OfflineSaleSample,
    Outlet,
)
from market.services.sales.recording import SaleInput, check_lines
from tests.conftest import _empty_tables

TODAY = date(2026, 11, 29)


def snapshot() -> list[tuple]:
    """Every line as comparable values (ids aside)."""
    return [tuple(r) for r in db.session.execute(
        sa.select(Outlet.code, OfflineSale.sale_date, OfflineSale.receipt_no, OfflineSale.product_id,
                  OfflineSale.quantity, OfflineSale.amount_fen, OfflineSale.state, OfflineSale.reason)
        .join(Outlet).order_by(Outlet.code, OfflineSale.receipt_no))]


def test_demo_offline_sales(app):
    result = load_demo(TODAY)
    assert result is not None
    db.session.commit()
    counts = result.counts
    lines = list(db.session.scalars(sa.select(OfflineSale).order_by(OfflineSale.id)))
    assert counts["offline_sales"] == len(lines) and 200 <= len(lines) <= 500
    assert {s.outlet.kind for s in lines} == {"counter", "hall"}
    assert min(s.sale_date for s in lines) >= TODAY - timedelta(days=120)
    assert max(s.sale_date for s in lines) <= TODAY
    for outlet in {s.outlet for s in lines}:  # every line is one the recording service accepts
        mine = [s for s in lines if s.outlet_id == outlet.id]
        inputs = [SaleInput(s.sale_date, s.product_id, s.quantity, s.amount_fen, s.payment_method, f"x{s.id}")
                  for s in mine]
        assert not any(check_lines(outlet, inputs, TODAY)), outlet.code
    states = {state: [s for s in lines if s.state == state] for state in SaleState}
    assert len(states[SaleState.VERIFIED]) == counts["offline_sales_verified"] > 100
    assert len(states[SaleState.REJECTED]) == counts["offline_sales_rejected"] >= 3
    assert all(s.reason for s in states[SaleState.REJECTED]) and states[SaleState.UNVERIFIED]
    audited = db.session.scalar(sa.select(sa.func.count()).select_from(AuditEvent)
                                .where(AuditEvent.object_type == "offline_sales"))
    assert audited == len(states[SaleState.VERIFIED]) + len(states[SaleState.REJECTED])
    (batch,) = db.session.scalars(sa.select(OfflineSaleBatch)).all()
    assert batch.outlet.code == "LX-O-003" and batch.row_count == len([s for s in lines if s.batch_id == batch.id])
    flagged = db.session.execute(sa.select(OfflineSale.batch_id, OfflineSaleRisk.detail).join(OfflineSale)
                                 .where(OfflineSaleRisk.kind == RiskKind.RECEIPT_ELSEWHERE)).all()
    assert {b for b, _d in flagged} == {batch.id, None}  # the batch's line and the hall's line it repeats
    assert {tuple(d["outlets"]) for _b, d in flagged} == {("LX-O-001",), ("LX-O-003",)}
    (sample,) = db.session.scalars(sa.select(OfflineSaleSample)).all()
    assert sample.batch_id == batch.id and sample.size == -(-batch.row_count // 10) == len(sample.lines)
    assert sample.drawn_by.email == "county@example.com"
    first = snapshot()
    db.session.remove()
    _empty_tables(app)
    load_demo(TODAY)
    db.session.commit()
    assert snapshot() == first
