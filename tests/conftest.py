"""Shared fixtures: a migrated test database (SQLite file or MARKET_TEST_DATABASE_URL), app, client, runner, auth."""

from __future__ import annotations

import contextvars
import os
import re
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import flask_migrate
import pytest
from flask import Flask
from flask.testing import FlaskClient, FlaskCliRunner
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
def stripe_fake(app: Flask, monkeypatch: pytest.MonkeyPatch) -> Iterator[object]:
    """A loopback fake of Stripe's API, and the app configured to pay through it."""
    import stripe

    from tests.stripe_fake import StripeFake

    monkeypatch.setattr(stripe.HTTPClient, "INITIAL_DELAY", 0)  # retries without waiting
    monkeypatch.setattr(stripe.HTTPClient, "MAX_DELAY", 0)
    with StripeFake() as fake:
        settings = {"MARKET_STRIPE_SECRET_KEY": "sk_test_market", "MARKET_STRIPE_WEBHOOK_SECRET": WEBHOOK_SECRET,
                    "MARKET_STRIPE_API_BASE": fake.base_url}
        saved = {k: app.config.get(k) for k in settings}
        app.config.update(settings)
        try:
            yield fake
        finally:
            app.config.update(saved)
            app.extensions.pop("market.stripe", None)


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
