"""Settings: defaults, normalisation, and one clear error line for every malformed value."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from market.config import ConfigError, Settings

MARKET = str(Path(sys.executable).parent / "market")


def settings(tmp_path: Path, **env: str) -> Settings:
    return Settings.from_env({"MARKET_INSTANCE_PATH": str(tmp_path), **env})


def test_defaults_are_a_development_sqlite_market(tmp_path):
    s = settings(tmp_path)
    assert s.environment == "development"
    assert s.database_url == f"sqlite:///{tmp_path / 'market.db'}"
    assert s.ratelimit_storage_url == "memory://"
    assert s.public_url == "http://127.0.0.1:5000"
    assert s.order_hold_minutes == 30 and s.pickup_hold_days == 3


@pytest.mark.parametrize("raw", ["postgres://u@db/x", "postgresql://u@db/x", "postgresql+psycopg://u@db/x"])
def test_postgres_urls_are_normalised_to_psycopg3(tmp_path, raw):
    assert settings(tmp_path, MARKET_DATABASE_URL=raw).database_url == "postgresql+psycopg://u@db/x"


def test_relative_sqlite_paths_are_anchored_at_the_checkout(tmp_path):
    url = settings(tmp_path, MARKET_DATABASE_URL="sqlite:///instance/x.db").database_url
    assert url.startswith("sqlite:////") and url.endswith("/instance/x.db")


def test_the_development_secret_is_generated_once_and_reused(tmp_path):
    first = settings(tmp_path).secret_key
    assert len(first) > 40
    assert settings(tmp_path).secret_key == first


@pytest.mark.parametrize(
    ("name", "value", "needle"),
    [
        ("MARKET_DATABASE_URL", "nonsense", "MARKET_DATABASE_URL"),
        ("MARKET_DATABASE_URL", "mysql://u@h/db", "unsupported"),
        ("MARKET_ENV", "staging", "MARKET_ENV"),
        ("MARKET_PROXY_HOPS", "two", "MARKET_PROXY_HOPS"),
        ("MARKET_PROXY_HOPS", "-1", "MARKET_PROXY_HOPS"),
        ("MARKET_PUBLIC_URL", "market.example.com", "MARKET_PUBLIC_URL"),
        ("MARKET_MAIL_URL", "http://mail", "MARKET_MAIL_URL"),
        ("MARKET_RATELIMIT_STORAGE_URL", "memcached://x", "MARKET_RATELIMIT_STORAGE_URL"),
        ("MARKET_ORDER_HOLD_MINUTES", "0", "MARKET_ORDER_HOLD_MINUTES"),
        ("MARKET_STRIPE_API_BASE", "localhost:12111", "MARKET_STRIPE_API_BASE"),
    ],
)
def test_a_malformed_value_names_the_variable(tmp_path, name, value, needle):
    with pytest.raises(ConfigError) as info:
        settings(tmp_path, **{name: value})
    assert needle in info.value.message


def test_production_refuses_to_start_without_a_secret_key(tmp_path):
    with pytest.raises(ConfigError, match="MARKET_SECRET_KEY"):
        settings(tmp_path, MARKET_ENV="production")
    prod = settings(tmp_path, MARKET_ENV="production", MARKET_SECRET_KEY="k" * 40)
    config = prod.as_flask_config()
    assert config["SESSION_COOKIE_SECURE"] is True and config["SESSION_COOKIE_HTTPONLY"] is True


def test_unknown_variables_are_ignored(tmp_path):
    assert settings(tmp_path, MARKET_COLOUR="red").environment == "development"


def _run_market(tmp_path: Path, *args: str, **env: str) -> subprocess.CompletedProcess[str]:
    full_env = {k: v for k, v in os.environ.items() if not k.startswith("MARKET_")}
    full_env.update({"MARKET_INSTANCE_PATH": str(tmp_path), **env})
    return subprocess.run([MARKET, *args], capture_output=True, text=True, env=full_env, timeout=60)


def test_market_run_with_a_nonsense_database_url_prints_one_error_line(tmp_path):
    result = _run_market(tmp_path, "run", MARKET_DATABASE_URL="nonsense")
    assert result.returncode != 0
    lines = [line for line in result.stderr.splitlines() if line.strip()]
    assert len(lines) == 1 and lines[0].startswith("Error: MARKET_DATABASE_URL"), result.stderr
    assert "Traceback" not in result.stderr + result.stdout


def test_market_db_upgrade_with_a_bad_setting_prints_one_error_line(tmp_path):
    result = _run_market(tmp_path, "db", "upgrade", MARKET_PROXY_HOPS="many")
    assert result.returncode != 0
    assert "Traceback" not in result.stderr
    assert "Error: MARKET_PROXY_HOPS" in result.stderr
