"""Shared fixtures: a migrated test database (SQLite file or MARKET_TEST_DATABASE_URL), app, client, runner, auth."""

from __future__ import annotations

import contextvars
import os
import re
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import flask_migrate
import pytest
from flask import Flask
from flask.globals import app_ctx
from flask.testing import FlaskClient, FlaskCliRunner
from sqlalchemy import orm as so
from werkzeug.test import TestResponse

from market import create_app
from market.extensions import db, limiter

TEST_SECRET = "test-secret-key-" + "x" * 32


def market_env(database_url: str, instance: Path, **extra: str) -> dict[str, str]:
    """The MARKET_* settings for a test app; never the developer's MARKET_DATABASE_URL."""
    env = {
        "MARKET_ENV": "development",
        "MARKET_DATABASE_URL": database_url,
        "MARKET_INSTANCE_PATH": str(instance),
        "MARKET_SECRET_KEY": TEST_SECRET,
        "MARKET_PUBLIC_URL": "http://market.example.com",
    }
    env.update(extra)
    return env


@pytest.fixture(scope="session")
def database_url(tmp_path_factory: pytest.TempPathFactory) -> str:
    """MARKET_TEST_DATABASE_URL, or a fresh SQLite file for this run."""
    url = os.environ.get("MARKET_TEST_DATABASE_URL", "").strip()
    return url or f"sqlite:///{tmp_path_factory.mktemp('db') / 'test.db'}"


@pytest.fixture(scope="session")
def instance_path(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The test instance folder (outbox, dev files)."""
    return tmp_path_factory.mktemp("instance")


class IsolatedClient(FlaskClient):
    """Runs each request in an empty context, so it gets its own app context, `g` and db session
    (as in production) even though the test body has pushed an app context of its own."""

    def open(self, *args: Any, **kwargs: Any) -> TestResponse:
        return contextvars.Context().run(super().open, *args, **kwargs)


@pytest.fixture(scope="session")
def migrated_app(database_url: str, instance_path: Path) -> Iterator[Flask]:
    """One app for the run, its database emptied and built by the migrations."""
    app = create_app({"TESTING": True}, env=market_env(database_url, instance_path))
    app.test_client_class = IsolatedClient
    with app.app_context():
        engine = db.engine
        if engine.dialect.name == "postgresql":
            with engine.begin() as conn:
                conn.exec_driver_sql("DROP SCHEMA public CASCADE")
                conn.exec_driver_sql("CREATE SCHEMA public")
        flask_migrate.upgrade()
    yield app
    with app.app_context():
        db.engine.dispose()


def _empty_tables(app: Flask) -> None:
    """Delete every row of every table (PostgreSQL: TRUNCATE, restarting the id sequences)."""
    with app.app_context():
        db.session.remove()
        tables = [t.name for t in db.metadata.sorted_tables]
        with db.engine.begin() as conn:
            if conn.dialect.name == "postgresql":
                conn.exec_driver_sql(f"TRUNCATE {', '.join(tables)} RESTART IDENTITY CASCADE")
            else:
                for name in reversed(tables):
                    conn.exec_driver_sql(f"DELETE FROM {name}")


@pytest.fixture
def app(migrated_app: Flask) -> Iterator[Flask]:
    """The app with an app context pushed; every table is emptied after the test."""
    limiter.reset()
    ctx = migrated_app.app_context()
    ctx.push()
    try:
        yield migrated_app
    finally:
        db.session.rollback()
        ctx.pop()
        _empty_tables(migrated_app)


@contextmanager
def rolled_back_session(app: Flask) -> Iterator[so.scoped_session[so.Session]]:
    """Install as `db.session` a session whose commits become flushes, inside an outer transaction that is
    rolled back on exit: whatever the block writes, committed or not, is gone afterwards.

    SQLAlchemy 2.0's "join a session into an external transaction" recipe: one connection, an outer
    transaction, and sessions bound to the connection with join_transaction_mode="create_savepoint", so a
    session's commit releases a SAVEPOINT and its rollback rolls back to it. One session per app context,
    as Flask-SQLAlchemy's own. A plain SQLAlchemy Session: Flask-SQLAlchemy's picks the engine itself and
    would ignore the connection. For use cases without concurrency (one connection, one thread).
    """
    with app.app_context():
        connection = db.engine.connect()
        outer = connection.begin()
        if connection.dialect.name == "sqlite":
            # pysqlite emits BEGIN only before its first INSERT/UPDATE/DELETE, so the first SAVEPOINT would
            # start the transaction itself and releasing it would COMMIT. Begin for real first (SQLAlchemy's
            # docs, "Serializable isolation / Savepoints / Transactional DDL" for pysqlite).
            connection.exec_driver_sql("BEGIN")
        sessions = so.scoped_session(
            so.sessionmaker(bind=connection, join_transaction_mode="create_savepoint"),
            scopefunc=lambda: id(app_ctx._get_current_object()),
        )
        app_session = db.session
        db.session = sessions
        try:
            yield sessions
        finally:
            sessions.remove()
            db.session = app_session
            outer.rollback()
            connection.close()


@pytest.fixture
def db_session(migrated_app: Flask) -> Iterator[so.scoped_session[so.Session]]:
    """`db.session` for a service test, in an app context: commits become flushes and the test's writes are
    rolled back at its end (no tables emptied). Not for concurrency tests, which need real commits."""
    with rolled_back_session(migrated_app) as session:
        yield session


@pytest.fixture
def client(app: Flask) -> FlaskClient:
    """A test client (CSRF protection stays on, as in production)."""
    return app.test_client()


@pytest.fixture
def runner(app: Flask) -> FlaskCliRunner:
    """A CLI runner for the app's commands."""
    return app.test_cli_runner()


CSRF_RE = re.compile(r'name="csrf_token"[^>]*value="([^"]+)"')


def csrf_token(client: FlaskClient, path: str) -> str:
    """Fetch a page and return the CSRF token of its first form."""
    page = client.get(path)
    match = CSRF_RE.search(page.get_data(as_text=True))
    assert match, f"no CSRF token on {path} (status {page.status_code})"
    return match.group(1)


class AuthActions:
    """Log in and out through the real forms."""

    def __init__(self, client: FlaskClient) -> None:
        self.client = client

    def login(self, email: str, password: str = "longxian-demo", next_path: str = ""):
        token = csrf_token(self.client, "/account/login")
        return self.client.post(
            "/account/login",
            data={"email": email, "password": password, "csrf_token": token, "next": next_path},
        )

    def logout(self):
        token = csrf_token(self.client, "/account/")
        return self.client.post("/account/logout", data={"csrf_token": token})


@pytest.fixture
def auth(client: FlaskClient) -> AuthActions:
    """Log in/out helper bound to the test client."""
    return AuthActions(client)


WEBHOOK_SECRET = "whsec_test_secret"


@pytest.fixture
def stripe_fake(migrated_app: Flask, monkeypatch: pytest.MonkeyPatch) -> Iterator[object]:
    """A loopback fake of Stripe's API, and the app configured to pay through it (with `app`, `client`
    or `db_session`)."""
    import stripe

    from tests.stripe_fake import StripeFake

    monkeypatch.setattr(stripe.HTTPClient, "INITIAL_DELAY", 0)  # retries without waiting
    monkeypatch.setattr(stripe.HTTPClient, "MAX_DELAY", 0)
    with StripeFake() as fake:
        settings = {"MARKET_STRIPE_SECRET_KEY": "sk_test_market", "MARKET_STRIPE_WEBHOOK_SECRET": WEBHOOK_SECRET,
                    "MARKET_STRIPE_API_BASE": fake.base_url}
        saved = {k: migrated_app.config.get(k) for k in settings}
        migrated_app.config.update(settings)
        try:
            yield fake
        finally:
            migrated_app.config.update(saved)
            migrated_app.extensions.pop("market.stripe", None)


@pytest.fixture
def cached(app: Flask) -> Iterator[None]:
    """Turn the catalogue caches on (off in tests by default), empty before and after the test."""
    from market.services.catalog import cache as catalog_cache
    from market.storefront import fragments

    app.config["CATALOGUE_CACHE"] = True
    catalog_cache.cache.clear()
    fragments.bodies.clear()
    yield
    app.config.pop("CATALOGUE_CACHE")
    catalog_cache.cache.clear()
    fragments.bodies.clear()
