"""F002 public supplier pages: only approved suppliers, for anyone; the list in a fixed number of queries."""

from __future__ import annotations

from sqlalchemy import event

from core.extensions import db
from core.models import OrganisationStatus
from plugins.f002_organisatie.models import OrganisationProfile
from tests.support.actors import make_org


def test_public_page_only_for_approved_suppliers(app, world, client):
    resp = client.get(f"/leveranciers/{world.supplier.id}")
    assert resp.status_code == 200
    page = resp.get_data(as_text=True)
    assert page.count("<h1") == 1 and "ICT Solutions BV" in page and "info@ictsolutions.example" in page
    assert client.get(f"/leveranciers/{world.gemeente.id}").status_code == 404
    assert client.get("/leveranciers/999999").status_code == 404
    for status in (OrganisationStatus.aangemeld, OrganisationStatus.bevestigd, OrganisationStatus.afgewezen):
        pending = make_org(f"Nieuw {status.value} BV", status=status.value)
        assert client.get(f"/leveranciers/{pending.id}").status_code == 404
        assert f"Nieuw {status.value} BV" not in client.get("/leveranciers/").get_data(as_text=True)


def test_public_list_shows_approved_suppliers_only(app, world, client):
    page = client.get("/leveranciers/").get_data(as_text=True)
    assert "ICT Solutions BV" in page and "Concurrent BV" in page
    assert "Voorbeeldstad" not in page and "VNG Realisatie" not in page
    assert page.count("<h1") == 1


def test_public_list_has_no_n_plus_one(app, world, client):
    def count_queries() -> int:
        statements = []

        def before(conn, cursor, statement, *args):
            statements.append(statement)

        event.listen(db.engine, "before_cursor_execute", before)
        try:
            assert client.get("/leveranciers/").status_code == 200
        finally:
            event.remove(db.engine, "before_cursor_execute", before)
        return len(statements)

    few = count_queries()
    for n in range(15):
        org = make_org(f"Extra leverancier {n}")
        db.session.add(OrganisationProfile(organisation_id=org.id, city=f"Plaats {n}"))
    db.session.commit()
    assert count_queries() == few
