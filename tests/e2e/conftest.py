"""A live server on a free loopback port, a headless Debian chromium driven by Playwright, and the demo data.

Browser tests run on SQLite only (CI runs them in its SQLite pass). The demo data is loaded once per session
and kept as a snapshot of every table's rows; each test that asks for `demo` gets those rows written back into
the emptied tables (a few hundredths of a second, against seconds for loading it), so no test sees another's
writes.
"""

from __future__ import annotations

import os
import shutil
import threading
from collections.abc import Iterator
from typing import Any

import pytest
import sqlalchemy as sa
from flask import Flask
from werkzeug.serving import make_server

from market.demo import load_demo
from market.domain.dates import business_date
from market.extensions import db
from tests.conftest import _empty_tables

CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking",
    "--disable-component-update", "--disable-sync", "--disable-dev-shm-usage",
]


@pytest.fixture(scope="session", autouse=True)
def sqlite_only(database_url: str) -> None:
    """Skip the browser tests on PostgreSQL: CI runs them in its SQLite pass; the pages' database work is
    covered on both databases by the integration tests."""
    if sa.make_url(database_url).get_backend_name() != "sqlite":
        pytest.skip("browser tests run on SQLite only (CI runs them in its SQLite pass)")


def buffered(app: Any) -> Any:
    """Read each response whole and close it at once. Werkzeug's development server skips closing a
    response (a static file stays open: a ResourceWarning) when the browser drops the connection first."""

    def wsgi(environ: dict[str, Any], start_response: Any) -> list[bytes]:
        body = app(environ, start_response)
        try:
            return [b"".join(body)]
        finally:
            close = getattr(body, "close", None)
            if close is not None:
                close()

    return wsgi


@pytest.fixture(scope="session")
def live_server(migrated_app: Flask) -> Iterator[str]:
    """Serve the test app on 127.0.0.1 in a thread; yields the base URL."""
    server = make_server("127.0.0.1", 0, buffered(migrated_app), threaded=True)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_port}"
    server.shutdown()
    thread.join(timeout=5)


@pytest.fixture(scope="session")
def browser() -> Iterator[object]:
    """Headless chromium; skipped where it is not installed, unless MARKET_REQUIRE_BROWSER is set (CI)."""
    if not os.path.exists(CHROMIUM):
        if os.environ.get("MARKET_REQUIRE_BROWSER"):
            pytest.fail("chromium is required (MARKET_REQUIRE_BROWSER is set) but not installed")
        pytest.skip("Debian chromium is not installed (apt-get install chromium fonts-noto-cjk)")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as pw:
        instance = pw.chromium.launch(executable_path=CHROMIUM, headless=True, args=CHROMIUM_ARGS)
        yield instance
        instance.close()


@pytest.fixture
def phone(browser, live_server: str, app: Flask) -> Iterator[object]:
    """A fresh phone-sized page (390x844, touch, zh-CN) pointed at the live server."""
    context = browser.new_context(
        viewport={"width": 390, "height": 844}, is_mobile=True, has_touch=True, locale="zh-CN",
        base_url=live_server,
    )
    page = context.new_page()
    page.set_default_timeout(15_000)
    yield page
    context.close()


@pytest.fixture(scope="session")
def demo_rows(migrated_app: Flask) -> dict[str, list[dict[str, Any]]]:
    """The demo data, loaded once for the session: every table's rows, by table name. The tables are left empty."""
    _empty_tables(migrated_app)
    with migrated_app.app_context():
        assert load_demo(business_date()) is not None
        db.session.commit()
        with db.engine.connect() as conn:
            rows = {t.name: [dict(r._mapping) for r in conn.execute(sa.select(t))] for t in db.metadata.sorted_tables}
    _empty_tables(migrated_app)
    return rows


@pytest.fixture
def demo(app: Flask, demo_rows: dict[str, list[dict[str, Any]]]) -> None:
    """The demo data written back into the (empty) tables for this test; `app` empties them after it."""
    with db.engine.begin() as conn:
        for table in db.metadata.sorted_tables:
            if demo_rows[table.name]:
                conn.execute(table.insert(), demo_rows[table.name])
