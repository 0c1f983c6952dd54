"""A live server on a free loopback port and a headless Debian chromium driven by Playwright."""

from __future__ import annotations

import os
import shutil
import threading
from collections.abc import Iterator
from typing import Any

import pytest
from flask import Flask
from werkzeug.serving import make_server

CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking",
    "--disable-component-update", "--disable-sync", "--disable-dev-shm-usage",
]


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
