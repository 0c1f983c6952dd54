"""The application factory: settings, extensions, blueprints, error pages, security headers."""

from __future__ import annotations

import logging
import sys
from collections.abc import Mapping
from typing import Any

from flask import Flask
from werkzeug.middleware.proxy_fix import ProxyFix

from market.config import ROOT, Settings


def create_app(test_config: Mapping[str, Any] | None = None, env: Mapping[str, str] | None = None) -> Flask:
    """Build the app from MARKET_* settings (or `env`), then apply `test_config` overrides."""
    settings = Settings.from_env(env)
    app = Flask(
        "market",
        instance_path=str(settings.instance_path),
        template_folder=str(ROOT / "templates"),
        static_folder=str(ROOT / "static"),
    )
    app.config.from_mapping(settings.as_flask_config())
    if test_config:
        app.config.from_mapping(test_config)
    configure_logging(app)
    if app.config["MARKET_PROXY_HOPS"]:
        hops = app.config["MARKET_PROXY_HOPS"]
        # Client address and scheme from the proxies; host and path prefix never come from headers.
        app.wsgi_app = ProxyFix(app.wsgi_app, x_for=hops, x_proto=hops)  # type: ignore[method-assign]
    from market import web_input

    web_input.register(app)  # first: the blueprints' <int:...> rules need its bounded converter
    register_extensions(app)
    register_blueprints(app)
    from market import errors, security, templating

    errors.register(app)
    security.register(app)
    templating.register(app)
    return app


def configure_logging(app: Flask) -> None:
    """Log to stdout, as a twelve-factor app does."""
    if not any(isinstance(h, logging.StreamHandler) for h in app.logger.handlers):
        handler = logging.StreamHandler(sys.stdout)
        handler.setFormatter(logging.Formatter("%(asctime)s %(levelname)s %(name)s: %(message)s"))
        app.logger.addHandler(handler)
    app.logger.setLevel(logging.INFO)


def register_extensions(app: Flask) -> None:
    """Bind the extensions to the app."""
    import sqlalchemy as sa
    from sqlalchemy import orm as so

    from market import db_setup, i18n
    from market.extensions import babel, csrf, db, limiter, login_manager, migrate
    from market.models import User

    db.init_app(app)
    db_setup.register(app)
    migrate.init_app(app, db, directory=str(ROOT / "migrations"), render_as_batch=True, compare_type=True)
    csrf.init_app(app)
    babel.init_app(
        app,
        locale_selector=i18n.select_locale,
        default_translation_directories=str(ROOT / "translations"),
    )
    limiter.init_app(app)
    login_manager.init_app(app)
    login_manager.login_view = "account.login"
    from market.security import login_redirect

    login_manager.unauthorized_handler(login_redirect)

    @login_manager.user_loader
    def load_user(session_id: str) -> User | None:
        """The user of a session, if still active and neither the password nor the session generation
        changed since it began; one query, roles included (every page asks for them)."""
        user_id, _, stamp = session_id.partition("-")
        if not user_id.isdigit():
            return None
        query = sa.select(User).options(so.joinedload(User.roles)).where(User.id == int(user_id))
        user = db.session.scalars(query).unique().one_or_none()
        if user is None or not user.active or user.session_stamp != stamp:
            return None
        return user


def register_blueprints(app: Flask) -> None:
    """Mount every area of the site."""
    from market.account import bp as account_bp
    from market.admin import bp as admin_bp
    from market.cart import bp as cart_bp
    from market.county import bp as county_bp
    from market.institution import bp as institution_bp
    from market.outlet import bp as outlet_bp
    from market.storefront import bp as storefront_bp
    from market.webhooks import bp as webhooks_bp

    app.register_blueprint(storefront_bp)
    app.register_blueprint(account_bp, url_prefix="/account")
    app.register_blueprint(cart_bp, url_prefix="/cart")
    app.register_blueprint(outlet_bp, url_prefix="/outlet")
    app.register_blueprint(county_bp, url_prefix="/county")
    app.register_blueprint(institution_bp, url_prefix="/institution")
    app.register_blueprint(admin_bp, url_prefix="/admin")
    app.register_blueprint(webhooks_bp, url_prefix="/webhooks")
