"""MARKET_TODAY: a development-only day that every business date in the app and the commands reads."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

import pytest

from market import clock
from market.cli import main
from market.config import ConfigError, Settings
from market.domain.dates import business_date, on_day
from market.extensions import db
from market.models import Order
from tests.integration.test_orders import place


def test_without_market_today_the_clock_is_the_real_time(app):
    before = datetime.now(UTC)
    assert before <= clock.now() <= datetime.now(UTC)
    assert clock.today() == business_date()


def test_market_today_moves_the_date_and_keeps_the_time_of_day(app, monkeypatch):
    monkeypatch.setitem(app.config, "MARKET_TODAY", date(2027, 2, 10))
    moved = clock.now()
    assert clock.today() == date(2027, 2, 10) == business_date(moved)
    offset = (moved - datetime.now(UTC)).total_seconds()
    assert min(offset % 86400, -offset % 86400) < 5  # whole days moved, the time of day kept


@pytest.mark.parametrize("real", [
    datetime(2026, 12, 2, 15, 59, tzinfo=UTC),   # 23:59 in Shanghai
    datetime(2026, 12, 2, 16, 1, tzinfo=UTC),    # 00:01 next day in Shanghai
    datetime(2026, 12, 31, 23, 0, tzinfo=UTC),
])
def test_on_day_lands_on_the_asked_shanghai_date(real):
    for day in (date(2026, 1, 1), date(2027, 3, 1), business_date(real)):
        moved = on_day(real, day)
        assert business_date(moved) == day
        assert (moved - real) % timedelta(days=1) == timedelta(0)


@pytest.mark.parametrize("raw", ["2026-02-30", "20261202", "2026-W49-3", "tomorrow", "2026-12-02T10:00"])
def test_a_malformed_market_today_names_the_variable(tmp_path, raw):
    with pytest.raises(ConfigError, match="MARKET_TODAY"):
        Settings.from_env({"MARKET_INSTANCE_PATH": str(tmp_path), "MARKET_TODAY": raw})


def test_market_today_is_refused_in_production(tmp_path):
    env = {"MARKET_INSTANCE_PATH": str(tmp_path), "MARKET_ENV": "production", "MARKET_SECRET_KEY": "k" * 40,
           "MARKET_TODAY": "2027-01-05"}
    with pytest.raises(ConfigError, match="refused in production"):
        Settings.from_env(env)


def test_market_today_is_read_by_the_expiry_command(app, client, auth, runner, monkeypatch):
    """A pickup order waits three days for collection: `market orders expire` cancels it only when MARKET_TODAY
    is past its hold."""
    order, _ = place(client, auth)
    monkeypatch.setitem(app.config, "MARKET_TODAY", business_date() + timedelta(days=1))
    assert "Expired 0" in runner.invoke(main, ["orders", "expire"]).output
    monkeypatch.setitem(app.config, "MARKET_TODAY", business_date() + timedelta(days=4))
    assert "Expired 1" in runner.invoke(main, ["orders", "expire"]).output
    db.session.expire_all()
    assert db.session.get(Order, order.id).status == "cancelled"
