"""The shell every page shares: home, language switch, security headers, error pages, health check."""

from __future__ import annotations

from market.extensions import db
from market.models import User
from tests.factories import PASSWORD, CategoryFactory, ListingFactory, ProductFactory, UserFactory


def test_home_shows_certified_produce_with_yuan_prices_in_chinese(client, app):
    ListingFactory(price_fen=12850, product=ProductFactory(name_zh="陇州苹果 5kg", name_en="Longzhou apples 5 kg"))
    page = client.get("/").get_data(as_text=True)
    assert '<html lang="zh-CN">' in page
    assert "陇州苹果 5kg" in page
    assert "¥128.50" in page


def test_language_switch_shows_the_same_page_in_english(client, app):
    ListingFactory(product=ProductFactory(name_zh="陇州苹果 5kg", name_en="Longzhou apples 5 kg"))
    response = client.get("/lang/en?next=/")
    assert response.status_code == 302 and response.headers["Location"] == "/"
    page = client.get("/").get_data(as_text=True)
    assert '<html lang="en">' in page
    assert "Longzhou apples 5 kg" in page
    assert "Certified specialty produce from Long County" in page
    client.get("/lang/zh")
    assert "陇县" in client.get("/").get_data(as_text=True)


def test_language_switch_refuses_to_redirect_off_site(client, app):
    response = client.get("/lang/en?next=https://evil.example.com/")
    assert response.headers["Location"] == "/"
    assert client.get("/lang/en?next=//evil.example.com").headers["Location"] == "/"


def test_uncertified_products_are_not_on_the_home_page(client, app):
    ListingFactory(product=ProductFactory(name_zh="未认定蜂蜜", certified=False))
    assert "未认定蜂蜜" not in client.get("/").get_data(as_text=True)


def test_every_response_carries_the_security_headers(client, app):
    for path in ("/", "/account/login", "/no-such-page", "/healthz", "/static/css/market.css"):
        response = client.get(path)
        response.close()
        csp = response.headers["Content-Security-Policy"]
        assert "default-src 'self'" in csp and "frame-ancestors 'none'" in csp
        assert response.headers["X-Content-Type-Options"] == "nosniff"
        assert response.headers["Referrer-Policy"] == "strict-origin-when-cross-origin"
        assert response.headers["X-Frame-Options"] == "DENY"


def test_pages_use_no_inline_script_or_style_so_the_csp_holds(client, app):
    page = client.get("/").get_data(as_text=True)
    assert "<script>" not in page and "style=" not in page and "<style" not in page


def test_unknown_page_gets_the_styled_404_in_both_languages(client, app):
    response = client.get("/no-such-page")
    assert response.status_code == 404
    assert "页面不存在" in response.get_data(as_text=True)
    client.get("/lang/en")
    assert "Page not found" in client.get("/no-such-page").get_data(as_text=True)


def test_wrong_method_gets_a_styled_405(client, app):
    response = client.get("/account/logout")
    assert response.status_code == 405
    assert "<html" in response.get_data(as_text=True)


def test_healthz_reports_the_database(client, app):
    response = client.get("/healthz")
    assert response.status_code == 200
    assert response.get_json() == {"status": "ok", "database": "ok"}


def test_search_finds_produce_by_a_one_character_chinese_query(client, app):
    ListingFactory(product=ProductFactory(name_zh="陇州苹果 5kg"))
    honey = CategoryFactory(code="honey", name_zh="蜂蜜", name_en="Honey")  # search also matches category names
    ListingFactory(product=ProductFactory(name_zh="中蜂土蜂蜜", description="百花蜜", category=honey))
    page = client.get("/search?q=果").get_data(as_text=True)
    assert "陇州苹果 5kg" in page and "中蜂土蜂蜜" not in page


def test_search_handles_empty_and_very_long_queries(client, app):
    assert client.get("/search?q=").status_code == 200
    response = client.get("/search?q=" + "苹" * 10_000)
    assert response.status_code == 200
    assert "100" in response.get_data(as_text=True)


def test_privacy_page_exists_in_both_languages(client, app):
    assert "个人信息" in client.get("/privacy").get_data(as_text=True)
    client.get("/lang/en")
    assert "Personal Information Protection Law" in client.get("/privacy").get_data(as_text=True)


def test_logged_in_pages_are_kept_out_of_shared_caches(client, auth, app):
    from tests.factories import PASSWORD, UserFactory

    assert "Cache-Control" not in client.get("/").headers
    UserFactory(email="a@example.com")
    auth.login("a@example.com", PASSWORD)
    assert client.get("/").headers["Cache-Control"] == "private, no-store"


def test_the_language_link_changes_this_browser_only_never_the_saved_account_language(client, auth, app):
    # A GET another site can make a browser follow must not write to the account.
    user = UserFactory(email="a@example.com", locale="zh")
    auth.login("a@example.com", PASSWORD)
    assert client.get("/lang/en?next=/account/").headers["Location"] == "/account/"
    assert '<html lang="en">' in client.get("/account/").get_data(as_text=True)
    db.session.expire_all()
    assert db.session.get(User, user.id).locale == "zh"
