"""The application factory: a fresh AppBuilder and PluginManager per app."""

from __future__ import annotations

from pathlib import Path

import jinja2
from flask import Flask
from flask_appbuilder import AppBuilder
from werkzeug.middleware.proxy_fix import ProxyFix

import config as config_module
from core import headers, health, listeners, logs, page_cache
from core import mail as mail_module
from core import settings as settings_module
from core.builtin.welcome import ScgIndexView
from core.catalogue import cache as catalogue_cache
from core.cli import make_scg_group
from core.extensions import csrf, db, mail, migrate
from core.formatting import register_filters
from core.migrations import MIGRATIONS_DIR, upgrade_database
from core.plugins import build_plugin_manager, plugin_template_dirs
from core.roles import collect_roles
from core.roles_sync import sync_roles
from core.security import ScgSecurityManager
from core.slots import install_slots

ROOT = Path(__file__).resolve().parent.parent


def create_app(config: dict | None = None, plugins: list | tuple = ()) -> Flask:
    """Build the app. ``config`` overrides the environment; ``plugins`` adds plugin modules."""
    core_settings = settings_module.core_settings(config)
    plugins = list(core_settings.get("EXTRA_PLUGINS", [])) + list(plugins)
    pm = build_plugin_manager(plugins, disabled=core_settings.get("DISABLED_PLUGINS", []))
    app = Flask("softwarecatalogus", root_path=str(ROOT / "core"), instance_path=str(config_module.instance_dir()))
    app.config.update(settings_module.build(pm, config))  # plugin defaults < config.py < config
    app.extensions["scg_plugins"] = pm
    app.extensions["scg_roles"] = collect_roles(pm)
    proxies = int(app.config.get("PROXY_FIX") or 0)
    if proxies:
        app.wsgi_app = ProxyFix(app.wsgi_app, x_for=proxies, x_proto=proxies, x_host=proxies)
    logs.install(app)  # level, plain or JSON lines, the request id: core/logs.py

    pm.hook.register_models()

    app.jinja_loader = jinja2.ChoiceLoader(
        [jinja2.FileSystemLoader([str(ROOT / "core" / "templates"), *plugin_template_dirs(pm)])]
    )

    register_filters(app)
    install_slots(app)
    headers.install(app)
    db.init_app(app)
    mail_module.guard_uncommitted(app)  # after db.init_app: runs before the session is removed
    migrate.init_app(app, db, directory=MIGRATIONS_DIR, render_as_batch=True)
    mail.init_app(app)
    csrf.init_app(app)
    listeners.install()  # process-wide, once: core/listeners.py
    catalogue_cache.init_app(app)
    page_cache.install(app)

    with app.app_context():
        if app.config.get("AUTO_MIGRATE", True):
            upgrade_database(app)  # core's chain and each plugin's branch: core/migrations.py
        appbuilder = AppBuilder(security_manager_class=ScgSecurityManager,
                                base_template="scg/base.html", indexview=ScgIndexView)
        appbuilder.init_app(app, db.session)
        pm.hook.register_views(appbuilder=appbuilder)
        pm.hook.register_apis(appbuilder=appbuilder)
        pm.hook.register_menu(appbuilder=appbuilder)
        health.install(app, appbuilder)  # /gezond and /ready: core/health.py
        if app.config.get("AUTO_MIGRATE", True):
            sync_roles(appbuilder, pm)

    scg_group = make_scg_group()
    app.cli.add_command(scg_group)
    pm.hook.register_commands(cli=scg_group)
    return app
