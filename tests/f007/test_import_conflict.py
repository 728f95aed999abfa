"""Two colleagues confirm an import of the same file at the same moment: its new rows come once.

Each saw the preview "1 nieuw". The first confirmation applies it; the second is refused with
a Dutch message and changes nothing, because another import was applied after its preview.
On PostgreSQL both confirm in two threads at once: the row lock on the organisation makes the
second wait for the first and then see it.
"""

from __future__ import annotations

import threading

import pytest

from core.catalogue.models import Package
from core.extensions import db
from core.models import AuditLog, ScgUser
from core.roles import AANBOD_BEHEERDER
from tests.f007.conftest import column_of, save, workbook
from tests.f007.test_pages import export, step, upload
from tests.support.actors import World, login, make_user

CONFLICT = "Er is intussen een andere import voor uw organisatie uitgevoerd"


def _previews(clients):
    """Each client uploads the same workbook with one new package and sees its preview."""
    book = workbook(export(clients[0]).data)
    sheet = book["Pakketten"]
    row = sheet.max_row + 1
    sheet.cell(row, column_of(sheet, "Pakket Naam")).value = "Burgerzaken Nieuw"
    data = save(book)
    pages = [upload(c, data).get_data(as_text=True) for c in clients]
    for page in pages:
        assert 'id="aantal-nieuw">1<' in page, page[:2000]
    return pages


def _new_packages():
    db.session.expire_all()
    return db.session.query(Package).filter_by(name="Burgerzaken Nieuw").count()


def test_the_second_confirmation_after_the_first_is_refused_and_changes_nothing(app, world, suppliers):
    colleague = make_user("kees@ictsolutions.example", AANBOD_BEHEERDER, world.supplier)
    clients = [app.test_client(), app.test_client()]
    login(clients[0], world.users["aanbod"])
    login(clients[1], colleague)
    pages = _previews(clients)

    first = step(clients[0], pages[0], "/uitwisseling/bevestigen")
    assert first.location.endswith("/uitwisseling/resultaat")
    second = step(clients[1], pages[1], "/uitwisseling/bevestigen")
    assert second.status_code == 302 and second.location.endswith("/uitwisseling/")
    assert CONFLICT in clients[1].get("/uitwisseling/").get_data(as_text=True)
    assert _new_packages() == 1
    assert db.session.query(AuditLog).filter_by(action="import", result="gelukt").count() == 1

    # Uploading again shows what is left to do: the package is there, nothing new.
    again = upload(clients[1], save(workbook(export(clients[1]).data))).get_data(as_text=True)
    assert 'id="aantal-nieuw">0<' in again


def test_another_organisations_import_does_not_stand_in_the_way(app, world, suppliers):
    mine, theirs = app.test_client(), app.test_client()
    login(mine, world.users["aanbod"])
    login(theirs, world.users["aanbod_other"])
    [page] = _previews([mine])
    other_page = upload(theirs, save(workbook(export(theirs).data))).get_data(as_text=True)
    assert step(theirs, other_page, "/uitwisseling/bevestigen").location.endswith("/uitwisseling/resultaat")
    assert step(mine, page, "/uitwisseling/bevestigen").location.endswith("/uitwisseling/resultaat")
    assert _new_packages() == 1


@pytest.mark.postgres
def test_two_confirmations_at_the_same_moment_apply_once(make_app, pg_databases):
    url = pg_databases.create()
    apps = [make_app(SQLALCHEMY_DATABASE_URI=url) for _ in range(2)]
    with apps[0].app_context():
        world = World.build(apps[0])
        from tests.f007.conftest import offering

        offering(world.supplier)
        db.session.commit()
        ids = [world.users["aanbod"].id,
               make_user("kees@ictsolutions.example", AANBOD_BEHEERDER, world.supplier).id]
    clients, pages = [], []
    for app, user_id in zip(apps, ids, strict=True):
        with app.app_context():
            client = app.test_client()
            login(client, db.session.get(ScgUser, user_id))
            clients.append(client)
    with apps[0].app_context():
        pages = _previews(clients)

    barrier = threading.Barrier(2)
    answers = [None, None]

    def confirm(index):
        with apps[index].app_context():
            barrier.wait()
            answers[index] = step(clients[index], pages[index], "/uitwisseling/bevestigen").location

    threads = [threading.Thread(target=confirm, args=(i,)) for i in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)

    assert sorted(a.rsplit("/uitwisseling", 1)[1] for a in answers) == ["/", "/resultaat"], answers
    with apps[0].app_context():
        assert _new_packages() == 1
