"""Model rules that hold on both databases: aware UTC times, named CHECK constraints, append-only audit."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta, timezone

import pytest
import sqlalchemy as sa
from sqlalchemy.exc import IntegrityError

from market.extensions import db
from market.models import AuditEvent, Listing, User
from market.models.audit import AuditIsAppendOnly
from market.services.accounts import audit
from tests.factories import InstitutionFactory, ListingFactory, OutletFactory, UserFactory


def test_timestamps_come_back_aware_in_utc(app):
    beijing_noon = datetime(2026, 3, 2, 12, 0, tzinfo=timezone(timedelta(hours=8)))
    user = UserFactory(privacy_accepted_at=beijing_noon)
    db.session.rollback()  # end the test transaction: see what the requests committed
    stored = db.session.get(User, user.id).privacy_accepted_at
    assert stored == beijing_noon and stored.tzinfo is not None
    assert stored.utcoffset() == timedelta(0) and stored.hour == 4


def test_naive_datetimes_are_refused(app):
    with pytest.raises(sa.exc.StatementError):
        UserFactory(privacy_accepted_at=datetime(2026, 1, 1))  # noqa: DTZ001
    db.session.rollback()


@pytest.mark.parametrize(
    ("column", "value"),
    [("price_fen", -1), ("stock", -5), ("min_quantity", 0), ("season_start", 13)],
)
def test_listing_constraints_hold_on_this_database(app, column, value):
    listing = ListingFactory()
    values = {column: value}
    if column == "season_start":
        values["season_end"] = 2
    with pytest.raises(IntegrityError):
        db.session.execute(sa.update(Listing).where(Listing.id == listing.id).values(**values))
        db.session.flush()
    db.session.rollback()


@pytest.mark.parametrize(("factory", "field", "value"), [
    (OutletFactory, "kind", "kiosk"), (InstitutionFactory, "programme", "abroad"),
])
def test_unknown_codes_are_refused_by_the_database(app, factory, field, value):
    with pytest.raises(IntegrityError):
        factory(**{field: value})
    db.session.rollback()


def test_unknown_roles_are_refused_by_the_database(app):
    user = UserFactory()
    with pytest.raises(IntegrityError):
        db.session.execute(sa.text("INSERT INTO user_roles (user_id, role, granted_at) VALUES (:u, 'king', :t)"),
                           {"u": user.id, "t": datetime.now(UTC)})
    db.session.rollback()


def test_audit_events_cannot_be_changed_or_deleted(app):
    user = UserFactory()
    event = audit.record(user, "test.action", user, after={"x": 1})
    db.session.commit()
    event.action = "forged"
    with pytest.raises(AuditIsAppendOnly):
        db.session.flush()
    db.session.rollback()
    db.session.delete(db.session.get(AuditEvent, event.id))
    with pytest.raises(AuditIsAppendOnly):
        db.session.flush()
    db.session.rollback()
