"""Start-up: migrations on an empty database, roles synced, municipalities loaded idempotently."""

from __future__ import annotations

import pytest
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from alembic.script import ScriptDirectory
from flask import current_app
from flask_appbuilder import Model
from sqlalchemy import create_engine, inspect, select

from core.extensions import db
from core.migrations import alembic_config
from core.models import Organisation
from core.roles import AANBOD_BEHEERDER, FUNCTIONEEL_BEHEERDER, GEBRUIK_RAADPLEGER, ROLES, VNG_RAADPLEGER
from tests.support.databases import backend


def _perms(role_name: str) -> set[tuple[str, str]]:
    role = current_app.appbuilder.sm.find_role(role_name)
    db.session.refresh(role)
    return {(p.permission.name, p.view_menu.name) for p in role.permissions}


# --------------------------------------------------------------------------- roles
def test_every_domain_role_exists_with_exactly_its_grants(app):
    from core.roles_sync import collect_grants

    grants = collect_grants(app.extensions["scg_plugins"])
    for name in ROLES:
        assert current_app.appbuilder.sm.find_role(name) is not None, name
        if name != FUNCTIONEEL_BEHEERDER:
            assert _perms(name) == grants[name], name
    assert ("can_edit", "Organisation") in _perms(AANBOD_BEHEERDER)
    assert ("can_edit", "Organisation") not in _perms(GEBRUIK_RAADPLEGER)
    assert not {p for p in _perms(VNG_RAADPLEGER) if p[0] in ("can_edit", "can_add", "can_delete", "can_put",
                                                                "can_post")}
    assert ("can_list", "AuditLog") in _perms(FUNCTIONEEL_BEHEERDER)
    assert ("can_list", "AuditLog") not in _perms(VNG_RAADPLEGER)


def test_sync_roles_command_repairs_drift(app):
    sm = current_app.appbuilder.sm
    role = sm.find_role(GEBRUIK_RAADPLEGER)
    sm.add_permission_role(role, sm.add_permission_view_menu("can_delete", "Organisation"))
    sm.del_permission_role(role, sm.find_permission_view_menu("can_list", "Organisation"))
    assert ("can_delete", "Organisation") in _perms(GEBRUIK_RAADPLEGER)

    result = app.test_cli_runner().invoke(args=["scg", "sync-roles"])
    assert result.exit_code == 0, result.output
    assert f"{GEBRUIK_RAADPLEGER}:" in result.output
    perms = _perms(GEBRUIK_RAADPLEGER)
    assert ("can_delete", "Organisation") not in perms and ("can_list", "Organisation") in perms


def test_roles_are_synced_at_start(make_app):
    app = make_app()
    with app.app_context():
        sm = app.appbuilder.sm
        role = sm.find_role(AANBOD_BEHEERDER)
        role.permissions = []
        db.session.commit()
    app = make_app()  # a restart on the same database
    with app.app_context():
        assert ("can_edit", "Organisation") in _perms(AANBOD_BEHEERDER)


# --------------------------------------------------------------------------- seed
def test_seed_loads_the_342_municipalities_once(app):
    runner = app.test_cli_runner()
    result = runner.invoke(args=["scg", "seed"])
    assert result.exit_code == 0, result.output
    gemeenten = db.session.query(Organisation).filter_by(type="gemeente")
    assert gemeenten.count() == 342
    assert gemeenten.filter(Organisation.status != "goedgekeurd").count() == 0
    amsterdam = gemeenten.filter_by(name="Amsterdam").one()
    assert (amsterdam.cbs_code, amsterdam.gm_code) == ("0363", "GM0363")

    table = Organisation.__table__
    with db.engine.connect() as conn:
        before = conn.execute(select(table).order_by(table.c.id)).all()
    result = runner.invoke(args=["scg", "seed"])
    assert result.exit_code == 0, result.output
    with db.engine.connect() as conn:
        after = conn.execute(select(table).order_by(table.c.id)).all()
    assert after == before


def test_seed_updates_a_renamed_municipality(app):
    from core.builtin.gemeenten import load_gemeenten

    load_gemeenten()
    org = db.session.query(Organisation).filter_by(cbs_code="0363").one()
    org.name = "Oude Naam"
    db.session.commit()
    counts = load_gemeenten()
    assert counts == {"toegevoegd": 0, "bijgewerkt": 1, "ongewijzigd": 341}
    db.session.expire_all()
    assert db.session.query(Organisation).filter_by(cbs_code="0363").one().name == "Amsterdam"


# --------------------------------------------------------------------------- migrations
@pytest.fixture
def empty_database_url(request, tmp_path):
    if backend() == "postgres":
        return request.getfixturevalue("pg_databases").create()
    return f"sqlite:///{tmp_path / 'leeg.db'}"


def _model_tables(app) -> set[str]:
    """Tables of every model a plugin registers, plus FAB's security tables."""
    tables = {t.name for t in Model.metadata.sorted_tables if t.name.startswith("ab_")}
    for models in app.extensions["scg_plugins"].hook.register_models():
        tables.update(m.__table__.name for m in models or [])
    return tables


def test_app_starts_on_an_empty_database_through_alembic(make_app, empty_database_url):
    app = make_app(SQLALCHEMY_DATABASE_URI=empty_database_url)
    # each plugin may keep its own branch: the database is at every head. A head that a
    # plugin's branch depends on (core's 0005_catalogue) is not stored itself: the
    # plugin's revision stands for it, so every head must be reached from the stored ones.
    script = ScriptDirectory.from_config(alembic_config(app))
    heads = set(script.get_heads())
    engine = create_engine(empty_database_url)
    try:
        with engine.connect() as conn:
            current = set(MigrationContext.configure(conn).get_current_heads())
            reached = {rev.revision for head in current for rev in script.iterate_revisions(head, "base")}
            assert current <= heads and heads <= reached
            existing = set(inspect(conn).get_table_names())
        assert "alembic_version" in existing
        assert _model_tables(app) <= existing
    finally:
        engine.dispose()


def migration_diff(app, url: str) -> list:
    """What autogenerate would put in a new migration for this app's registered models."""
    wanted = _model_tables(app)

    def include(obj, name, type_, reflected, compare_to):
        # every registered table, and any table in the database that no model claims
        return type_ != "table" or name in wanted or reflected

    engine = create_engine(url)
    try:
        with engine.connect() as conn:
            ctx = MigrationContext.configure(conn, opts={"compare_type": True, "include_object": include})
            return compare_metadata(ctx, Model.metadata)
    finally:
        engine.dispose()


def test_migrations_match_the_models(make_app, empty_database_url):
    """A model change without a migration fails here: autogenerate must find nothing to do."""
    app = make_app(SQLALCHEMY_DATABASE_URI=empty_database_url)
    diff = migration_diff(app, empty_database_url)
    assert diff == [], "models and migrations differ; add a migration:\n" + "\n".join(map(str, diff))


def test_every_model_in_core_and_plugins_is_registered(app):
    """A model that no plugin returns from register_models is invisible to the migration check."""
    registered = _model_tables(app)
    owned = {m.class_.__table__.name for m in Model.registry.mappers
             if m.class_.__module__.split(".")[0] in ("core", "plugins") and hasattr(m.class_, "__table__")}
    assert owned - registered == set()
