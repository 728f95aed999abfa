"""``Package.municipality_count`` stays equal to the count from the usage rows after every kind of change.

The public pages read the column (no aggregate over all usage per request), so a stale column
would show a visitor a wrong number: each test changes something and compares every package's
column with the real count, and checks what the package page shows.
"""

from __future__ import annotations

import pytest
from sqlalchemy import insert, select, update

from core.catalogue import merge as catalogue_merge
from core.catalogue.counts import real_counts, recompute_municipality_counts
from core.catalogue.models import Package, Usage
from core.extensions import db
from tests.f011 import factory as f
from tests.support.actors import World, make_org


def columns() -> dict[int, int]:
    db.session.expire_all()
    return dict(db.session.execute(select(Package.id, Package.municipality_count)).all())


def assert_in_step(expected: dict | None = None) -> None:
    stored = columns()
    assert stored == real_counts(db.session.connection())
    if expected:
        for package, n in expected.items():
            assert stored[package.id] == n, package.name


def shown(client, package) -> str:
    page = client.get(f"/catalogus/pakketten/{package.public_id}").get_data(as_text=True)
    return page


def test_adding_ending_and_deleting_usage_keeps_the_count(app, world, client):
    a = f.package(world.supplier, "Pakket A")
    b = f.package(world.supplier, "Pakket B")
    assert_in_step({a: 0, b: 0})
    u1 = f.usage(world.gemeente, a)
    u2 = f.usage(world.other_gemeente, a, status="gepland")
    assert_in_step({a: 2, b: 0})
    assert "<strong>2</strong> gemeenten" in shown(client, a)

    u2.status = "uitgefaseerd"  # ended: no longer counts
    db.session.commit()
    assert_in_step({a: 1})
    u2.status = "in_productie"  # back in use
    db.session.commit()
    assert_in_step({a: 2})

    u1.package_id = b.id  # moved to another package
    db.session.commit()
    assert_in_step({a: 1, b: 1})

    db.session.delete(u2)
    db.session.commit()
    assert_in_step({a: 0, b: 1})
    assert "<strong>0</strong> gemeenten" in shown(client, a)


def test_a_usage_by_a_non_municipality_never_counts_and_an_org_type_change_recounts(app, world):
    a = f.package(world.supplier, "Pakket A")
    samenwerking = make_org("Samen Sterk", "samenwerking")
    f.usage(samenwerking, a)
    f.usage(world.gemeente, a)
    assert_in_step({a: 1})
    samenwerking.type = "gemeente"
    db.session.commit()
    assert_in_step({a: 2})
    world.gemeente.type = "samenwerking"
    db.session.commit()
    assert_in_step({a: 1})


def test_deleting_a_municipality_recounts_its_packages(app, world):
    a = f.package(world.supplier, "Pakket A")
    f.usage(world.gemeente, a)
    other = make_org("Gemeente Weg", "gemeente")
    f.usage(other, a)
    assert_in_step({a: 2})
    db.session.delete(db.session.get(type(other), other.id))
    db.session.commit()
    assert_in_step({a: 1})


def test_merge_moves_the_duplicates_municipalities_to_the_survivor(app, world):
    survivor = f.package(world.supplier, "Survivor")
    duplicate = f.package(world.supplier, "Duplicate")
    third = make_org("Gemeente Drie", "gemeente")
    f.usage(world.gemeente, survivor)
    f.usage(world.gemeente, duplicate)  # the same municipality: counted once
    f.usage(world.other_gemeente, duplicate)
    f.usage(third, duplicate, status="uitgefaseerd")
    assert_in_step({survivor: 1, duplicate: 2})
    catalogue_merge.merge(survivor.id, duplicate.id)
    db.session.commit()
    assert_in_step({survivor: 2})


def test_bulk_statements_are_recounted_by_the_recompute_function(app, world):
    a = f.package(world.supplier, "Pakket A")
    b = f.package(world.supplier, "Pakket B")
    db.session.execute(insert(Usage).values(organisation_id=world.gemeente.id, package_id=a.id,
                                            status="in_productie", public_id="bulk-usage-1"))
    db.session.execute(insert(Usage).values(organisation_id=world.other_gemeente.id, package_id=b.id,
                                            status="in_productie", public_id="bulk-usage-2"))
    recompute_municipality_counts([a.id])
    db.session.commit()
    assert columns()[a.id] == 1
    assert columns()[b.id] == 0  # not named: not recounted
    recompute_municipality_counts()
    db.session.commit()
    assert_in_step({a: 1, b: 1})
    db.session.execute(update(Usage).values(status="uitgefaseerd"))
    recompute_municipality_counts()
    db.session.commit()
    assert_in_step({a: 0, b: 0})


def test_search_sorts_and_the_api_reports_from_the_column(app, world, client):
    a = f.package(world.supplier, "Aaa")
    b = f.package(world.supplier, "Bbb")
    f.usage(world.gemeente, b)
    f.usage(world.other_gemeente, b)
    f.usage(world.gemeente, a)
    page = client.get("/catalogus/?sort=gemeenten").get_data(as_text=True)
    assert page.index("Bbb") < page.index("Aaa")
    resp = client.get(f"/api/v1/catalogus/pakketten/{b.id}")
    assert resp.json["result"]["municipality_count"] == 2


@pytest.mark.postgres
def test_two_municipalities_adding_usage_at_once_are_both_counted(make_app, pg_databases):
    """Each transaction recounts from the usage it can see: the second waits for the first and counts both."""
    import threading
    import time

    url = pg_databases.create()
    apps = [make_app(SQLALCHEMY_DATABASE_URI=url) for _ in range(2)]
    with apps[0].app_context():
        world = World.build(apps[0])
        package_id = f.package(world.supplier, "Gedeeld").id
        gemeenten = [world.gemeente.id, world.other_gemeente.id]
    first_flushed = threading.Event()
    errors = []

    def add(index):
        try:
            with apps[index].app_context():
                if index == 1:
                    first_flushed.wait(10)
                db.session.add(Usage(organisation_id=gemeenten[index], package_id=package_id, status="in_productie"))
                db.session.flush()  # the second blocks here until the first commits
                if index == 0:
                    first_flushed.set()
                    time.sleep(0.5)  # keep the first transaction open while the second recounts
                db.session.commit()
        except Exception as exc:  # noqa: BLE001 - reported below
            errors.append(exc)

    threads = [threading.Thread(target=add, args=(i,)) for i in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)
    assert not errors
    with apps[0].app_context():
        assert db.session.get(Package, package_id).municipality_count == 2
        assert real_counts(db.session.connection(), [package_id]) == {package_id: 2}


def test_the_migration_fills_the_column_from_the_usage_rows(make_app, request, tmp_path):
    """A database of before the column: after the upgrade every package has its real count."""
    from flask import Flask
    from flask_migrate import upgrade
    from sqlalchemy.pool import NullPool

    from core.extensions import migrate
    from core.migrations import MIGRATIONS_DIR
    from core.models import Organisation
    from tests.support.databases import backend

    url = (request.getfixturevalue("pg_databases").create() if backend() == "postgres"
           else f"sqlite:///{tmp_path / 'voor.db'}")
    old = Flask("voor")
    old.config.update(SQLALCHEMY_DATABASE_URI=url, SQLALCHEMY_ENGINE_OPTIONS={"poolclass": NullPool})
    db.init_app(old)
    migrate.init_app(old, db, directory=MIGRATIONS_DIR, render_as_batch=True)
    with old.app_context():
        upgrade(directory=MIGRATIONS_DIR, revision="0011_gemma_element_identifier")
        conn = db.session.connection()
        org = Organisation.__table__

        def organisation(name, type_):
            return conn.execute(org.insert().values(name=name, type=type_, status="goedgekeurd")
                                ).inserted_primary_key[0]

        supplier = organisation("Bestaand BV", "leverancier")
        towns = [organisation(f"Gemeente {i}", "gemeente") for i in range(3)]
        samen = organisation("Samen", "samenwerking")
        package_ids = []
        for name in ("Veel", "Geen"):
            package_ids.append(conn.execute(Package.__table__.insert().values(
                organisation_id=supplier, name=name, status="gepubliceerd", public_id=f"pkg-{name}")
            ).inserted_primary_key[0])
        many, none = package_ids
        for i, (who, status) in enumerate([(towns[0], "in_productie"), (towns[1], "gepland"),
                                           (towns[2], "uitgefaseerd"), (samen, "in_productie")]):
            conn.execute(Usage.__table__.insert().values(organisation_id=who, package_id=many, status=status,
                                                         public_id=f"usage-{i}"))
        db.session.commit()
        db.session.remove()
    app = make_app(SQLALCHEMY_DATABASE_URI=url)
    with app.app_context():
        assert columns() == {many: 2, none: 0}
