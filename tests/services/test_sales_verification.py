"""The county's verification of offline sale lines: bulk decisions, reasons, reopening, audit events, the queue's
filters and totals, sampling, and the daily summary mailed to each outlet."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

import pytest
import sqlalchemy as sa

from market.domain import sale_sample
from market.domain.dates import business_date
from market.domain.offline_sale import RiskKind, SaleAction, SaleState
from market.extensions import db
from market.models import (
    AuditEvent,
    OfflineSaleBatch,
    OfflineSaleRisk,
    OutgoingMail,
    OutletMembership,
)
from market.services.errors import ServiceError
from market.services.sales import decision_mail
from market.services.sales.queue import QueueFilter, queue_page, totals
from market.services.sales.sampling import draw_sample
from market.services.sales.verification import decide, reopen
from tests.factories import OfflineSaleFactory, OutletFactory, TownFactory, UserFactory

NOW = datetime(2026, 11, 20, 2, 0, tzinfo=UTC)  # 10:00 on 20 November in Shanghai


def county():
    """A county staff member."""
    return UserFactory(roles_given=("county_staff",))


def audit(action: str) -> list[AuditEvent]:
    """The audit events of one action, oldest first."""
    return list(db.session.scalars(sa.select(AuditEvent).where(AuditEvent.action == action).order_by(AuditEvent.id)))


def test_bulk_verify_decides_every_line_and_audits_each(db_session) -> None:
    staff = county()
    lines = [OfflineSaleFactory() for _ in range(3)]
    decide(staff, [s.id for s in lines], SaleAction.VERIFY, "", NOW)
    assert {s.state for s in lines} == {SaleState.VERIFIED}
    assert {(s.decided_by_id, s.decided_at) for s in lines} == {(staff.id, NOW)}
    events = audit("offline_sale.verify")
    assert [e.object_id for e in events] == [str(s.id) for s in lines]
    assert events[0].before == {"state": "unverified", "reason": None}
    assert events[0].after == {"state": "verified", "reason": None}
    assert events[0].actor_id == staff.id


@pytest.mark.parametrize("reason", ["", "   "])
def test_a_rejection_needs_a_reason(db_session, reason: str) -> None:
    line = OfflineSaleFactory()
    with pytest.raises(ServiceError, match="reason") as refused:
        decide(county(), [line.id], SaleAction.REJECT, reason, NOW)
    assert refused.value.field == "reason"
    assert line.state == SaleState.UNVERIFIED and audit("offline_sale.reject") == []


def test_a_rejection_keeps_its_reason_for_the_outlet(db_session) -> None:
    line = OfflineSaleFactory()
    decide(county(), [line.id], SaleAction.REJECT, "  小票  金额不符 ", NOW)
    assert (line.state, line.reason) == (SaleState.REJECTED, "小票 金额不符")
    assert audit("offline_sale.reject")[0].after == {"state": "rejected", "reason": "小票 金额不符"}


def test_one_line_that_cannot_be_decided_refuses_the_whole_bulk(db_session) -> None:
    fresh = OfflineSaleFactory()
    done = OfflineSaleFactory(state=SaleState.VERIFIED)
    with pytest.raises(ServiceError, match=f"Line {done.id} cannot be verified"):
        decide(county(), [fresh.id, done.id], SaleAction.VERIFY, "", NOW)
    assert fresh.state == SaleState.UNVERIFIED and audit("offline_sale.verify") == []


def test_no_lines_unknown_lines_and_outlet_actions_are_refused(db_session) -> None:
    staff = county()
    with pytest.raises(ServiceError, match="at least one"):
        decide(staff, [], SaleAction.VERIFY, "", NOW)
    with pytest.raises(ServiceError, match="no longer exist"):
        decide(staff, [987654], SaleAction.VERIFY, "", NOW)
    with pytest.raises(ServiceError, match="only verify, reject or reopen"):
        decide(staff, [OfflineSaleFactory().id], SaleAction.CORRECT, "", NOW)


def test_reopening_a_verified_line_needs_a_reason_and_is_audited(db_session) -> None:
    staff = county()
    line = OfflineSaleFactory()
    decide(staff, [line.id], SaleAction.VERIFY, "", NOW)
    with pytest.raises(ServiceError, match="reason"):
        reopen(staff, line.id, "", NOW)
    reopen(staff, line.id, "发票号重复", NOW)
    assert (line.state, line.reason) == (SaleState.UNVERIFIED, "发票号重复")
    (event,) = audit("offline_sale.reopen")
    assert (event.before, event.after) == ({"state": "verified", "reason": None},
                                           {"state": "unverified", "reason": "发票号重复"})
    with pytest.raises(ServiceError, match="cannot be reopened"):
        reopen(staff, line.id, "again", NOW)


def test_queue_filters_and_totals(db_session) -> None:
    town = TownFactory()
    here = OutletFactory(town=town)
    there = OutletFactory()
    batch = OfflineSaleBatch(outlet=here, file_name="a.csv", row_count=1, total_fen=100)
    a = OfflineSaleFactory(outlet=here, sale_date=date(2026, 10, 1), amount_fen=100, batch=batch)
    b = OfflineSaleFactory(outlet=here, sale_date=date(2026, 10, 31), amount_fen=5000, photo_key="receipts/b.jpg",
                           state=SaleState.VERIFIED)
    c = OfflineSaleFactory(outlet=there, sale_date=date(2026, 11, 1), amount_fen=900)
    db.session.add(OfflineSaleRisk(sale_id=c.id, kind=RiskKind.BURST, detail={"lines": 21}))
    db.session.flush()

    def ids(**kw: object) -> list[int]:
        return [s.id for s in queue_page(QueueFilter(**kw), 1).lines]

    assert ids() == [a.id, b.id, c.id]
    assert ids(outlet_code=here.code) == [a.id, b.id]
    assert ids(outlet_code="NO-SUCH") == []
    assert ids(town_id=town.id) == [a.id, b.id]
    assert ids(date_from=date(2026, 10, 2), date_to=date(2026, 11, 1)) == [b.id, c.id]
    assert ids(amount_min_fen=900, amount_max_fen=900) == [c.id]
    assert ids(state=SaleState.VERIFIED) == [b.id]
    assert ids(batch_id=batch.id) == [a.id]
    assert ids(photo=True) == [b.id] and ids(photo=False) == [a.id, c.id]
    assert ids(risk=True) == [c.id] and ids(risk=False) == [a.id, b.id]
    assert totals(QueueFilter()) == {"unverified": (2, 1000), "verified": (1, 5000)}
    page = queue_page(QueueFilter(outlet_code=here.code), 1)
    assert (page.count, page.total_fen) == (2, 5100)


def test_pages_of_fifty(db_session) -> None:
    outlet = OutletFactory()
    lines = [OfflineSaleFactory(outlet=outlet) for _ in range(51)]
    first, second, beyond = (queue_page(QueueFilter(), n) for n in (1, 2, 9))
    assert len(first.lines) == 50 and [s.id for s in second.lines] == [lines[-1].id]
    assert beyond.page.number == 2


@pytest.mark.parametrize(("population", "count", "percent", "size"),
                         [(30, None, 10, 3), (31, None, 10, 4), (5, None, 10, 1), (5, 2, None, 2), (3, 9, None, 3)])
def test_sample_sizes(db_session, population: int, count: int | None, percent: int | None, size: int) -> None:
    outlet = OutletFactory()
    lines = [OfflineSaleFactory(outlet=outlet) for _ in range(population)]
    OfflineSaleFactory()  # another outlet's line is not in the population
    sample = draw_sample(county(), QueueFilter(outlet_code=outlet.code), NOW, count=count, percent=percent)
    assert (sample.size, sample.population, len(sample.lines)) == (size, population, size)
    assert {s.outlet_id for s in sample.lines} == {outlet.id}
    assert sample.criteria == {"outlet_code": outlet.code}
    assert len(sample.seed) == 32 and lines


def test_a_sample_of_a_batch_is_recorded_marked_and_reproducible(db_session) -> None:
    staff = county()
    outlet = OutletFactory()
    batch = OfflineSaleBatch(outlet=outlet, file_name="a.csv", row_count=40, total_fen=40 * 6800)
    lines = [OfflineSaleFactory(outlet=outlet, batch=batch) for _ in range(40)]
    OfflineSaleFactory(outlet=outlet)  # not in the batch
    sample = draw_sample(staff, QueueFilter(batch_id=batch.id), NOW, percent=10)
    assert (sample.batch_id, sample.drawn_by_id, sample.size, sample.population) == (batch.id, staff.id, 4, 40)
    drawn = sorted(s.id for s in sample.lines)
    assert drawn == sale_sample.draw([s.id for s in lines], 4, sample.seed)  # anyone can repeat the draw
    page = queue_page(QueueFilter(sample_id=sample.id), 1)
    assert [s.id for s in page.lines] == drawn
    assert all(page.samples[i] == [sample.id] for i in drawn)
    assert not set(queue_page(QueueFilter(), 1).samples) - set(drawn)
    other = draw_sample(staff, QueueFilter(batch_id=batch.id), NOW, percent=10)
    assert other.seed != sample.seed


def test_a_sample_needs_lines_and_a_sensible_size(db_session) -> None:
    staff = county()
    with pytest.raises(ServiceError, match="nothing to draw"):
        draw_sample(staff, QueueFilter(outlet_code="NO-SUCH"), NOW, count=1)
    OfflineSaleFactory()
    for kw in ({"count": 0}, {"percent": 0}, {"percent": 101}, {}):
        with pytest.raises(ServiceError, match="percentage"):
            draw_sample(staff, QueueFilter(), NOW, **kw)


def test_each_outlet_is_mailed_one_summary_of_a_day_once(db_session) -> None:
    staff = county()
    outlet, quiet = OutletFactory(), OutletFactory()
    members = [UserFactory(locale="en"), UserFactory(locale="zh")]
    for user in [*members, UserFactory(active=False)]:
        db.session.add(OutletMembership(user=user, outlet=outlet))
    db.session.add(OutletMembership(user=UserFactory(), outlet=quiet))
    good, bad = OfflineSaleFactory(outlet=outlet, amount_fen=6800), OfflineSaleFactory(outlet=outlet, receipt_no="X9")
    decide(staff, [good.id], SaleAction.VERIFY, "", NOW)
    decide(staff, [bad.id], SaleAction.REJECT, "no receipt", NOW)
    day = business_date(audit("offline_sale.verify")[0].created_at)  # the audit trail's (real) time
    with pytest.raises(ServiceError, match="finished day"):
        decision_mail.notify_day(day, today=day)
    later = day + timedelta(days=1)
    assert decision_mail.notify_day(day - timedelta(days=1), today=later) == 0
    assert decision_mail.notify_day(day, today=later) == 2
    mails = list(db.session.scalars(sa.select(OutgoingMail).order_by(OutgoingMail.id)))
    assert [m.recipient for m in mails] == [u.email for u in members]
    assert {m.kind for m in mails} == {f"sales.decisions:{outlet.id}:{day:%Y%m%d}"}
    english = mails[0].body
    assert "Verified: 1 lines, ¥68.00" in english and "Rejected: 1 lines" in english
    assert "Rejected X9 (2026-11-02, ¥68.00): no receipt" in english
    assert "Rejected" not in mails[1].body  # the second member reads Chinese
    assert decision_mail.notify_day(day, today=later) == 0  # run twice, mailed once


def test_a_queue_page_is_three_statements_however_many_lines_and_signals(db_session) -> None:
    outlet = OutletFactory()
    lines = [OfflineSaleFactory(outlet=outlet) for _ in range(60)]
    for sale in lines[::2]:
        db.session.add(OfflineSaleRisk(sale_id=sale.id, kind=RiskKind.BURST, detail={}))
        db.session.add(OfflineSaleRisk(sale_id=sale.id, kind=RiskKind.UNIT_PRICE, detail={}))
    draw_sample(county(), QueueFilter(), NOW, count=5)
    db.session.flush()
    code, sku = outlet.code, lines[0].product.sku
    db.session.expire_all()
    seen: list[str] = []

    def record(*args: object) -> None:
        seen.append(str(args[2]))

    sa.event.listen(db.engine, "before_cursor_execute", record)
    try:
        page = queue_page(QueueFilter(outlet_code=code, state=SaleState.UNVERIFIED), 1)
        shown = [(s.outlet.code, s.product.sku, len(s.risks)) for s in page.lines]
    finally:
        sa.event.remove(db.engine, "before_cursor_execute", record)
    assert len(page.lines) == 50 and shown[0] == (code, sku, 2) and shown[1][2] == 0
    assert len(seen) == 3 and sum(len(v) for v in page.samples.values()) <= 5


def test_the_admin_audit_trail_names_every_decision() -> None:
    from market.labels import AUDIT_ACTIONS as NAMED
    from market.services.sales.verification import AUDIT_ACTIONS

    assert set(AUDIT_ACTIONS.values()) <= set(NAMED)
