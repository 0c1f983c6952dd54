"""Failures end in a styled page or a clear JSON answer, never a traceback."""

from __future__ import annotations

from market import create_app
from tests.conftest import market_env


def test_an_unexpected_error_gets_the_styled_500_page(tmp_path, database_url):
    app = create_app({"TESTING": False}, env=market_env(database_url, tmp_path))

    @app.route("/boom")
    def boom():
        raise RuntimeError("secret internals")

    response = app.test_client().get("/boom")
    body = response.get_data(as_text=True)
    assert response.status_code == 500
    assert "出错了" in body and "secret internals" not in body and "Traceback" not in body
    assert response.headers["X-Content-Type-Options"] == "nosniff"


def test_healthz_answers_503_when_the_database_is_unreachable(tmp_path):
    url = "postgresql+psycopg://nobody@127.0.0.1:1/none?connect_timeout=2"
    app = create_app({"TESTING": True}, env=market_env(url, tmp_path))
    response = app.test_client().get("/healthz")
    assert response.status_code == 503
    assert response.get_json() == {"status": "error", "database": "unreachable"}
    with app.app_context():
        from market.extensions import db

        db.engine.dispose()
