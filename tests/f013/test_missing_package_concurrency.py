"""Two municipalities name the same missing supplier and package at the same moment (PostgreSQL).

Each request looks first and finds nothing; the unique indexes on a concept's name make the
second insert wait for the first and then take the first one's concept: one concept supplier,
one concept package, and the second municipality told the package is there already.
"""

from __future__ import annotations

import threading
import time

import pytest
from sqlalchemy import event

from core.catalogue.models import Package
from core.extensions import db
from core.models import Organisation, ScgUser
from tests.f013.conftest import logged_in
from tests.support.actors import World, csrf_token

pytestmark = pytest.mark.postgres

PATH = "/pakketaanmeldingen/aanmelden"


def _slow_insert(conn, clauseelement, multiparams, params, execution_options, result):
    """After inserting a concept, keep the transaction open a moment so that the other request overlaps."""
    if getattr(clauseelement, "is_insert", False) and clauseelement.table.name in ("organisation", "package"):
        time.sleep(0.4)


def test_two_municipalities_naming_the_same_missing_package_at_once_get_one_concept(make_app, pg_databases):
    url = pg_databases.create()
    apps = [make_app(SQLALCHEMY_DATABASE_URI=url) for _ in range(2)]
    with apps[0].app_context():
        world = World.build(apps[0])
        user_ids = [world.users["gebruik"].id, world.users["gebruik_other"].id]
    clients, tokens = [], []
    for app, user_id in zip(apps, user_ids, strict=True):
        with app.app_context():
            event.listen(db.engine, "after_execute", _slow_insert)
            client = logged_in(app, db.session.get(ScgUser, user_id))
            clients.append(client)
            tokens.append(csrf_token(client, PATH))

    barrier = threading.Barrier(2)
    answers = [None, None]

    def register(index):
        with apps[index].app_context():
            barrier.wait()
            resp = clients[index].post(PATH, data={
                "csrf_token": tokens[index], "supplier": "0", "new_supplier": "Gemeentesoft BV",
                "name": "Raadsinformatie", "short_description": "", "website": ""})
            answers[index] = (resp.status_code, resp.get_data(as_text=True))

    threads = [threading.Thread(target=register, args=(i,)) for i in range(2)]
    try:
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join(timeout=30)
    finally:
        for app in apps:
            with app.app_context():
                event.remove(db.engine, "after_execute", _slow_insert)

    assert sorted(status for status, _ in answers) == [302, 400], [a[0] for a in answers]
    refused = next(text for status, text in answers if status == 400)
    assert "Gemeentesoft BV heeft al een pakket met deze naam in de catalogus." in refused
    with apps[0].app_context():
        suppliers = db.session.query(Organisation).filter(Organisation.name == "Gemeentesoft BV").all()
        assert [s.status for s in suppliers] == ["concept"]
        packages = db.session.query(Package).filter(Package.name == "Raadsinformatie").all()
        assert [p.organisation_id for p in packages] == [suppliers[0].id]
