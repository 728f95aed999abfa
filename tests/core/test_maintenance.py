"""ANALYZE after migrations and bulk imports, so that PostgreSQL plans with the real table sizes.

``pg_class.reltuples`` is -1 for a table never analysed (PostgreSQL 14 and later) and the
sampled row count after ANALYZE: what the planner believes.
"""

from __future__ import annotations

import pytest
from sqlalchemy import text

from core import maintenance
from core.catalogue.models import Package
from core.extensions import db
from core.migrations import upgrade_database


def _planner_rows(table: str) -> float:
    with db.engine.connect() as conn:
        return conn.execute(text("SELECT reltuples FROM pg_class WHERE relname = :t"), {"t": table}).scalar()


@pytest.mark.postgres
def test_a_migrated_database_has_planner_statistics(make_app, pg_databases):
    app = make_app(SQLALCHEMY_DATABASE_URI=pg_databases.create())  # a new database: every migration runs
    with app.app_context():
        assert _planner_rows("package") == 0  # analysed (empty), not -1 (never)


@pytest.mark.postgres
def test_a_bulk_change_is_analysed_and_a_small_one_is_not(make_app, pg_databases):
    app = make_app(SQLALCHEMY_DATABASE_URI=pg_databases.create())
    with app.app_context():
        from tests.support.actors import World

        world = World.build(app)
        db.session.execute(Package.__table__.insert(), [
            {"organisation_id": world.supplier.id, "name": f"Pakket {i}", "status": "concept",
             "takeover_pending": False, "public_id": f"00000000-0000-0000-0000-{i:012d}"}
            for i in range(maintenance.BULK_ROWS)])
        db.session.commit()
        assert maintenance.analyze_after_bulk(10) is False
        assert _planner_rows("package") == 0
        assert maintenance.analyze_after_bulk(maintenance.BULK_ROWS) is True
        assert _planner_rows("package") == maintenance.BULK_ROWS
        upgrade_database(app)  # nothing to migrate: no ANALYZE needed (and none run)


def test_on_sqlite_there_is_nothing_to_analyse(app):
    if db.engine.dialect.name != "sqlite":
        pytest.skip("the SQLite case")
    assert maintenance.analyze() is False and maintenance.analyze_after_bulk(10**6) is False
