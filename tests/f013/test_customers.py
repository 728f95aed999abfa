"""F013 Klantoverzicht: the supplier's customers per own package, proposals, totals and the export.

The supplier sees per package who uses it (name, status, version, since), the open and
the rejected proposals (with the reason), and nothing else of those municipalities: no
note, no other usage, nothing of another supplier's packages.
"""

from __future__ import annotations

import csv
import datetime as dt
import io

from openpyxl import load_workbook
from sqlalchemy import event, select

from core.extensions import db
from core.models import AuditLog
from plugins.f013_gebruik.models import Proposal, UsageChange
from tests.f013.conftest import logged_in, make_package, make_usage, version_of
from tests.support.actors import csrf_token, make_org


def _proposal(world, org, package, state="open", reason=None, supplier=None, **kwargs):
    row = Proposal(organisation_id=org.id, supplier_id=(supplier or world.supplier).id, package_id=package.id,
                   state=state, reason=reason, status="in_productie", **kwargs)
    if state != "open":
        row.decided_on = dt.datetime(2026, 2, 3, 10, 0)
    db.session.add(row)
    db.session.commit()
    return row


def _history(usage, when):
    db.session.add(UsageChange(usage_id=usage.id, organisation_id=usage.organisation_id, changed_on=when,
                               kind="toegevoegd", status=usage.status))
    db.session.commit()


def _setup(world):
    zaak = make_package(world.supplier, "Zaakwijzer", versions=("4.0",))
    archief = make_package(world.supplier, "Archiefkast")
    theirs = make_package(world.other_supplier, "Belastingen Plus")
    usage = make_usage(world.gemeente, zaak, version=version_of(zaak, "4.0"), description="Geheime notitie X1")
    _history(usage, dt.datetime(2025, 3, 4, 9, 0))
    _history(usage, dt.datetime(2025, 6, 1, 9, 0))  # a later change: "since" stays the first
    ended = make_usage(world.other_gemeente, zaak, status="uitgefaseerd")
    make_usage(world.gemeente, theirs, description="Notitie over ander pakket Y2")  # another supplier's package
    make_usage(world.gemeente, archief, status="gepland", description="Notitie op ander gebruik Z3")
    samen = make_org("Samenwerking Noord", "samenwerking")
    _proposal(world, samen, zaak)
    _proposal(world, world.other_gemeente, archief, state="afgewezen", reason="Wij gebruiken iets anders.")
    _proposal(world, world.other_gemeente, zaak, state="ingetrokken")
    _proposal(world, world.other_gemeente, theirs, supplier=world.other_supplier)
    return {"zaak": zaak, "archief": archief, "theirs": theirs, "usage": usage, "ended": ended}


def _section(page: str, name: str) -> str:
    start = page.index(f">{name}</h2>")
    end = page.find("</section>", start)
    return page[start:end]


def test_per_package_customers_proposals_and_totals(app, world):
    _setup(world)
    page = logged_in(app, world.users["aanbod"]).get("/klanten/").get_data(as_text=True)
    zaak = _section(page, "Zaakwijzer")
    assert "Voorbeeldstad" in zaak and "In productie" in zaak and "4.0" in zaak
    assert "04-03-2025" in zaak  # since the first history entry
    assert "Andersdorp" in zaak and "Uitgefaseerd" in zaak
    assert "1 klant met actief gebruik, 1 beëindigd" in zaak
    assert "Samenwerking Noord" in zaak and "1 open" in zaak
    archief = _section(page, "Archiefkast")
    assert "Gepland" in archief
    assert "Wij gebruiken iets anders." in archief and "1 afgewezen voorstel" in archief
    # Totals over the packages: 2 active customers, 1 open, 1 rejected (withdrawn ones not counted).
    assert "<strong>2</strong> klanten met actief gebruik" in page
    assert "<strong>1</strong> open voorstel" in page
    assert "<strong>1</strong> afgewezen voorstel" in page


def test_the_supplier_sees_no_notes_and_nothing_of_other_packages(app, world):
    _setup(world)
    page = logged_in(app, world.users["aanbod"]).get("/klanten/").get_data(as_text=True)
    for secret in ("Geheime notitie X1", "Notitie over ander pakket Y2", "Notitie op ander gebruik Z3",
                   "Belastingen Plus"):
        assert secret not in page


def test_another_supplier_sees_only_its_own(app, world):
    _setup(world)
    page = logged_in(app, world.users["aanbod_other"]).get("/klanten/").get_data(as_text=True)
    assert "Belastingen Plus" in page
    assert "Zaakwijzer" not in page and "Archiefkast" not in page and "Samenwerking Noord" not in page
    assert "Wij gebruiken iets anders." not in page
    # Its open proposal to Andersdorp shows; Voorbeeldstad's usage of its package too.
    section = _section(page, "Belastingen Plus")
    assert "Andersdorp" in section and "Voorbeeldstad" in section
    assert "Notitie over ander pakket Y2" not in page


def test_municipalities_and_visitors_have_no_klantoverzicht(app, world):
    _setup(world)
    for user in (world.users["gebruik"], world.users["raadpleger"], world.users["vng"]):
        resp = logged_in(app, user).get("/klanten/")
        assert resp.status_code in (302, 403) and "Voorbeeldstad" not in resp.get_data(as_text=True)
    resp = app.test_client().get("/klanten/")
    assert resp.status_code == 302 and "Zaakwijzer" not in resp.get_data(as_text=True)


def test_the_functioneel_beheerder_chooses_a_supplier(app, world):
    _setup(world)
    client = logged_in(app, world.users["fb"])
    page = client.get("/klanten/").get_data(as_text=True)
    assert "Kies een leverancier" in page and "Voorbeeldstad" not in page
    page = client.get(f"/klanten/?leverancier={world.supplier.id}").get_data(as_text=True)
    assert "Zaakwijzer" in page and "Voorbeeldstad" in page and "Geheime notitie X1" not in page
    # a gemeente is no supplier: nothing
    page = client.get(f"/klanten/?leverancier={world.gemeente.id}").get_data(as_text=True)
    assert "Zaakwijzer" not in page


def test_the_page_reads_a_fixed_number_of_statements(app, world):
    _setup(world)
    client = logged_in(app, world.users["aanbod"])

    def count():
        statements = []

        def listener(*args):
            statements.append(args[2])
        event.listen(db.engine, "before_cursor_execute", listener)
        try:
            assert client.get("/klanten/").status_code == 200
        finally:
            event.remove(db.engine, "before_cursor_execute", listener)
        return len(statements)

    before = count()
    for i in range(5):
        org = make_org(f"Gemeente {i}", "gemeente")
        package = _extra_package(world, i)
        _history(make_usage(org, package), dt.datetime(2025, 1, 1 + i))
        _proposal(world, org, package, state="afgewezen", reason=f"reden {i}")
    assert count() == before


def _extra_package(world, i):
    return make_package(world.supplier, f"Extra {i}", versions=("1.0",))


def _export(client, fmt):
    return client.post("/klanten/exporteren", data={"csrf_token": csrf_token(client, "/klanten/"), "formaat": fmt})


def test_export_csv_has_the_pages_rows_and_no_notes(app, world):
    _setup(world)
    client = logged_in(app, world.users["aanbod"])
    resp = _export(client, "csv")
    assert resp.status_code == 200 and resp.mimetype == "text/csv"
    assert "klanten-ict-solutions-bv.csv" in resp.headers["Content-Disposition"]
    text = resp.get_data().decode("utf-8-sig")
    rows = list(csv.DictReader(io.StringIO(text), delimiter=";"))
    got = {(r["Pakket"], r["Organisatie"], r["Soort"]) for r in rows}
    assert got == {("Zaakwijzer", "Voorbeeldstad", "Klant"), ("Zaakwijzer", "Andersdorp", "Klant"),
                   ("Zaakwijzer", "Samenwerking Noord", "Voorstel open"), ("Archiefkast", "Voorbeeldstad", "Klant"),
                   ("Archiefkast", "Andersdorp", "Voorstel afgewezen")}
    rejected = next(r for r in rows if r["Soort"] == "Voorstel afgewezen")
    assert rejected["Reden afwijzing"] == "Wij gebruiken iets anders."
    first = next(r for r in rows if r["Organisatie"] == "Voorbeeldstad" and r["Pakket"] == "Zaakwijzer")
    assert first["Sinds"] == "2025-03-04" and first["Versie"] == "4.0" and first["Status"] == "In productie"
    for secret in ("Geheime notitie", "Notitie", "Belastingen Plus"):
        assert secret not in text
    entry = db.session.scalars(select(AuditLog).where(AuditLog.action == "export")).all()[-1]
    assert entry.organisation_id == world.supplier.id and "gebruik-klanten" in entry.details


def test_export_xlsx(app, world):
    _setup(world)
    resp = _export(logged_in(app, world.users["aanbod"]), "xlsx")
    assert resp.status_code == 200 and resp.headers["Content-Disposition"].endswith(".xlsx")
    sheet = load_workbook(io.BytesIO(resp.get_data()), read_only=True)["Klanten"]
    values = [row for row in sheet.iter_rows(values_only=True)]
    assert values[0][:3] == ("Pakket", "Organisatie", "Soort")
    assert ("Zaakwijzer", "Voorbeeldstad", "Klant") in {r[:3] for r in values[1:]}
    assert len(values) == 6


def test_export_with_a_bad_format_says_so_in_dutch(app, world):
    _setup(world)
    client = logged_in(app, world.users["aanbod"])
    resp = _export(client, "pdf")
    assert resp.status_code == 302
    assert "Kies Excel of CSV" in client.get(resp.location).get_data(as_text=True)


def test_the_klantoverzicht_is_in_the_suppliers_menu(app, world):
    page = logged_in(app, world.users["aanbod"]).get("/klanten/").get_data(as_text=True)
    assert 'href="/klanten/"' in page and "Mijn aanbod" in page
    page = logged_in(app, world.users["gebruik"]).get("/gebruik/list/").get_data(as_text=True)
    assert 'href="/klanten/"' not in page
