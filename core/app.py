"""The application factory: a fresh AppBuilder and PluginManager per app."""

from __future__ import annotations

import logging
import os
from pathlib import Path

import jinja2
from flask import Flask
from flask_appbuilder import AppBuilder
from flask_migrate import upgrade
from flask_sqlalchemy.session import Session as FlaskSQLASession
from werkzeug.middleware.proxy_fix import ProxyFix
from werkzeug.utils import import_string

import config as config_module
from core import audit, headers
from core.extensions import csrf, db, mail, migrate
from core.formatting import register_filters
from core.plugins import build_plugin_manager, plugin_template_dirs
from core.roles_sync import sync_roles
from core.builtin.welcome import ScgIndexView
from core.security import ScgSecurityManager

ROOT = Path(__file__).resolve().parent.parent
MIGRATIONS_DIR = str(ROOT / "migrations")


def _secure_cookies_follow_base_url(settings: dict, overrides: dict) -> None:
    """Cookies are Secure when the site is served over https, unless a setting says otherwise."""
    if "SESSION_COOKIE_SECURE" in overrides or os.environ.get("SESSION_COOKIE_SECURE"):
        return
    https = str(settings.get("BASE_URL", "")).startswith("https://")
    settings["SESSION_COOKIE_SECURE"] = settings["REMEMBER_COOKIE_SECURE"] = https


def create_app(config: dict | None = None, plugins: list | tuple = ()) -> Flask:
    """Build the app. ``config`` overrides the environment; ``plugins`` adds plugin modules."""
    settings = config_module.from_env()
    settings.update(config or {})
    _secure_cookies_follow_base_url(settings, config or {})
    app = Flask("softwarecatalogus", root_path=str(ROOT / "core"), instance_path=str(config_module.instance_dir()))
    app.config.update(settings)
    validator = app.config.get("FAB_PASSWORD_COMPLEXITY_VALIDATOR")
    if isinstance(validator, str):  # config names it by dotted path; FAB calls it, so import it
        app.config["FAB_PASSWORD_COMPLEXITY_VALIDATOR"] = import_string(validator)
    if app.config.get("PROXY_FIX"):
        app.wsgi_app = ProxyFix(app.wsgi_app, x_for=1, x_proto=1, x_host=1)
    logging.basicConfig(level=app.config.get("LOG_LEVEL", "INFO"))

    pm = build_plugin_manager(list(app.config.get("EXTRA_PLUGINS", [])) + list(plugins))
    app.extensions["scg_plugins"] = pm
    pm.hook.register_models()

    app.jinja_loader = jinja2.ChoiceLoader(
        [jinja2.FileSystemLoader([str(ROOT / "core" / "templates"), *plugin_template_dirs(pm)])]
    )

    register_filters(app)
    headers.install(app)
    db.init_app(app)
    migrate.init_app(app, db, directory=MIGRATIONS_DIR, render_as_batch=True)
    mail.init_app(app)
    csrf.init_app(app)
    audit.install(FlaskSQLASession)

    with app.app_context():
        if app.config.get("AUTO_MIGRATE", True):
            # "heads": each plugin may keep its own branch of migrations off the core chain.
            upgrade(directory=MIGRATIONS_DIR, revision="heads")
        appbuilder = AppBuilder(security_manager_class=ScgSecurityManager,
                                base_template="scg/base.html", indexview=ScgIndexView)
        appbuilder.init_app(app, db.session)
        pm.hook.register_views(appbuilder=appbuilder)
        pm.hook.register_apis(appbuilder=appbuilder)
        pm.hook.register_menu(appbuilder=appbuilder)
        if app.config.get("AUTO_MIGRATE", True):
            sync_roles(appbuilder, pm)

    from core.cli import scg_group

    app.cli.add_command(scg_group)
    pm.hook.register_commands(cli=scg_group)
    return app
