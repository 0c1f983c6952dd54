"""The `market` command: seed, demo, users create, and working without FLASK_APP."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import sqlalchemy as sa

from market.cli import main
from market.extensions import db
from market.models import AuditEvent, Town, User

MARKET = str(Path(sys.executable).parent / "market")


def test_seed_is_idempotent(runner, app):
    first = runner.invoke(main, ["seed"])
    assert first.exit_code == 0 and "towns +10" in first.output
    second = runner.invoke(main, ["seed"])
    assert "towns +0" in second.output
    assert db.session.scalar(sa.select(sa.func.count(Town.id))) == 10


def test_demo_loads_once_and_prints_the_logins(runner, app):
    first = runner.invoke(main, ["demo"])
    assert first.exit_code == 0, first.output
    assert "longxian-demo" in first.output and "outlet2@example.com" in first.output
    users = db.session.scalar(sa.select(sa.func.count(User.id)))
    second = runner.invoke(main, ["demo"])
    assert second.exit_code == 0 and "nothing changed" in second.output
    assert db.session.scalar(sa.select(sa.func.count(User.id))) == users


def test_demo_is_refused_in_production(runner, app):
    app.config["MARKET_ENV"] = "production"
    try:
        result = runner.invoke(main, ["demo"])
    finally:
        app.config["MARKET_ENV"] = "development"
    assert result.exit_code != 0 and "refused in production" in result.output
    assert db.session.scalar(sa.select(sa.func.count(User.id))) == 0


def test_users_create_prompts_for_the_password_and_audits(runner, app):
    result = runner.invoke(main, ["users", "create", "--email", "Chief@Example.com", "--role", "admin",
                                  "--role", "county_staff"], input="long-secret-1\nlong-secret-1\n")
    assert result.exit_code == 0, result.output
    user = db.session.scalar(sa.select(User).where(User.email == "chief@example.com"))
    assert user.role_names == {"admin", "county_staff"} and user.check_password("long-secret-1")
    assert db.session.scalar(sa.select(AuditEvent).where(AuditEvent.action == "user.create"))


def test_users_create_refuses_bad_input_with_one_line(runner, app):
    bad_email = runner.invoke(main, ["users", "create", "--email", "not-an-email", "--role", "admin"],
                              input="long-secret-1\nlong-secret-1\n")
    assert bad_email.exit_code == 1 and "Error: This is not a valid email address." in bad_email.output
    short = runner.invoke(main, ["users", "create", "--email", "a@example.com", "--role", "admin"],
                          input="short\nshort\n")
    assert short.exit_code == 1 and "at least 8" in short.output
    assert db.session.scalar(sa.select(sa.func.count(User.id))) == 0


def test_market_routes_works_without_flask_app(tmp_path):
    env = {k: v for k, v in os.environ.items() if not k.startswith(("MARKET_", "FLASK_"))}
    env["MARKET_INSTANCE_PATH"] = str(tmp_path)
    result = subprocess.run([MARKET, "routes"], capture_output=True, text=True, env=env, timeout=60)
    assert result.returncode == 0, result.stderr
    assert "/account/login" in result.stdout and "/healthz" in result.stdout


def test_demo_on_an_unmigrated_database_says_what_to_do(tmp_path):
    env = {k: v for k, v in os.environ.items() if not k.startswith(("MARKET_", "FLASK_"))}
    env["MARKET_INSTANCE_PATH"] = str(tmp_path)
    result = subprocess.run([MARKET, "demo"], capture_output=True, text=True, env=env, timeout=60)
    assert result.returncode == 1
    assert result.stderr.strip() == "Error: the database has no tables yet: run `market db upgrade` first"
