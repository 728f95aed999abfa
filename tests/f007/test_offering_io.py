"""The offering handlers (F004, F005) through F007: export, round trip, edits, creates, removals, errors."""

from __future__ import annotations

import csv
import datetime as dt
import io

import pytest

from core.catalogue.models import Module, Package, Service, StandardClaim, Version, package_referentiecomponent
from core.extensions import db
from core.io import ImportRejected
from core.models import AuditLog
from plugins.f007_export import exchange
from tests.f007.conftest import column_of, save, sheet_rows, workbook

SHEETS = ["Pakketten", "Modules", "Pakketversies", "Referentiecomponenten", "Standaarden", "Diensten",
          "Toelichting", "Keuzelijsten"]
DOMAIN_COLUMNS = ("Leverancier Naam; Leverancier ID; Pakket Naam; Pakket ID; Pakket Beschrijving; Pakket URL "
                  "productpagina; Pakket aantal gemeenten; Mutatiedatum pakket; Pakketversie Naam; Pakketversie ID; "
                  "Pakketversie Status; Pakketversie Beschrijving; Start ontwikkeling; Start test; Start distributie; "
                  "Pakketversie aantal gemeenten; Mutatiedatum pakketversie; Referentiecomponenten leverancier; "
                  "Referentiecomponenten leverancier UUID; Ondersteuning standaardversies").split("; ")


def export_bytes(user, fmt, org_id=None, handler=None) -> bytes:
    export = exchange.make_export(user, fmt, org_id, handler)
    try:
        with open(export.path, "rb") as f:
            return f.read()
    finally:
        export.discard()


def counts(outcome):
    return (outcome.created, outcome.changed, outcome.unchanged, outcome.removed, len(outcome.errors))


def snapshot():
    db.session.expire_all()
    return {
        "packages": sorted((p.public_id, p.name, p.short_description, p.website) for p in db.session.query(Package)),
        "versions": sorted((v.public_id, v.name, v.status, v.description) for v in db.session.query(Version)),
        "modules": sorted((m.public_id, m.name) for m in db.session.query(Module)),
        "claims": sorted((c.package_id, c.standaardversie_id, c.evidence_url) for c in db.session.query(StandardClaim)),
        "services": sorted((s.public_id, s.name) for s in db.session.query(Service)),
        "links": sorted(db.session.execute(package_referentiecomponent.select()).all()),
    }


def test_workbook_has_one_sheet_per_entity_with_only_own_rows(world, suppliers):
    user = world.users["aanbod"]
    book = workbook(export_bytes(user, "xlsx"))
    assert book.sheetnames == SHEETS
    mine = suppliers["mine"]
    assert [r["Pakket Naam"] for r in sheet_rows(book, "Pakketten")] == ["Zaaksysteem"]
    assert sorted(r["Pakketversie Naam"] for r in sheet_rows(book, "Pakketversies")) == ["1.0", "2.0"]
    assert sheet_rows(book, "Modules")[0]["Module ID"] == mine["module"].public_id
    assert sheet_rows(book, "Referentiecomponenten")[0]["Referentiecomponent Naam"] == "Zaakregistratiecomponent"
    assert sheet_rows(book, "Standaarden")[0]["Standaard"] == "ZGW API's"
    assert sheet_rows(book, "Diensten")[0]["Pakket ID's"] == mine["package"].public_id
    everything = "".join(str(c.value) for ws in book.worksheets for row in ws.iter_rows() for c in row)
    for foreign in ("Concurrent", "Geheim Concept", suppliers["theirs"]["package"].public_id):
        assert foreign not in everything


def test_csv_is_one_row_per_version_with_the_known_columns(world, suppliers):
    data = export_bytes(world.users["aanbod"], "csv")
    assert data.startswith(b"\xef\xbb\xbf")
    rows = list(csv.reader(io.StringIO(data.decode("utf-8-sig")), delimiter=";"))
    assert rows[0] == DOMAIN_COLUMNS
    body = [dict(zip(rows[0], r, strict=False)) for r in rows[1:]]
    assert [(r["Pakket Naam"], r["Pakketversie Naam"], r["Pakketversie Status"]) for r in body] == [
        ("Zaaksysteem", "1.0", "In gebruik"), ("Zaaksysteem", "2.0", "In ontwikkeling")]
    assert body[0]["Leverancier Naam"] == "ICT Solutions BV"
    assert body[0]["Referentiecomponenten leverancier UUID"] == "rc-zaak"
    assert body[0]["Ondersteuning standaardversies"] == "ZGW API's 1.0"
    assert body[0]["Start ontwikkeling"] == "2024-01-01"
    assert "Concurrent" not in data.decode("utf-8-sig") and "Geheim" not in data.decode("utf-8-sig")


@pytest.mark.parametrize("fmt", ["xlsx", "csv"])
def test_export_then_import_without_edits_reports_no_changes(world, suppliers, fmt):
    user = world.users["aanbod"]
    before = snapshot()
    _, outcome = exchange.run(user, export_bytes(user, fmt), apply=False)
    assert outcome.errors == []
    assert outcome.no_changes
    assert outcome.unchanged == (7 if fmt == "xlsx" else 2)
    _, applied = exchange.run(user, export_bytes(user, fmt), apply=True, remove_missing=True)
    assert counts(applied)[:2] == (0, 0) and applied.removed == 0
    assert snapshot() == before


def test_workbook_edits_and_new_rows_are_applied_exactly(world, suppliers):
    user = world.users["aanbod"]
    mine = suppliers["mine"]
    book = workbook(export_bytes(user, "xlsx"))
    packages = book["Pakketten"]
    packages.cell(2, column_of(packages, "Korte beschrijving")).value = "Zaken sneller afhandelen"
    versions = book["Pakketversies"]
    versions.cell(2, column_of(versions, "Pakketversie Status")).value = "Einde ondersteuning"
    versions.append([None, mine["package"].public_id, "Zaaksysteem", "3.0", "In ontwikkeling", "Nieuw!", None,
                     None, None, None])
    links = book["Referentiecomponenten"]
    links.append([None, "Zaaksysteem", None, "Documentregistratiecomponent"])
    data = save(book)

    _, preview = exchange.run(user, data, apply=False)
    assert counts(preview) == (2, 2, 5, 0, 0)
    assert db.session.query(Version).filter_by(name="3.0").count() == 0  # a preview changes nothing
    _, outcome = exchange.run(user, data, apply=True)
    assert counts(outcome) == (2, 2, 5, 0, 0)
    db.session.expire_all()
    package = db.session.get(Package, mine["package"].id)
    assert package.short_description == "Zaken sneller afhandelen"
    assert {v.name: v.status for v in package.versions} == {"1.0": "einde_ondersteuning", "2.0": "in_ontwikkeling",
                                                            "3.0": "in_ontwikkeling"}
    new = db.session.query(Version).filter_by(name="3.0").one()
    assert (new.organisation_id, new.description) == (world.supplier.id, "Nieuw!")
    assert [rc.name for rc in package.referentiecomponenten] == ["Documentregistratiecomponent",
                                                                "Zaakregistratiecomponent"]
    entry = db.session.query(AuditLog).filter_by(action="import", result="gelukt").one()
    assert entry.organisation_id == world.supplier.id and '"nieuw": 2' in entry.details
    # and the edit round-trips: a second import of the same file changes nothing
    _, again = exchange.run(user, export_bytes(user, "xlsx"), apply=False)
    assert again.no_changes


def test_csv_edits_and_new_package_are_applied(world, suppliers):
    user = world.users["aanbod"]
    text = export_bytes(user, "csv").decode("utf-8-sig")
    rows = list(csv.DictReader(io.StringIO(text), delimiter=";"))
    rows[1]["Pakketversie Beschrijving"] = "Bijna klaar"
    rows.append({**{k: "" for k in rows[0]}, "Pakket Naam": "Burgerzaken", "Pakketversie Naam": "1.0",
                 "Pakketversie Status": "In gebruik", "Start test": "31-12-2025"})
    out = io.StringIO()
    writer = csv.DictWriter(out, fieldnames=list(rows[0]), delimiter=",")  # a comma CSV without BOM
    writer.writeheader()
    writer.writerows(rows)
    _, outcome = exchange.run(user, out.getvalue().encode("utf-8"), apply=True)
    assert counts(outcome) == (1, 1, 1, 0, 0)
    db.session.expire_all()
    assert db.session.get(Version, suppliers["mine"]["v2"].id).description == "Bijna klaar"
    new = db.session.query(Package).filter_by(name="Burgerzaken").one()
    assert (new.organisation_id, new.status) == (world.supplier.id, "concept")
    assert [(v.name, v.status, v.start_test) for v in new.versions] == [("1.0", "in_gebruik", dt.date(2025, 12, 31))]


def test_rows_absent_from_the_file_are_kept_unless_asked_and_the_preview_counts_them(world, suppliers):
    user = world.users["aanbod"]
    book = workbook(export_bytes(user, "xlsx"))
    versions = book["Pakketversies"]
    versions.delete_rows(3)  # version 2.0
    data = save(book)
    _, kept = exchange.run(user, data, apply=True)
    assert kept.removed == 0
    assert db.session.query(Version).filter_by(package_id=suppliers["mine"]["package"].id).count() == 2
    _, preview = exchange.run(user, data, apply=False, remove_missing=True)
    assert preview.removed == 1
    _, removed = exchange.run(user, data, apply=True, remove_missing=True)
    assert removed.removed == 1
    db.session.expire_all()
    assert [v.name for v in db.session.query(Version).filter_by(package_id=suppliers["mine"]["package"].id)] == ["1.0"]
    assert db.session.query(Version).filter_by(organisation_id=world.other_supplier.id).count() == 2


def test_a_file_with_any_error_changes_nothing_and_says_where(world, suppliers):
    user = world.users["aanbod"]
    book = workbook(export_bytes(user, "xlsx"))
    book["Pakketten"].cell(2, column_of(book["Pakketten"], "Korte beschrijving")).value = "Gewijzigd"
    versions = book["Pakketversies"]
    versions.cell(3, column_of(versions, "Pakketversie Status")).value = "Bijna af"
    versions.cell(2, column_of(versions, "Start test")).value = "morgen"
    data = save(book)
    before = snapshot()
    _, preview = exchange.run(user, data, apply=False)
    where = {(e.sheet, e.file_row, e.column) for e in preview.errors}
    assert where == {("Pakketversies", 3, "Pakketversie Status"), ("Pakketversies", 2, "Start test")}
    assert any("Moet een van deze waarden zijn" in e.message for e in preview.errors)
    with pytest.raises(ImportRejected):
        exchange.run(user, data, apply=True)
    assert snapshot() == before
    # the error report is the same workbook with an error column
    report = exchange.error_report(user, data, preview.errors)
    try:
        rows = sheet_rows(workbook(open(report.path, "rb").read()), "Pakketversies")
    finally:
        report.discard()
    assert rows[1]["Fouten"].startswith("Pakketversie Status: Moet een van deze waarden zijn")
    assert rows[0]["Fouten"].startswith("Start test: Moet een datum zijn")


def test_ids_of_another_organisation_are_unknown_and_change_nothing(world, suppliers):
    theirs = suppliers["theirs"]
    other_user = world.users["aanbod_other"]
    book = workbook(export_bytes(other_user, "xlsx"))
    book["Pakketten"].cell(2, column_of(book["Pakketten"], "Pakket Naam")).value = "Overgenomen"
    data = save(book)
    before = snapshot()
    _, outcome = exchange.run(world.users["aanbod"], data, apply=False, remove_missing=True)
    assert outcome.errors and all("Onbekend ID" in e.message or "Pakket" in (e.column or "") for e in outcome.errors)
    assert ("Pakketten", 2, "Pakket ID") in {(e.sheet, e.file_row, e.column) for e in outcome.errors}
    with pytest.raises(ImportRejected):
        exchange.run(world.users["aanbod"], data, apply=True, remove_missing=True)
    assert snapshot() == before
    assert db.session.get(Package, theirs["package"].id).name == "Concurrent Zaaksysteem"


def test_duplicate_ids_and_unknown_or_missing_columns_are_errors(world, suppliers):
    user = world.users["aanbod"]
    book = workbook(export_bytes(user, "xlsx"))
    versions = book["Pakketversies"]
    first = [c.value for c in versions[2]]
    first[3] = "9.9"
    versions.append(first)
    modules = book["Modules"]
    modules.cell(1, column_of(modules, "Module Beschrijving")).value = "Omschrijving"
    _, outcome = exchange.run(user, save(book), apply=False)
    messages = {(e.sheet, e.column, e.message) for e in outcome.errors}
    assert ("Pakketversies", "Pakketversie ID", "Dit ID staat ook al in rij 2") in messages
    assert ("Modules", "Omschrijving", "Onbekende kolom") in messages
    assert ("Modules", "Module Beschrijving", "Deze kolom ontbreekt in het bestand") in messages


def test_services_never_show_unpublished_packages_of_others(world, suppliers):
    theirs = suppliers["theirs"]["package"]
    service = suppliers["mine"]["service"]
    service.packages = [suppliers["mine"]["package"], theirs]
    db.session.commit()
    user = world.users["aanbod"]
    rows = sheet_rows(workbook(export_bytes(user, "xlsx")), "Diensten")
    assert "Concurrent Zaaksysteem" in rows[0]["Pakketten"]  # published: visible
    theirs.status = "concept"
    db.session.commit()
    data = export_bytes(user, "xlsx")
    rows = sheet_rows(workbook(data), "Diensten")
    assert theirs.public_id not in rows[0]["Pakket ID's"] and "Concurrent" not in rows[0]["Pakketten"]
    # re-importing that export keeps the hidden link and changes nothing
    _, outcome = exchange.run(user, data, apply=True)
    assert outcome.no_changes
    db.session.expire_all()
    assert {p.id for p in db.session.get(Service, service.id).packages} == {suppliers["mine"]["package"].id, theirs.id}
    # naming a concept package of another supplier in a service is an unknown ID
    book = workbook(data)
    sheet = book["Diensten"]
    sheet.cell(2, column_of(sheet, "Pakket ID's")).value = suppliers["concept"].public_id
    _, outcome = exchange.run(user, save(book), apply=False)
    assert [(e.column, e.message.split(":")[0]) for e in outcome.errors] == [("Pakket ID's", "Onbekend pakket-ID")]


def test_functioneel_beheerder_exports_any_supplier_others_only_their_own(world, suppliers):
    fb = world.users["fb"]
    data = export_bytes(fb, "csv", world.other_supplier.id).decode("utf-8-sig")
    assert "Concurrent Zaaksysteem" in data and "Geheim Concept" in data and "ICT Solutions" not in data
    with pytest.raises(PermissionError):
        exchange.make_export(world.users["aanbod"], "csv", world.other_supplier.id)
    with pytest.raises(PermissionError):
        exchange.make_export(world.users["gebruik"], "xlsx")
