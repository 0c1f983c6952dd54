"""The counter QR poster in a real browser: its code, rasterised by Chromium, decodes to the shop page's URL, and
it prints on one A4 page."""

from __future__ import annotations

import os
import re
import shutil
import subprocess
from pathlib import Path

import pytest

from market.demo import DEMO_PASSWORD

pytestmark = pytest.mark.e2e

SHOP_URL = "http://market.example.com/shop/LX-O-001"  # MARKET_PUBLIC_URL of the tests + the shop page


@pytest.fixture
def zbarimg() -> str:
    """The zbarimg program (Debian's zbar-tools); skipped where missing unless the browser tests are required."""
    found = shutil.which("zbarimg")
    if found is None:
        if os.environ.get("MARKET_REQUIRE_BROWSER"):
            pytest.fail("zbarimg is required (MARKET_REQUIRE_BROWSER is set): apt-get install zbar-tools")
        pytest.skip("zbarimg is not installed (apt-get install zbar-tools)")
    return found


@pytest.fixture
def desk(browser, live_server: str, app):
    """A desktop-sized page, as an outlet's staff print from."""
    context = browser.new_context(viewport={"width": 1280, "height": 900}, locale="zh-CN", base_url=live_server)
    page = context.new_page()
    page.set_default_timeout(15_000)
    yield page
    context.close()


def _log_in(page, email: str) -> None:
    page.goto("/account/login")
    page.get_by_label("邮箱").fill(email)
    page.get_by_label("密码").fill(DEMO_PASSWORD)
    page.get_by_role("button", name="登录").click()
    page.wait_for_url(re.compile(r"/outlet/$"))


def test_the_poster_qr_code_decodes_to_the_shop_page_url(desk, demo, zbarimg, tmp_path: Path):
    _log_in(desk, "outlet@example.com")
    desk.get_by_role("link", name=re.compile("柜台海报|Counter poster")).first.click()
    desk.wait_for_url(re.compile(r"/outlet/LX-O-001/poster$"))
    desk.emulate_media(media="print")
    assert desk.locator(".site-header").is_hidden()  # the print stylesheet leaves the sheet alone
    shot = tmp_path / "poster.png"
    desk.locator(".poster").screenshot(path=str(shot))
    decoded = subprocess.run([zbarimg, "--quiet", "--raw", str(shot)], capture_output=True, text=True,
                             timeout=30, check=False)
    assert decoded.returncode == 0, decoded.stderr
    assert decoded.stdout.strip() == SHOP_URL
    poster = desk.locator(".poster").inner_text()
    assert "LX-O-001" in poster and "LXXF" in poster  # the certificate number


def test_the_poster_prints_on_one_a4_page(desk, demo):
    _log_in(desk, "outlet@example.com")
    desk.goto("/outlet/LX-O-001/poster")
    pdf = desk.pdf(format="A4", prefer_css_page_size=True)
    assert len(re.findall(rb"/Type\s*/Page(?!s)", pdf)) == 1
