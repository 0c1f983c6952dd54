"""The one recording service of offline sale lines: every problem it reports, certification windows on their
boundary dates, receipt numbers unique per outlet, bulk writes in a constant number of queries, and the hand
entry's photo, edit, delete, correct and withdraw through the line's state machine."""

from __future__ import annotations

import hashlib
from datetime import UTC, date, datetime, timedelta

import pytest
import sqlalchemy as sa
from sqlalchemy import event

from market import storage
from market.domain.offline_sale import SaleState
from market.extensions import db
from market.models import (
    AuditEvent,
    OfflineSale,
    OfflineSaleBatch,
    OfflineSaleRisk,
    OutletCertification,
    ProductCertification,
)
from market.services.errors import ServiceError
from market.services.sales import entry
from market.services.sales.recording import (
    PROBLEM_FIELD,
    LineProblem,
    LinesRefused,
    SaleInput,
    check_lines,
    message,
    record_lines,
)
from market.services.sales.risk import refresh_risks
from tests.factories import OfflineSaleFactory, OutletFactory, ProductFactory, UserFactory
from tests.images import photo, upload

TODAY = date(2026, 12, 2)
NOW = datetime(2026, 12, 2, 3, 0, tzinfo=UTC)  # 11:00 in Shanghai
P = LineProblem


def line(product: int, receipt: str = "R-1", **changes: object) -> SaleInput:
    values: dict[str, object] = {"sale_date": TODAY, "product_id": product, "quantity": 2,
                                 "amount_fen": 13600, "payment_method": "cash", "receipt_no": receipt}
    values.update(changes)
    return SaleInput(**values)  # type: ignore[arg-type]


@pytest.fixture
def shop(db_session):
    outlet, product = OutletFactory(), ProductFactory()
    db.session.commit()  # a savepoint: a test's rollback keeps them
    return outlet, product


def test_a_good_line_has_no_problem_and_is_recorded_unverified_by_its_enterer(shop):
    outlet, product = shop
    clerk = UserFactory()
    assert check_lines(outlet, [line(product.id)], TODAY) == [[]]
    (sale_id,) = record_lines(outlet, [line(product.id, " R-1 ", note=" 散客 ")], clerk, NOW)
    sale = db.session.get_one(OfflineSale, sale_id)
    assert (sale.state, sale.entered_by_id, sale.entered_at, sale.batch_id) == ("unverified", clerk.id, NOW, None)
    assert (sale.receipt_no, sale.note, sale.amount_fen, sale.quantity) == ("R-1", "散客", 13600, 2)


@pytest.mark.parametrize(("changes", "expected"), [
    ({"product_id": 999_999}, [P.UNKNOWN_PRODUCT]),
    ({"sale_date": TODAY + timedelta(days=1)}, [P.DATE_IN_FUTURE]),
    ({"quantity": 0}, [P.BAD_QUANTITY]),
    ({"quantity": -3}, [P.BAD_QUANTITY]),
    ({"quantity": 2.0}, [P.BAD_QUANTITY]),
    ({"quantity": True}, [P.BAD_QUANTITY]),
    ({"quantity": 1_000_001}, [P.BAD_QUANTITY]),
    ({"amount_fen": 0}, [P.BAD_AMOUNT]),
    ({"amount_fen": -100}, [P.BAD_AMOUNT]),
    ({"amount_fen": 12.5}, [P.BAD_AMOUNT]),
    ({"amount_fen": 1_000_000_001}, [P.BAD_AMOUNT]),
    ({"payment_method": "bitcoin"}, [P.BAD_PAYMENT_METHOD]),
    ({"payment_method": ""}, [P.BAD_PAYMENT_METHOD]),
    ({"receipt_no": "  "}, [P.MISSING_RECEIPT]),
    ({"receipt_no": "X" * 41}, [P.RECEIPT_TOO_LONG]),
    ({"note": "备" * 201}, [P.NOTE_TOO_LONG]),
    ({"quantity": 0, "amount_fen": -1, "payment_method": "x"}, [P.BAD_QUANTITY, P.BAD_AMOUNT, P.BAD_PAYMENT_METHOD]),
])
def test_each_bad_value_is_named(shop, changes, expected):
    outlet, product = shop
    assert check_lines(outlet, [line(product.id, **changes)], TODAY) == [expected]


def test_every_problem_has_a_field_and_a_message(app):
    for problem in LineProblem:
        assert PROBLEM_FIELD[problem] in SaleInput.__dataclass_fields__
        assert str(message(problem)).strip()


def test_product_and_outlet_certification_windows_hold_from_first_to_last_day_and_end_on_revocation(db_session):
    outlet, product = OutletFactory(certified=False), ProductFactory(certified=False)
    outlet.certifications.append(OutletCertification(number="O-1", valid_from=date(2026, 3, 1),
                                                     valid_to=date(2026, 10, 31)))
    product.certifications.append(ProductCertification(number="P-1", valid_from=date(2026, 4, 1),
                                                       valid_to=date(2026, 11, 30), revoked_on=date(2026, 9, 15)))
    db.session.flush()
    days = [date(2026, 2, 28), date(2026, 3, 1), date(2026, 3, 31), date(2026, 4, 1), date(2026, 9, 14),
            date(2026, 9, 15), date(2026, 10, 31), date(2026, 11, 1)]
    got = check_lines(outlet, [line(product.id, f"R{n}", sale_date=d) for n, d in enumerate(days)], TODAY)
    assert got == [
        [P.PRODUCT_NOT_CERTIFIED, P.OUTLET_NOT_CERTIFIED],  # before both
        [P.PRODUCT_NOT_CERTIFIED],  # the outlet's first day
        [P.PRODUCT_NOT_CERTIFIED],
        [],  # the product's first day
        [],  # the day before the revocation
        [P.PRODUCT_NOT_CERTIFIED],  # a revocation takes effect on its own date
        [P.PRODUCT_NOT_CERTIFIED],  # the outlet's last day
        [P.PRODUCT_NOT_CERTIFIED, P.OUTLET_NOT_CERTIFIED],  # the day after
    ]


def test_a_renewal_after_a_gap_is_a_second_window(db_session):
    outlet, product = OutletFactory(certified=False), ProductFactory()
    outlet.certifications += [
        OutletCertification(number="O-1", valid_from=date(2025, 1, 1), valid_to=date(2025, 6, 30)),
        OutletCertification(number="O-2", valid_from=date(2025, 8, 1)),
    ]
    db.session.flush()
    days = [date(2025, 6, 30), date(2025, 7, 15), date(2025, 8, 1)]
    got = check_lines(outlet, [line(product.id, f"R{n}", sale_date=d) for n, d in enumerate(days)], TODAY)
    assert got == [[], [P.OUTLET_NOT_CERTIFIED], []]


def test_receipt_numbers_are_unique_per_outlet_not_across_outlets(shop):
    outlet, product = shop
    other = OutletFactory()
    record_lines(outlet, [line(product.id, "A-1")], None, NOW)
    assert check_lines(outlet, [line(product.id, "A-1"), line(product.id, "A-2")], TODAY) == [
        [P.RECEIPT_ALREADY_RECORDED], []]
    assert check_lines(other, [line(product.id, "A-1")], TODAY) == [[]]
    assert check_lines(outlet, [line(product.id, "B"), line(product.id, " B"), line(product.id, "C")], TODAY) == [
        [P.RECEIPT_REPEATED_IN_FILE], [P.RECEIPT_REPEATED_IN_FILE], []]


def test_many_receipts_are_checked_against_all_the_outlets_numbers(shop, monkeypatch):
    outlet, product = shop
    record_lines(outlet, [line(product.id, f"OLD-{n}") for n in range(5)], None, NOW)
    monkeypatch.setattr("market.services.sales.recording.SMALL_RECEIPT_LOOKUP", 2)
    got = check_lines(outlet, [line(product.id, f"OLD-{n}") for n in (3, 4, 9)], TODAY)
    assert got == [[P.RECEIPT_ALREADY_RECORDED], [P.RECEIPT_ALREADY_RECORDED], []]


def test_the_line_being_replaced_keeps_its_own_receipt_number(shop):
    outlet, product = shop
    first_id, _second_id = record_lines(outlet, [line(product.id, "K-1"), line(product.id, "K-2")], None, NOW)
    first = db.session.get_one(OfflineSale, first_id)
    assert check_lines(outlet, [line(product.id, "K-1")], TODAY, replacing=first) == [[]]
    assert check_lines(outlet, [line(product.id, "K-2")], TODAY, replacing=first) == [[P.RECEIPT_ALREADY_RECORDED]]


def test_record_lines_writes_nothing_when_one_line_is_bad(shop):
    outlet, product = shop
    with pytest.raises(LinesRefused) as refused:
        record_lines(outlet, [line(product.id, "G-1"), line(product.id, "G-2", quantity=0)], None, NOW)
    assert refused.value.problems == [[], [P.BAD_QUANTITY]]
    assert isinstance(refused.value, ServiceError) and "2" in refused.value.message
    assert db.session.scalar(sa.select(sa.func.count(OfflineSale.id))) == 0


def test_a_single_refused_line_names_its_field(shop):
    outlet, product = shop
    with pytest.raises(ServiceError) as refused:
        record_lines(outlet, [line(product.id, amount_fen=0)], None, NOW)
    assert refused.value.field == "amount_fen"


def test_today_is_the_shanghai_date_of_now(shop):
    outlet, product = shop
    late_evening_utc = datetime(2026, 12, 1, 17, 0, tzinfo=UTC)  # already 2 December in Shanghai
    (sale_id,) = record_lines(outlet, [line(product.id)], None, late_evening_utc)
    assert db.session.get_one(OfflineSale, sale_id).sale_date == TODAY


def test_lines_of_a_batch_point_at_it_and_another_outlets_batch_is_refused(shop):
    outlet, product = shop
    batch = OfflineSaleBatch(outlet=outlet, file_name="sales.csv", row_count=1, total_fen=13600)
    (sale_id,) = record_lines(outlet, [line(product.id)], None, NOW, batch=batch)
    assert db.session.get_one(OfflineSale, sale_id).batch_id == batch.id
    elsewhere = OfflineSaleBatch(outlet=OutletFactory(), file_name="x.csv", row_count=0, total_fen=0)
    with pytest.raises(ValueError, match="another outlet"):
        record_lines(outlet, [line(product.id, "R-2")], None, NOW, batch=elsewhere)


class Statements:
    """Counts the statements sent to the database (an executemany counts once)."""

    def __init__(self) -> None:
        self.count = 0

    def __call__(self, *args: object) -> None:
        self.count += 1


def counted(action) -> int:  # noqa: ANN001
    seen = Statements()
    engine = db.session.get_bind()
    event.listen(engine, "before_cursor_execute", seen)
    try:
        action()
    finally:
        event.remove(engine, "before_cursor_execute", seen)
    return seen.count


def test_checking_costs_the_same_queries_for_ten_lines_as_for_two_thousand(shop):
    outlet, product = shop
    others = [ProductFactory() for _ in range(3)]
    db.session.flush()
    ids = [product.id] + [p.id for p in others]
    small = [line(ids[n % 4], f"S-{n}") for n in range(10)]
    large = [line(ids[n % 4], f"L-{n}", sale_date=TODAY - timedelta(days=n % 300)) for n in range(2000)]
    check_lines(outlet, small, TODAY)  # the session's first statements (its transaction) are not the check's
    assert counted(lambda: check_lines(outlet, small, TODAY)) == counted(lambda: check_lines(outlet, large, TODAY))
    assert counted(lambda: check_lines(outlet, large, TODAY)) <= 4


def test_many_lines_go_in_with_bulk_inserts_and_their_ids_come_back_in_input_order(shop):
    outlet, product = shop
    lines = [line(product.id, f"BULK-{n:05d}", amount_fen=100 + n) for n in reversed(range(2_500))]
    ids: list[int] = []
    statements = counted(lambda: ids.extend(record_lines(outlet, lines, None, NOW)))
    assert statements < 40  # a handful of reads and inserts of many rows each (several batches), not one per line
    got = {sale_id: receipt for sale_id, receipt in db.session.execute(sa.select(OfflineSale.id,
                                                                                   OfflineSale.receipt_no))}
    assert len(got) == 2_500 and [got[i] for i in ids] == [x.receipt_no for x in lines]
    amounts = db.session.execute(sa.select(OfflineSale.receipt_no, OfflineSale.amount_fen)
                                 .order_by(OfflineSale.receipt_no)).all()
    assert amounts[0] == ("BULK-00000", 100) and amounts[-1] == ("BULK-02499", 2_599)


# --- hand entry ---------------------------------------------------------------------------------------

def test_a_hand_entered_line_keeps_its_receipt_photo_privately_with_its_hash(shop):
    outlet, product = shop
    sale = entry.record_sale(outlet, line(product.id), UserFactory(), NOW, photo=upload(photo()))
    assert sale.photo_key.startswith("receipts/") and sale.photo_thumb_key.startswith("receipts/")
    assert not storage.is_public(sale.photo_key)
    assert sale.photo_hash == hashlib.sha256(storage.read(sale.photo_key)).hexdigest()
    assert entry.receipt_photo_key(sale) == sale.photo_key
    assert entry.receipt_photo_key(sale, "thumb") == sale.photo_thumb_key


def test_a_refused_photo_refuses_the_line(shop):
    outlet, product = shop
    with pytest.raises(ServiceError) as refused:
        entry.record_sale(outlet, line(product.id), UserFactory(), NOW, photo=upload(b"%PDF-1.4 not a photo"))
    assert refused.value.field == "photo"


def test_an_empty_file_input_is_no_photo(shop):
    outlet, product = shop
    sale = entry.record_sale(outlet, line(product.id), UserFactory(), NOW, photo=upload(b"", filename=""))
    assert sale.photo_key is None


def test_an_unverified_line_can_be_edited_keeping_its_receipt_and_deleted(shop):
    outlet, product = shop
    clerk = UserFactory()
    sale = entry.record_sale(outlet, line(product.id, "E-1"), clerk, NOW)
    entry.edit_sale(sale, line(product.id, "E-1", quantity=5, amount_fen=34000), clerk, NOW)
    assert (sale.quantity, sale.amount_fen, sale.state) == (5, 34000, "unverified")
    entry.delete_sale(sale, clerk)
    assert db.session.scalar(sa.select(sa.func.count(OfflineSale.id))) == 0
    assert db.session.scalar(sa.select(AuditEvent.action)) == "offline_sale.delete"


def test_deleting_a_line_clears_the_signal_it_gave_another_outlets_line(shop):
    outlet, product = shop
    clerk = UserFactory()
    sale = entry.record_sale(outlet, line(product.id, "SHARED-1"), clerk, NOW)
    elsewhere = OfflineSaleFactory(receipt_no="SHARED-1")
    refresh_risks([elsewhere.id])
    assert [r.kind for r in db.session.scalars(sa.select(OfflineSaleRisk))] == ["receipt_elsewhere"] * 2
    entry.delete_sale(sale, clerk)
    assert db.session.scalars(sa.select(OfflineSaleRisk)).all() == []


def test_the_id_of_a_deleted_line_is_never_given_to_a_new_one(shop):
    outlet, product = shop
    clerk = UserFactory()
    entry.record_sale(outlet, line(product.id, "K-1"), clerk, NOW)
    last = entry.record_sale(outlet, line(product.id, "K-2"), clerk, NOW)
    gone = last.id
    entry.delete_sale(last, clerk)
    assert entry.record_sale(outlet, line(product.id, "K-3"), clerk, NOW).id > gone


def test_an_edit_is_checked_like_a_new_line(shop):
    outlet, product = shop
    clerk = UserFactory()
    entry.record_sale(outlet, line(product.id, "T-1"), clerk, NOW)
    sale = entry.record_sale(outlet, line(product.id, "T-2"), clerk, NOW)
    with pytest.raises(ServiceError) as refused:
        entry.edit_sale(sale, line(product.id, "T-1"), clerk, NOW)
    assert refused.value.field == "receipt_no"


@pytest.mark.parametrize("state", ["verified", "rejected", "withdrawn"])
def test_only_an_unverified_line_can_be_edited_or_deleted(shop, state):
    outlet, product = shop
    clerk = UserFactory()
    sale = entry.record_sale(outlet, line(product.id), clerk, NOW)
    sale.state = state
    with pytest.raises(ServiceError):
        entry.edit_sale(sale, line(product.id, quantity=9), clerk, NOW)
    with pytest.raises(ServiceError):
        entry.delete_sale(sale, clerk)
    assert sale.quantity == 2


def test_a_rejected_line_is_corrected_back_to_unverified_or_withdrawn_and_never_deleted(shop):
    outlet, product = shop
    clerk = UserFactory()
    first = entry.record_sale(outlet, line(product.id, "C-1"), clerk, NOW)
    second = entry.record_sale(outlet, line(product.id, "C-2"), clerk, NOW)
    first.state = second.state = SaleState.REJECTED
    first.reason = "小票金额不符"
    entry.correct_sale(first, line(product.id, "C-1", amount_fen=12000), clerk, NOW, photo=upload(photo()))
    assert (first.state, first.amount_fen) == ("unverified", 12000) and first.photo_key
    assert first.reason is None  # the old reason answered the old line: not shown as if reopened
    corrected = db.session.scalar(sa.select(AuditEvent).where(AuditEvent.action == "offline_sale.correct"))
    assert corrected.before["reason"] == "小票金额不符" and corrected.after["reason"] is None  # the trail keeps it
    entry.withdraw_sale(second, clerk)
    assert second.state == "withdrawn"
    with pytest.raises(ServiceError):
        entry.correct_sale(second, line(product.id, "C-2"), clerk, NOW)
    with pytest.raises(ServiceError):
        entry.withdraw_sale(first, clerk)  # unverified again: nothing to withdraw
    actions = db.session.scalars(sa.select(AuditEvent.action).order_by(AuditEvent.id)).all()
    assert actions == ["offline_sale.correct", "offline_sale.withdraw"]


def test_a_replaced_or_removed_photo_is_deleted_after_the_commit(shop):
    outlet, product = shop
    clerk = UserFactory()
    sale = entry.record_sale(outlet, line(product.id), clerk, NOW, photo=upload(photo()))
    old = sale.photo_key
    entry.edit_sale(sale, line(product.id), clerk, NOW, photo=upload(photo((500, 500))))
    assert sale.photo_key != old and storage.exists(old)
    db.session.commit()
    assert not storage.exists(old)
    newer = sale.photo_key
    entry.edit_sale(sale, line(product.id), clerk, NOW, remove_photo=True)
    db.session.commit()
    assert sale.photo_key is None and not storage.exists(newer)


def test_outlet_sale_finds_only_the_outlets_own_line(shop):
    outlet, product = shop
    sale = entry.record_sale(outlet, line(product.id), UserFactory(), NOW)
    assert entry.outlet_sale(outlet, sale.id) is sale
    assert entry.outlet_sale(OutletFactory(), sale.id) is None


def test_a_receipt_number_taken_between_the_check_and_the_insert_is_refused_cleanly(shop, monkeypatch):
    outlet, product = shop
    record_lines(outlet, [line(product.id, "RACE-1")], None, NOW)
    monkeypatch.setattr("market.services.sales.recording._recorded_receipts", lambda *_args: set())  # a late check
    with pytest.raises(ServiceError) as refused:
        record_lines(outlet, [line(product.id, "RACE-2"), line(product.id, "RACE-1")], None, NOW)
    assert refused.value.field == "receipt_no"
    assert db.session.scalars(sa.select(OfflineSale.receipt_no)).all() == ["RACE-1"]
