"""Settings read once from MARKET_* environment variables, validated before the app starts."""

from __future__ import annotations

import os
import re
import secrets
import time
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from urllib.parse import urlsplit

import click
from sqlalchemy.engine import make_url
from sqlalchemy.exc import ArgumentError

ROOT = Path(__file__).resolve().parent.parent
ENVIRONMENTS = ("development", "production")


class ConfigError(click.ClickException):
    """A setting is missing or malformed; click prints it as one `Error:` line."""


def normalise_database_url(raw: str, instance_path: Path) -> str:
    """Return a SQLAlchemy URL for SQLite or PostgreSQL (psycopg 3), or raise ConfigError."""
    value = raw.strip()
    if value.startswith("postgres://"):
        value = "postgresql+psycopg://" + value[len("postgres://"):]
    elif value.startswith("postgresql://"):
        value = "postgresql+psycopg://" + value[len("postgresql://"):]
    try:
        url = make_url(value)
    except (ArgumentError, ValueError) as exc:
        raise ConfigError(
            f"MARKET_DATABASE_URL is not a database URL ({raw!r}); "
            "use e.g. sqlite:///instance/market.db or postgresql://user@host/dbname"
        ) from exc
    if url.drivername not in ("sqlite", "sqlite+pysqlite", "postgresql+psycopg"):
        raise ConfigError(
            f"MARKET_DATABASE_URL uses an unsupported database {url.drivername!r}: "
            "only sqlite and postgresql are supported"
        )
    if url.drivername.startswith("sqlite") and url.database and url.database != ":memory:":
        db_path = Path(url.database)
        if not db_path.is_absolute():
            db_path = (ROOT / db_path).resolve()
        value = url.set(database=str(db_path)).render_as_string(hide_password=False)
    return value


def _int(env: Mapping[str, str], name: str, default: int, minimum: int = 0) -> int:
    """Parse a whole-number setting."""
    raw = env.get(name)
    if raw is None or raw.strip() == "":
        return default
    try:
        value = int(raw.strip())
    except ValueError:
        raise ConfigError(f"{name} must be a whole number, got {raw!r}") from None
    if value < minimum:
        raise ConfigError(f"{name} must be at least {minimum}, got {raw!r}")
    return value


def _url(env: Mapping[str, str], name: str, schemes: tuple[str, ...], default: str | None) -> str | None:
    """Parse a URL setting restricted to some schemes."""
    raw = env.get(name)
    if raw is None or raw.strip() == "":
        return default
    value = raw.strip()
    parts = urlsplit(value)
    if parts.scheme not in schemes or (parts.scheme != "memory" and not parts.hostname):
        raise ConfigError(f"{name} must be a {' or '.join(s + '://' for s in schemes)} URL, got {raw!r}")
    return value.rstrip("/") if parts.scheme in ("http", "https") else value


def _today(env: Mapping[str, str], environment: str) -> date | None:
    """MARKET_TODAY: a YYYY-MM-DD day the whole app takes as today (development only)."""
    raw = env.get("MARKET_TODAY", "").strip()
    if not raw:
        return None
    if environment == "production":
        raise ConfigError("MARKET_TODAY is for trying things out and is refused in production")
    try:
        if not re.fullmatch(r"\d{4}-\d{2}-\d{2}", raw):
            raise ValueError(raw)
        return date.fromisoformat(raw)
    except ValueError:
        raise ConfigError(f"MARKET_TODAY must be a real date written YYYY-MM-DD, got {raw!r}") from None


def _secret_key(env: Mapping[str, str], environment: str, instance_path: Path) -> str:
    """Return the secret key; in development create one file once, safely across processes."""
    raw = env.get("MARKET_SECRET_KEY", "").strip()
    if raw:
        if environment == "production" and len(raw) < 32:
            raise ConfigError("MARKET_SECRET_KEY must be at least 32 characters in production")
        return raw
    if environment == "production":
        raise ConfigError("MARKET_SECRET_KEY must be set in production")
    path = instance_path / "dev-secret-key"
    try:
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    except FileExistsError:
        pass
    else:
        with os.fdopen(fd, "w") as fh:
            fh.write(secrets.token_urlsafe(48))
    # Re-read: another process may have written the file first (see TRAPS.md).
    for _ in range(50):
        key = path.read_text().strip()
        if key:
            return key
        time.sleep(0.02)
    raise ConfigError(f"could not read the development secret key in {path}")


@dataclass(frozen=True)
class Settings:
    """Validated settings, turned into Flask config by as_flask_config()."""

    environment: str
    database_url: str
    instance_path: Path
    secret_key: str
    public_url: str
    proxy_hops: int
    mail_url: str | None
    ratelimit_storage_url: str
    icp: str
    stripe_secret_key: str | None
    stripe_webhook_secret: str | None
    stripe_api_base: str | None
    order_hold_minutes: int
    pickup_hold_days: int
    notice_working_days: int = 5
    today: date | None = None

    @classmethod
    def from_env(cls, env: Mapping[str, str] | None = None) -> Settings:
        """Read and validate every MARKET_* variable; unknown names are ignored."""
        env = os.environ if env is None else env
        environment = env.get("MARKET_ENV", "development").strip() or "development"
        if environment not in ENVIRONMENTS:
            raise ConfigError(f"MARKET_ENV must be one of {', '.join(ENVIRONMENTS)}, got {environment!r}")
        instance_path = Path(env.get("MARKET_INSTANCE_PATH", "").strip() or ROOT / "instance")
        if not instance_path.is_absolute():
            instance_path = (ROOT / instance_path).resolve()
        try:
            instance_path.mkdir(parents=True, exist_ok=True)
        except OSError as exc:
            raise ConfigError(f"MARKET_INSTANCE_PATH {str(instance_path)!r} cannot be created: {exc}") from None
        raw_db = env.get("MARKET_DATABASE_URL", "").strip() or f"sqlite:///{instance_path / 'market.db'}"
        return cls(
            environment=environment,
            database_url=normalise_database_url(raw_db, instance_path),
            instance_path=instance_path,
            secret_key=_secret_key(env, environment, instance_path),
            public_url=_url(env, "MARKET_PUBLIC_URL", ("http", "https"), "http://127.0.0.1:5000") or "",
            proxy_hops=_int(env, "MARKET_PROXY_HOPS", 0),
            mail_url=_url(env, "MARKET_MAIL_URL", ("smtp", "smtps"), None),
            ratelimit_storage_url=_url(
                env, "MARKET_RATELIMIT_STORAGE_URL", ("memory", "redis", "rediss"), "memory://"
            ) or "memory://",
            icp=env.get("MARKET_ICP", "").strip(),
            stripe_secret_key=env.get("MARKET_STRIPE_SECRET_KEY", "").strip() or None,
            stripe_webhook_secret=env.get("MARKET_STRIPE_WEBHOOK_SECRET", "").strip() or None,
            stripe_api_base=_url(env, "MARKET_STRIPE_API_BASE", ("http", "https"), None),
            order_hold_minutes=_int(env, "MARKET_ORDER_HOLD_MINUTES", 30, minimum=1),
            pickup_hold_days=_int(env, "MARKET_PICKUP_HOLD_DAYS", 3, minimum=1),
            notice_working_days=_int(env, "MARKET_NOTICE_WORKING_DAYS", 5, minimum=1),
            today=_today(env, environment),
        )

    def as_flask_config(self) -> dict[str, object]:
        """Flask and extension config keys derived from the settings."""
        production = self.environment == "production"
        return {
            "MARKET_ENV": self.environment,
            "SECRET_KEY": self.secret_key,
            "SQLALCHEMY_DATABASE_URI": self.database_url,
            "SQLALCHEMY_ENGINE_OPTIONS": {"pool_pre_ping": True},
            "MARKET_INSTANCE_PATH": str(self.instance_path),
            "MARKET_PUBLIC_URL": self.public_url,
            "MARKET_PROXY_HOPS": self.proxy_hops,
            "MARKET_MAIL_URL": self.mail_url,
            "MARKET_OUTBOX": str(self.instance_path / "outbox"),
            "RATELIMIT_STORAGE_URI": self.ratelimit_storage_url,
            "RATELIMIT_HEADERS_ENABLED": False,
            "MARKET_ICP": self.icp,
            "MARKET_STRIPE_SECRET_KEY": self.stripe_secret_key,
            "MARKET_STRIPE_WEBHOOK_SECRET": self.stripe_webhook_secret,
            "MARKET_STRIPE_API_BASE": self.stripe_api_base,
            "MARKET_ORDER_HOLD_MINUTES": self.order_hold_minutes,
            "MARKET_PICKUP_HOLD_DAYS": self.pickup_hold_days,
            "MARKET_NOTICE_WORKING_DAYS": self.notice_working_days,
            "MARKET_TODAY": self.today,
            "SESSION_COOKIE_HTTPONLY": True,
            "SESSION_COOKIE_SAMESITE": "Lax",
            "SESSION_COOKIE_SECURE": production,
            "REMEMBER_COOKIE_HTTPONLY": True,
            "REMEMBER_COOKIE_SAMESITE": "Lax",
            "REMEMBER_COOKIE_SECURE": production,
            "PREFERRED_URL_SCHEME": "https" if production else "http",
            "WTF_CSRF_TIME_LIMIT": None,
            "BABEL_DEFAULT_LOCALE": "zh",
            "BABEL_DEFAULT_TIMEZONE": "Asia/Shanghai",
            "MAX_CONTENT_LENGTH": 32 * 1024 * 1024,  # five 5 MB photos in one form, with room for the rest
        }
