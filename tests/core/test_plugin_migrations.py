"""Plugins ship their own migrations (core/migrations.py): a plugin package's ``migrations/``
folder is its own Alembic branch, collected at start; existing databases upgrade without loss.

Run on SQLite and, with SCG_TEST_DB=postgres, on PostgreSQL.
"""

from __future__ import annotations

import pytest
from alembic.migration import MigrationContext
from alembic.script import ScriptDirectory
from flask import Flask
from flask_migrate import upgrade
from sqlalchemy import MetaData, create_engine, inspect, select
from sqlalchemy.pool import NullPool

from core.catalogue.models import Package
from core.extensions import db, migrate
from core.migrations import CORE_VERSIONS, MIGRATIONS_DIR, UnknownRevisionsError, alembic_config, version_locations
from core.models import Organisation
from core.plugins import build_plugin_manager
from tests.core.test_roles_seed_migrations import migration_diff
from tests.support import migrating_plugin
from tests.support.databases import backend
from tests.support.migrating_plugin.models import Logboekregel

#: The head of core's chain before plugins had their own branches (branch ``integ``): databases
#: in use are at this revision.
TODAY_HEAD = "0005_catalogue"
PLUGIN_TABLE = "migrating_plugin_logboekregel"


def default_heads() -> set[str]:
    """The heads of core's chain and of the default plugins' branches, as the code stands now."""
    from alembic.config import Config as AlembicConfig

    from core.migrations import configure

    config = AlembicConfig()
    config.set_main_option("script_location", MIGRATIONS_DIR)
    return set(ScriptDirectory.from_config(configure(config, build_plugin_manager())).get_heads())


@pytest.fixture
def empty_database_url(request, tmp_path):
    if backend() == "postgres":
        return request.getfixturevalue("pg_databases").create()
    return f"sqlite:///{tmp_path / 'leeg.db'}"


def _heads_in_database(url) -> set[str]:
    engine = create_engine(url, poolclass=NullPool)
    try:
        with engine.connect() as conn:
            return set(MigrationContext.configure(conn).get_current_heads())
    finally:
        engine.dispose()


def _tables(url) -> set[str]:
    engine = create_engine(url, poolclass=NullPool)
    try:
        with engine.connect() as conn:
            return set(inspect(conn).get_table_names())
    finally:
        engine.dispose()


def _domain_rows(url) -> dict[str, list]:
    """Every row of every table except FAB's security tables and Alembic's bookkeeping."""
    engine = create_engine(url, poolclass=NullPool)
    try:
        meta = MetaData()
        meta.reflect(engine)
        with engine.connect() as conn:
            # rows as (column, value) pairs, so that columns a later revision adds can be left out
            return {name: sorted((tuple(row._mapping.items()) for row in conn.execute(select(table)).all()),
                                 key=repr)
                    for name, table in meta.tables.items()
                    if not name.startswith("ab_") and name != "alembic_version"}
    finally:
        engine.dispose()


def _database_of_today(url) -> None:
    """A database as the app before this change left it: core's chain up to TODAY_HEAD, with data."""
    old = Flask("vandaag")
    old.config.update(SQLALCHEMY_DATABASE_URI=url, SQLALCHEMY_ENGINE_OPTIONS={"poolclass": NullPool})
    db.init_app(old)
    migrate.init_app(old, db, directory=MIGRATIONS_DIR, render_as_batch=True)
    with old.app_context():
        upgrade(directory=MIGRATIONS_DIR, revision=TODAY_HEAD)
        # (Core inserts naming their columns, not the ORM: the models have the columns of later
        # revisions, e.g. 0008's, and the ORM's flush listeners would read them)
        supplier_id = db.session.execute(Organisation.__table__.insert().values(
            name="Bestaand BV", type="leverancier", status="goedgekeurd")).inserted_primary_key[0]
        db.session.execute(Package.__table__.insert().values(organisation_id=supplier_id, name="Bestaand Pakket",
                                                             status="gepubliceerd"))
        db.session.commit()
        db.session.remove()


def test_version_locations_are_core_then_each_plugin_with_a_migrations_folder():
    defaults = version_locations(build_plugin_manager())
    assert defaults[0] == CORE_VERSIONS
    # then the default plugins that ship a branch of their own (F010 Lidmaatschap, F013 Gebruik, ...)
    assert defaults[1:] and all("/plugins/" in p and p.endswith("/migrations") for p in defaults[1:])
    locations = version_locations(build_plugin_manager([migrating_plugin]))
    assert locations[0] == CORE_VERSIONS and len(locations) == len(defaults) + 1
    [extra] = set(locations) - set(defaults)
    assert extra.endswith("tests/support/migrating_plugin/migrations")


def test_a_plugin_package_creates_its_table_through_its_own_branch(make_app, empty_database_url):
    app = make_app(SQLALCHEMY_DATABASE_URI=empty_database_url, plugins=[migrating_plugin])
    script = ScriptDirectory.from_config(alembic_config(app))
    assert set(script.get_heads()) == default_heads() | {migrating_plugin.REVISION}
    assert _heads_in_database(empty_database_url) == default_heads() | {migrating_plugin.REVISION}
    assert PLUGIN_TABLE in _tables(empty_database_url)
    assert migration_diff(app, empty_database_url) == []  # the plugin's migration matches its model
    with app.app_context():
        org = Organisation(name="Logboekdorp", type="gemeente", status="goedgekeurd")
        db.session.add(org)
        db.session.flush()
        db.session.add(Logboekregel(organisation_id=org.id, tekst="Eerste regel"))
        db.session.commit()
        assert db.session.scalars(select(Logboekregel.tekst)).all() == ["Eerste regel"]


def test_a_database_of_today_upgrades_without_loss(make_app, empty_database_url):
    _database_of_today(empty_database_url)
    assert _heads_in_database(empty_database_url) == {TODAY_HEAD}
    tables_before, rows_before = _tables(empty_database_url), _domain_rows(empty_database_url)
    assert rows_before["package"] and rows_before["organisation"]

    make_app(SQLALCHEMY_DATABASE_URI=empty_database_url)  # the app with this change, default plugins
    assert _heads_in_database(empty_database_url) == default_heads()
    tables_now = _tables(empty_database_url)
    assert tables_now >= tables_before  # later revisions may add tables, never drop one
    rows_now = _domain_rows(empty_database_url)
    # (columns added since TODAY_HEAD, nullable, are not compared)
    old = {name: {col for row in rows for col, _ in row} for name, rows in rows_before.items()}
    assert {name: [tuple(p for p in row if p[0] in old[name]) for row in rows_now[name]]
            for name in rows_before} == rows_before

    app = make_app(SQLALCHEMY_DATABASE_URI=empty_database_url, plugins=[migrating_plugin])
    assert _heads_in_database(empty_database_url) == default_heads() | {migrating_plugin.REVISION}
    assert _tables(empty_database_url) == tables_now | {PLUGIN_TABLE}
    assert _domain_rows(empty_database_url) == {**rows_now, PLUGIN_TABLE: []}
    with app.app_context():
        assert db.session.scalars(select(Package.name)).all() == ["Bestaand Pakket"]


def test_a_database_with_revisions_of_a_plugin_that_is_gone_stops_the_start(make_app, empty_database_url):
    make_app(SQLALCHEMY_DATABASE_URI=empty_database_url, plugins=[migrating_plugin])
    with pytest.raises(UnknownRevisionsError, match="mp0001_logboek .*install it again"):
        make_app(SQLALCHEMY_DATABASE_URI=empty_database_url)
    assert PLUGIN_TABLE in _tables(empty_database_url)  # nothing was dropped
