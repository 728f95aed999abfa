"""Migrations: core's chain in ``migrations/versions`` plus one Alembic branch per plugin.

A plugin that owns tables ships their migrations in a ``migrations/`` folder beside its
plugin module (``plugins/f0NN_name/migrations/``, or inside an installed package). The app
factory collects those folders as Alembic ``version_locations`` (the configure callback
below sets them on every Alembic config Flask-Migrate builds, for the app that is current),
so ``upgrade(revision="heads")`` at start and ``flask db ...`` see core's revisions and
those of the plugins this app loads, and only those.

A plugin's first revision has ``down_revision = None``, ``branch_labels = ("<name>",)``
and ``depends_on`` the core revision whose tables it needs; see docs/plugins.md.
"""

from __future__ import annotations

import os
from pathlib import Path
from types import ModuleType

from alembic.config import Config as AlembicConfig
from alembic.script import ScriptDirectory
from flask import current_app, has_app_context
from flask_migrate import upgrade
from sqlalchemy import inspect, text

from core.extensions import db, migrate

ROOT = Path(__file__).resolve().parent.parent
MIGRATIONS_DIR = str(ROOT / "migrations")
CORE_VERSIONS = str(ROOT / "migrations" / "versions")


class UnknownRevisionsError(RuntimeError):
    """The database holds revisions that neither core nor an installed plugin provides."""


def version_locations(pm) -> list[str]:
    """Core's versions folder, then the ``migrations/`` folder of each registered plugin that has one."""
    locations = [CORE_VERSIONS]
    for plugin in pm.get_plugins():
        if isinstance(plugin, ModuleType) and getattr(plugin, "__file__", None):
            folder = Path(plugin.__file__).resolve().parent / "migrations"
            if folder.is_dir() and str(folder) not in locations:
                locations.append(str(folder))
    return locations


def configure(config: AlembicConfig, pm) -> AlembicConfig:
    """Point ``config`` at core's and ``pm``'s plugins' revisions."""
    config.set_main_option("path_separator", "os")
    config.set_main_option("version_locations", os.pathsep.join(version_locations(pm)))
    return config


@migrate.configure
def _configure_for_current_app(config: AlembicConfig) -> AlembicConfig:
    # Flask-Migrate calls this for every Alembic config it builds (upgrade at start, ``flask db``),
    # always inside the app's context; ``migrate`` is shared by all apps, the plugins are not.
    if has_app_context() and "scg_plugins" in current_app.extensions:
        return configure(config, current_app.extensions["scg_plugins"])
    return config


def alembic_config(app) -> AlembicConfig:
    """An Alembic config for ``app``: core's migrations and those of the app's plugins."""
    config = AlembicConfig(os.path.join(MIGRATIONS_DIR, "alembic.ini"))
    config.set_main_option("script_location", MIGRATIONS_DIR)
    return configure(config, app.extensions["scg_plugins"])


def database_revisions(connection) -> set[str]:
    """The revisions the database says it is at (empty for a new database)."""
    if not inspect(connection).has_table("alembic_version"):
        return set()
    return set(connection.execute(text("SELECT version_num FROM alembic_version")).scalars())


def check_database_revisions(app, connection=None) -> None:
    """Stop the start when the database is at revisions this app does not know.

    That happens when a plugin whose migrations ran on this database is not installed now:
    Alembic would fail with "Can't locate revision"; this says what to do instead. Without
    ``connection`` it uses the app's engine (inside an app context).
    """
    if connection is None:
        with db.engine.connect() as own:
            return check_database_revisions(app, own)
    script = ScriptDirectory.from_config(alembic_config(app))
    known = {rev.revision for rev in script.walk_revisions()}
    unknown = sorted(database_revisions(connection) - known)
    if unknown:
        raise UnknownRevisionsError(
            f"The database holds migration revision(s) {', '.join(unknown)} that neither core nor any "
            "installed plugin provides. A plugin whose tables are in this database is probably no longer "
            "installed: install it again (or add it to EXTRA_PLUGINS), or, to remove it for good, first "
            "downgrade its branch with that plugin installed (flask db downgrade <label>@base)."
        )


def upgrade_database(app) -> None:
    """Bring the database to every head (core's chain and each plugin branch); inside an app context."""
    from core.maintenance import analyze

    check_database_revisions(app)
    before = _revisions_now()
    upgrade(directory=MIGRATIONS_DIR, revision="heads")
    if _revisions_now() != before:
        analyze()  # new tables and columns, rows moved by data migrations: statistics the planner can use


def _revisions_now() -> set[str]:
    with db.engine.connect() as conn:
        return database_revisions(conn)
