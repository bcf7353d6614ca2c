"""Osallistu Espoo: the City of Espoo's resident participation and participatory budgeting."""

from __future__ import annotations

import logging
import os
from pathlib import Path

from flask import Flask

from .config import (
    ROOT,
    default_config,
    from_environment,
    instance_secret,
    normalise_database_url,
    private_file,
    private_folder,
)
from .core.parsing import CleanRequest, IdConverter
from .templating import TemplateEnvironment

__all__ = ["create_app", "ROOT"]


def create_app(config: dict | None = None) -> Flask:
    """Assemble the application: the one place extensions, blueprints and handlers are bound."""
    overrides = dict(config or {})
    instance_path = Path(overrides.pop("INSTANCE_PATH", None)
                         or os.environ.get("PARTICIPATION_INSTANCE_PATH") or ROOT / "instance")
    app = Flask(
        __name__,
        instance_path=str(instance_path),
        template_folder=str(ROOT / "templates"),
        static_folder=str(ROOT / "static"),
    )
    app.jinja_environment = TemplateEnvironment  # before anything makes app.jinja_env
    app.request_class = CleanRequest
    app.url_map.converters["int"] = IdConverter
    settings = from_environment(default_config(instance_path))
    settings.update(overrides)
    app.config.update(settings)
    app.config["SQLALCHEMY_DATABASE_URI"] = normalise_database_url(
        app.config["SQLALCHEMY_DATABASE_URI"]
    )
    if app.config["SQLALCHEMY_DATABASE_URI"].startswith("sqlite:///"):
        private_folder(instance_path)
        database = app.config["SQLALCHEMY_DATABASE_URI"][len("sqlite:///"):].split("?")[0]
        if database and database != ":memory:":
            private_file(Path(database))  # 0600 before SQLite creates it (journals follow)
    if not app.config.get("SECRET_KEY"):
        app.config["SECRET_KEY"] = instance_secret(instance_path, "secret_key")
    if not app.config.get("PSEUDONYM_KEY"):
        app.config["PSEUDONYM_KEY"] = instance_secret(instance_path, "pseudonym_key")

    _init_extensions(app)
    _register_blueprints(app)
    _register_hooks(app)
    if not app.debug and not app.testing:
        logging.basicConfig(level=logging.INFO)
    return app


def _init_extensions(app: Flask) -> None:
    from . import models  # noqa: F401  (every table registered before migrations look)
    from .core.types import include_in_migrations, render_migration_item
    from .extensions import babel, csrf, db, limiter, login_manager, migrate
    from .i18n import INTERFACE_DOMAIN, init_languages, select_locale

    db.init_app(app)
    _watch_idle_connections(app)
    migrate.init_app(app, db, directory=str(ROOT / "migrations"), compare_type=True,
                     render_as_batch=True, render_item=render_migration_item,
                     include_object=include_in_migrations)
    init_languages(app)
    babel.init_app(
        app,
        default_locale=app.config["BABEL_DEFAULT_LOCALE"],
        default_timezone=app.config["BABEL_DEFAULT_TIMEZONE"],
        default_translation_directories=app.config["BABEL_TRANSLATION_DIRECTORIES"],
        locale_selector=select_locale,
    )
    INTERFACE_DOMAIN.install_in_templates(app)
    csrf.init_app(app)
    limiter.init_app(app)
    login_manager.init_app(app)
    login_manager.login_view = "accounts.login"
    login_manager.session_protection = "strong"

    from .accounts.loading import load_signed_in
    from .accounts.passwords import init_password_hashing

    init_password_hashing(app)
    # One query: the account, its roles and its active ban (accounts/loading.py).
    login_manager.user_loader(load_signed_in)


def _watch_idle_connections(app: Flask) -> None:
    from .core.connections import ping_idle_connections
    from .extensions import db

    with app.app_context():
        for engine in db.engines.values():
            ping_idle_connections(engine, float(app.config["DATABASE_PING_AFTER_IDLE_SECONDS"]))


def _register_blueprints(app: Flask) -> None:
    from .accounts.admin import bp as admin_bp
    from .accounts.views import bp as accounts_bp
    from .api.views import bp as api_bp
    from .budgeting.web.routes import bp as budgeting_bp
    from .core.views import bp as core_bp
    from .hearings.routes import bp as hearings_bp
    from .ideas.routes import ideas_bp, notifications_bp, themes_bp
    from .moderation.guard import refuse_writes_from_banned_users
    from .moderation.views import bp as moderation_bp

    for blueprint in (core_bp, accounts_bp, admin_bp, ideas_bp, notifications_bp, themes_bp,
                      budgeting_bp, moderation_bp, api_bp):
        app.register_blueprint(blueprint)
    app.register_blueprint(hearings_bp)
    from .indicators.views import bp as indicators_bp

    app.register_blueprint(indicators_bp)
    app.before_request(refuse_writes_from_banned_users)

    from .budgeting.rounds.moderation_hooks import register_moderated_types as register_proposals
    from .ideas.moderation_hooks import register_moderated_types
    from .moderation import init_moderation

    register_moderated_types(app)  # ideas first: they also give moderation its notifier
    register_proposals(app)
    from .hearings.moderation_hooks import register_moderated_types as register_hearing_answers

    register_hearing_answers(app)
    init_moderation(app)

    from .cli import register_commands

    register_commands(app)

    from .jobs import init_jobs

    init_jobs(app)


def _register_hooks(app: Flask) -> None:
    from werkzeug.middleware.proxy_fix import ProxyFix

    from .core.errors import register_error_handlers
    from .core.pagecache import init_page_cache
    from .core.security import SessionInterface, add_security_headers
    from .templating import init_templating

    if app.config["TRUST_PROXY"]:
        app.wsgi_app = ProxyFix(app.wsgi_app, x_for=1, x_proto=1, x_host=1)
    app.session_interface = SessionInterface()
    app.after_request(add_security_headers)
    register_error_handlers(app)
    init_templating(app)
    init_page_cache(app)
