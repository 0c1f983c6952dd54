"""The service-test session: a service's committed rows are gone after the test, and rollback still works."""

from __future__ import annotations

import sqlalchemy as sa

from market.extensions import db
from market.models import User
from market.services.accounts.users import create_user
from tests.conftest import rolled_back_session
from tests.factories import ListingFactory, ProductFactory, UserFactory


def users_seen_by_another_connection(app) -> list[str]:
    """The users' emails as a separate connection sees them (only what was really committed)."""
    with app.app_context(), db.engine.connect() as other:
        return list(other.scalars(sa.select(User.email)))


def emails() -> list[str]:
    """The users' emails as the test's session sees them."""
    return sorted(db.session.scalars(sa.select(User.email)))


def test_a_services_committed_rows_are_gone_after_the_test(migrated_app):
    with rolled_back_session(migrated_app) as session:
        create_user("wang@example.com", "correct-horse-9", "王芳")
        session.commit()  # releases a savepoint: visible here, never committed
        session.expire_all()
        assert emails() == ["wang@example.com"]
        assert users_seen_by_another_connection(migrated_app) == []
    assert users_seen_by_another_connection(migrated_app) == []
    with rolled_back_session(migrated_app):
        assert emails() == []


def test_a_rollback_inside_the_test_undoes_only_what_came_after_the_last_commit(db_session):
    UserFactory(email="kept@example.com")  # the factory commits
    db_session.add(User(email="dropped@example.com", name="丢弃", password_hash="x", locale="zh"))
    db_session.flush()
    assert emails() == ["dropped@example.com", "kept@example.com"]
    db_session.rollback()
    assert emails() == ["kept@example.com"]
    UserFactory(email="after@example.com")  # the session goes on after the rollback
    assert emails() == ["after@example.com", "kept@example.com"]


def test_a_request_made_during_the_test_sees_its_rows_and_leaves_its_session_usable(db_session, migrated_app):
    listing = ListingFactory(product=ProductFactory(sku="LX-P-SVC", name_zh="服务测试苹果"))
    page = migrated_app.test_client().get("/product/LX-P-SVC")  # its own session, on the test's connection
    assert page.status_code == 200 and "服务测试苹果" in page.get_data(as_text=True)
    assert listing.product.sku == "LX-P-SVC"  # the request's teardown closed its session, not the test's
