"""Each status column's CHECK constraint in the migrated database lists exactly its enum's values, in order.

Alembic's autogenerate does not compare CHECK constraints, so test_migrations cannot see an enum that gained
a member without a migration: this test reads the constraints back from the database (SQLite or PostgreSQL).
"""

from __future__ import annotations

import re
from datetime import UTC, date, datetime

import pytest
import sqlalchemy as sa

from market.domain.mail_flow import MailStatus
from market.domain.offline_sale import PaymentMethod, RiskKind, SaleState
from market.domain.order_flow import OrderStatus
from market.domain.outlet_application import ApplicationPurpose, ApplicationStatus
from market.domain.payment_flow import PaymentIssueKind, PaymentStatus
from market.domain.refund_flow import RefundStatus
from market.domain.stock import StockReason
from market.domain.working_days import CalendarDayKind
from market.extensions import db
from market.models import (
    CalendarDay,
    OfflineSale,
    OfflineSaleRisk,
    Order,
    OutgoingMail,
    Payment,
    PaymentIssue,
    Refund,
    StockMovement,
)
from market.services.outlets.applications import start_new
from tests.factories import ListingFactory, TownFactory, UserFactory
from tests.outlet_application_setup import details

OWNED = {  # (table, column) -> the enum that owns its values
    ("orders", "status"): OrderStatus,
    ("payments", "status"): PaymentStatus,
    ("refunds", "status"): RefundStatus,
    ("payment_issues", "kind"): PaymentIssueKind,
    ("stock_movements", "reason"): StockReason,
    ("outlet_applications", "status"): ApplicationStatus,
    ("outlet_applications", "purpose"): ApplicationPurpose,
    ("outlet_application_events", "status"): ApplicationStatus,
    ("offline_sales", "state"): SaleState,
    ("offline_sales", "payment_method"): PaymentMethod,
    ("offline_sale_risks", "kind"): RiskKind,
    ("outgoing_mail", "status"): MailStatus,
    ("calendar_days", "kind"): CalendarDayKind,
}
QUOTED = re.compile(r"'([^']*)'")


def enum_checks() -> dict[tuple[str, str], tuple[str, type]]:
    """(table, column) -> (constraint name, enum) for every CHECK the models generate from an enum."""
    return {
        (table.name, c.info["column"]): (c.name, c.info["enum"])
        for table in db.metadata.sorted_tables for c in table.constraints
        if isinstance(c, sa.CheckConstraint) and "enum" in c.info
    }


def values_in_database(table: str, name: str) -> list[str]:
    """The quoted values of a CHECK constraint as the database keeps it (PostgreSQL rewrites IN as
    `= ANY (ARRAY['placed'::character varying, ...])`, SQLite keeps the text: both keep the order)."""
    checks = {c["name"]: c["sqltext"] for c in sa.inspect(db.engine).get_check_constraints(table)}
    assert name in checks, f"{table} has no CHECK constraint {name} (it has {sorted(checks)})"
    return QUOTED.findall(checks[name])


def test_every_status_column_is_checked_by_its_enum(app):
    assert {key: enum for key, (_name, enum) in enum_checks().items()} == OWNED


@pytest.mark.parametrize(("table", "column"), sorted(OWNED))
def test_the_database_constraint_lists_exactly_the_enum_values(app, table, column):
    name, enum = enum_checks()[(table, column)]
    assert values_in_database(table, name) == [member.value for member in enum]


def test_a_value_outside_the_enum_is_refused_and_every_member_accepted(app):
    buyer = UserFactory()
    listing = ListingFactory()
    payment = Payment(provider="pickup", amount_fen=100, user_id=buyer.id)
    order = Order(number="LX1", user_id=buyer.id, outlet_id=listing.outlet_id, fulfilment="pickup",
                  recipient="王", phone="13800001234", total_fen=100, payment=payment)
    refund = Refund(order=order, payment=payment, amount_fen=100, reason="坏果")
    issue = PaymentIssue(kind=PaymentIssueKind.AMOUNT_MISMATCH, payment=payment, detail={})
    movement = StockMovement(listing_id=listing.id, change=1, stock_after=1, reason=StockReason.RESTOCK)
    mail = OutgoingMail(kind="test", recipient=buyer.email, subject="s", body="b")
    holiday = CalendarDay(day=date(2026, 10, 1), kind=CalendarDayKind.HOLIDAY, name="国庆节")
    db.session.add_all([order, refund, issue, movement, mail, holiday])
    application = start_new(buyer, details(TownFactory()))
    sale = OfflineSale(outlet_id=listing.outlet_id, sale_date=date(2026, 11, 2), product_id=listing.product_id,
                       quantity=1, amount_fen=100, receipt_no="R1")
    db.session.add(sale)
    db.session.flush()
    risk = OfflineSaleRisk(sale_id=sale.id, kind=RiskKind.BURST, detail={})
    db.session.add(risk)
    db.session.commit()
    rows = {("orders", "status"): order, ("payments", "status"): payment, ("refunds", "status"): refund,
            ("payment_issues", "kind"): issue, ("stock_movements", "reason"): movement,
            ("outlet_applications", "status"): application, ("outlet_applications", "purpose"): application,
            ("outlet_application_events", "status"): application.events[0],
            ("offline_sales", "state"): sale, ("offline_sales", "payment_method"): sale,
            ("offline_sale_risks", "kind"): risk, ("outgoing_mail", "status"): mail,
            ("calendar_days", "kind"): holiday}
    for (table, column), enum in OWNED.items():
        row = rows[(table, column)]
        for member in enum:
            db.session.execute(sa.update(type(row)).where(type(row).id == row.id).values({column: member}))
        with pytest.raises(sa.exc.IntegrityError):
            db.session.execute(sa.update(type(row)).where(type(row).id == row.id).values({column: "unknown"}))
        db.session.rollback()


def test_the_sql_and_python_forms_of_awaiting_payment_agree(app):
    buyer = UserFactory()
    listing = ListingFactory()
    now = datetime.now(UTC)
    for n, (status, paid) in enumerate((s, p) for s in OrderStatus for p in (False, True)):
        db.session.add(Order(number=f"LX{n}", user_id=buyer.id, outlet_id=listing.outlet_id, fulfilment="pickup",
                             recipient="王", phone="13800001234", total_fen=100, status=status,
                             paid_at=now if paid else None))
    db.session.commit()
    orders = db.session.scalars(sa.select(Order)).all()
    in_sql = set(db.session.scalars(sa.select(Order.number).where(Order.awaiting_payment)))
    assert in_sql == {o.number for o in orders if o.awaiting_payment}
    assert {(o.status, o.paid_at is None) for o in orders if o.number in in_sql} == {
        ("placed", True), ("ready_for_pickup", True)}
