"""A plugin that owns a table and ships its migration, as an installed package would.

Used by tests/core/test_plugin_migrations.py: ``create_app(plugins=[migrating_plugin])``.
Its revisions live in ``migrations/`` beside this module, as their own Alembic branch.
"""

from __future__ import annotations

from core.plugins import hookimpl

BRANCH = "migrating_plugin"
REVISION = "mp0001_logboek"


@hookimpl
def register_models():
    from tests.support.migrating_plugin.models import Logboekregel

    return [Logboekregel]
