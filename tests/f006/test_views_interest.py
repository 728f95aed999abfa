"""Pt 1: package page views attributed to gemeenten and samenwerkingen, one per organisation per day;
others only in totals; the supplier's own staff, VNG and bots not at all. "Interesse tonen"."""

from __future__ import annotations

import re

from sqlalchemy import func, select

from core.extensions import db
from plugins.f006_inzichten.models import Interest, Notification, ViewDay, ViewTotal
from tests.f006.conftest import logged_in, view
from tests.support.actors import csrf_token


def counts(app, package):
    with app.app_context():
        days = db.session.scalars(select(ViewDay.viewer_id).where(ViewDay.package_id == package.id)).all()
        total = db.session.scalar(select(func.sum(ViewTotal.hits)).where(ViewTotal.package_id == package.id))
        return sorted(days), total or 0


def test_a_gemeente_counts_once_a_day_and_others_only_in_totals(app, world, catalogue):
    zaak = catalogue["zaak"]
    gemeente = logged_in(app, world.users["gebruik"])
    colleague = logged_in(app, world.users["raadpleger"])
    for _ in range(3):
        view(gemeente, zaak)
    view(colleague, zaak)  # same organisation, same day: still once
    assert counts(app, zaak) == ([world.gemeente.id], 0)

    view(app.test_client(), zaak)  # anonymous visitor
    view(logged_in(app, world.users["aanbod_other"]), zaak)  # another supplier
    assert counts(app, zaak) == ([world.gemeente.id], 2)


def test_own_staff_vng_and_bots_are_not_counted(app, world, catalogue):
    zaak = catalogue["zaak"]
    view(logged_in(app, world.users["aanbod"]), zaak)  # the supplier itself
    view(logged_in(app, world.users["vng"]), zaak)
    view(logged_in(app, world.users["fb"]), zaak)
    anonymous = app.test_client()
    view(anonymous, zaak, headers={"User-Agent": "Mozilla/5.0 (compatible; Googlebot/2.1)"})
    view(anonymous, zaak, headers={"User-Agent": "curl/8.1"})
    view(logged_in(app, world.users["gebruik"]), zaak, headers={"User-Agent": "python-requests/2.31"})
    assert counts(app, zaak) == ([], 0)


def _statements(app, client, package) -> list[str]:
    from sqlalchemy import event

    statements = []
    with app.app_context():
        engine = db.engine

        def remember(conn, cursor, statement, *args):
            if "f006_view" in statement:  # (the page also reads the menu's counter and the interest button)
                statements.append(statement)

        event.listen(engine, "before_cursor_execute", remember)
        try:
            view(client, package)
        finally:
            event.remove(engine, "before_cursor_execute", remember)
    return statements


def test_a_gemeente_viewing_again_that_day_costs_one_statement(app, world, catalogue):
    client = logged_in(app, world.users["gebruik"])
    view(client, catalogue["zaak"])  # the day's first view: the row, the day's count, first ever?
    statements = _statements(app, client, catalogue["zaak"])
    assert len(statements) == 1 and "f006_view_day" in statements[0]


def test_a_view_is_one_statement(app, world, catalogue):
    """Recording a view adds one INSERT (an upsert) to the page, not more (pt 10)."""
    from sqlalchemy import event

    zaak = catalogue["zaak"]
    client = app.test_client()
    view(client, zaak)  # warm up
    statements = []
    with app.app_context():
        engine = db.engine

        def remember(conn, cursor, statement, *args):
            if "f006_" in statement:
                statements.append(statement)

        event.listen(engine, "before_cursor_execute", remember)
        try:
            view(client, zaak)
        finally:
            event.remove(engine, "before_cursor_execute", remember)
    assert len(statements) == 1 and statements[0].lstrip().upper().startswith("INSERT")


def test_first_view_of_a_municipality_notifies_the_supplier(app, world, catalogue, mailbox):
    zaak = catalogue["zaak"]
    gemeente = logged_in(app, world.users["gebruik"])
    view(gemeente, zaak)
    view(gemeente, zaak)
    with app.app_context():
        notes = db.session.scalars(select(Notification).where(Notification.user_id == world.users["aanbod"].id)).all()
        assert [n.text for n in notes] == ["Voorbeeldstad heeft uw pakket Zaakwijzer bekeken."]
    assert [m.subject for m in mailbox.messages if "jan@ictsolutions.example" in m.recipients] == [
        "Nieuwe melding: Voorbeeldstad heeft uw pakket Zaakwijzer bekeken."]


def show_interest(client, package, message="", share=False):
    page = client.get(f"/inzichten/interesse/add?pakket={package.public_id}")
    assert page.status_code == 200
    token = csrf_token(client, f"/inzichten/interesse/add?pakket={package.public_id}")
    data = {"package": package.id, "message": message, "csrf_token": token}
    if share:
        data["share_contact"] = "y"
    return client.post("/inzichten/interesse/add", data=data, follow_redirects=True)


def test_interesse_tonen_button_and_contact_only_when_shared(app, world, catalogue, mailbox):
    zaak, other = catalogue["zaak"], catalogue["other"]
    gemeente = logged_in(app, world.users["gebruik"])
    page = view(gemeente, zaak).get_data(as_text=True)
    assert "Interesse tonen" in page
    # a Gebruik-raadpleger, a supplier and a visitor get no button
    for client in (logged_in(app, world.users["raadpleger"]), logged_in(app, world.users["aanbod_other"]),
                   app.test_client()):
        assert "Interesse tonen" not in view(client, zaak).get_data(as_text=True)

    resp = show_interest(gemeente, zaak, message="Wij zoeken een nieuw zaaksysteem.", share=True)
    assert "Uw interesse is doorgegeven aan de leverancier." in resp.get_data(as_text=True)
    assert "Onze interesse bekijken" in view(gemeente, zaak).get_data(as_text=True)
    other_gemeente = logged_in(app, world.users["gebruik_other"])
    show_interest(other_gemeente, zaak, message="Graag een demo.")

    supplier = logged_in(app, world.users["aanbod"])
    received = supplier.get("/inzichten/ontvangen-interesse/list/").get_data(as_text=True)
    assert "Voorbeeldstad" in received and "gb@voorbeeldstad.example" in received
    assert "Andersdorp" in received and "gb@andersdorp.example" not in received
    assert "Niet gedeeld" in received
    # the other supplier sees none of it
    rival = logged_in(app, world.users["aanbod_other"]).get("/inzichten/ontvangen-interesse/list/")
    assert "Voorbeeldstad" not in rival.get_data(as_text=True)
    assert any("interesse getoond in uw pakket Zaakwijzer" in m.subject for m in mailbox.messages)
    with app.app_context():
        assert db.session.scalar(select(func.count(Interest.id))) == 2
        assert other.id not in db.session.scalars(select(Interest.package_id)).all()


def test_interest_twice_is_refused_in_dutch(app, world, catalogue):
    gemeente = logged_in(app, world.users["gebruik"])
    show_interest(gemeente, catalogue["zaak"])
    body = show_interest(gemeente, catalogue["zaak"]).get_data(as_text=True)
    assert "Uw organisatie heeft al interesse getoond in Zaakwijzer." in body


def test_interest_in_a_concept_package_is_refused(app, world, catalogue):
    from tests.f006.conftest import make_package

    with app.app_context():
        concept = make_package(world.supplier, "Geheim Concept", status="concept")
        concept_id = concept.id
    gemeente = logged_in(app, world.users["gebruik"])
    token = csrf_token(gemeente, "/inzichten/interesse/add")
    resp = gemeente.post("/inzichten/interesse/add", data={"package": concept_id, "csrf_token": token},
                         follow_redirects=True)
    assert resp.status_code in (200, 400)
    with app.app_context():
        assert db.session.scalar(select(func.count(Interest.id))) == 0
    assert re.search(r"Geheim Concept", resp.get_data(as_text=True)) is None
