"""F007 through the page, the API and the CLI: who may, upload → preview → confirm → result, errors."""

from __future__ import annotations

import html
import io

import pytest

from core.catalogue.models import Package, Version
from core.extensions import db
from core.models import AuditLog
from tests.f002.conftest import pdf_bytes
from tests.f007.conftest import column_of, save, sheet_rows, workbook
from tests.support.actors import api_token, csrf_token, login

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def export(client, fmt="xlsx", **extra):
    token = csrf_token(client, "/uitwisseling/")
    return client.post("/uitwisseling/exporteren", data={"csrf_token": token, "formaat": fmt,
                                                          "inhoud": "aanbod-pakketversies", **extra})


def upload(client, data: bytes, name="aanbod.xlsx", remove=False):
    token = csrf_token(client, "/uitwisseling/")
    form = {"csrf_token": token, "bestand": (io.BytesIO(data), name)}
    if remove:
        form["verwijderen"] = "y"
    return client.post("/uitwisseling/importeren", data=form, content_type="multipart/form-data")


def step(client, html: str, path: str):
    token = html.split('name="csrf_token" type="hidden" value="')[1].split('"')[0]
    return client.post(path, data={"csrf_token": token})


def test_only_logged_in_suppliers_reach_export_and_import(client, world, suppliers):
    assert client.get("/uitwisseling/").status_code == 302
    assert client.get("/api/v1/uitwisseling/export?formaat=csv").status_code == 401
    login(client, world.users["gebruik"])
    assert client.get("/uitwisseling/").status_code in (302, 403)
    resp = client.post("/uitwisseling/exporteren", data={"formaat": "csv"})
    assert resp.status_code in (302, 400, 403) and b"Zaaksysteem" not in resp.data


def test_supplier_exports_own_offering_from_the_page(client, world, suppliers):
    login(client, world.users["aanbod"])
    page = client.get("/uitwisseling/")
    assert page.status_code == 200
    html = page.get_data(as_text=True)
    assert "Exporteren" in html and "Importeren" in html and "Concurrent" not in html
    assert client.get("/uitwisseling/exporteren").status_code == 405  # GET never exports
    assert client.post("/uitwisseling/exporteren", data={"formaat": "xlsx"}).status_code == 400  # no CSRF
    resp = export(client)
    assert resp.status_code == 200 and resp.mimetype == XLSX
    assert "attachment" in resp.headers["Content-Disposition"]
    book = workbook(resp.data)
    assert [r["Pakket Naam"] for r in sheet_rows(book, "Pakketten")] == ["Zaaksysteem"]
    csv_resp = export(client, "csv")
    assert csv_resp.data.startswith(b"\xef\xbb\xbfLeverancier Naam;Leverancier ID;Pakket Naam")
    assert b"Concurrent" not in csv_resp.data and b"Geheim" not in csv_resp.data
    # a forged organisation is refused, never exported
    forged = export(client, "csv", organisatie=str(world.other_supplier.id))
    assert forged.status_code in (400, 403) and b"Concurrent" not in forged.data
    assert db.session.query(AuditLog).filter_by(action="export").count() == 2


def test_functioneel_beheerder_chooses_the_supplier(client, world, suppliers):
    login(client, world.users["fb"])
    html = client.get("/uitwisseling/").get_data(as_text=True)
    assert "Concurrent BV" in html and "ICT Solutions BV" in html
    resp = export(client, "csv", organisatie=str(world.other_supplier.id))
    assert resp.status_code == 200 and b"Geheim Concept" in resp.data and b"ICT Solutions" not in resp.data


def test_upload_preview_confirm_result(client, world, suppliers):
    login(client, world.users["aanbod"])
    book = workbook(export(client).data)
    sheet = book["Pakketten"]
    sheet.cell(2, column_of(sheet, "Pakket Naam")).value = "Zaaksysteem Plus"
    preview = upload(client, save(book))
    html = preview.get_data(as_text=True)
    assert preview.status_code == 200 and "Voorbeeld van de import" in html
    assert 'id="aantal-gewijzigd">1<' in html and 'id="aantal-fouten">0<' in html
    assert "Bevestigen" in html
    assert db.session.get(Package, suppliers["mine"]["package"].id).name == "Zaaksysteem"
    assert client.post("/uitwisseling/bevestigen", data={}).status_code == 400  # CSRF
    done = step(client, html, "/uitwisseling/bevestigen")
    assert done.status_code == 302 and done.location.endswith("/uitwisseling/resultaat")
    result = client.get("/uitwisseling/resultaat").get_data(as_text=True)
    assert "Import uitgevoerd" in result and "1 gewijzigd" in result
    db.session.expire_all()
    assert db.session.get(Package, suppliers["mine"]["package"].id).name == "Zaaksysteem Plus"
    assert db.session.query(AuditLog).filter_by(action="import", result="gelukt").count() == 1
    # the stored upload is gone: confirming again does nothing
    again = step(client, html, "/uitwisseling/bevestigen")
    assert again.status_code == 302 and again.location.endswith("/uitwisseling/")
    assert db.session.query(AuditLog).filter_by(action="import").count() == 1


def test_upload_with_errors_shows_row_and_column_and_offers_the_error_file(client, world, suppliers):
    login(client, world.users["aanbod"])
    book = workbook(export(client).data)
    sheet = book["Pakketversies"]
    sheet.cell(3, column_of(sheet, "Start test")).value = "gisteren"
    sheet.cell(2, column_of(sheet, "Pakketversie Naam")).value = "1.1"
    preview = upload(client, save(book), name="mijn aanbod.xlsx")
    html = preview.get_data(as_text=True)
    assert 'id="aantal-fouten">1<' in html
    assert "<td>Pakketversies</td><td>3</td><td>Start test</td><td>Moet een datum zijn" in html
    assert ">Bevestigen<" not in html
    errors = step(client, html, "/uitwisseling/fouten")
    assert errors.status_code == 200 and "mijn aanbod-fouten.xlsx" in errors.headers["Content-Disposition"]
    rows = sheet_rows(workbook(errors.data), "Pakketversies")
    assert rows[1]["Fouten"].startswith("Start test: Moet een datum zijn") and rows[0]["Fouten"] is None
    # confirming anyway (a forged POST) changes nothing
    step(client, html, "/uitwisseling/bevestigen")
    db.session.expire_all()
    assert db.session.get(Version, suppliers["mine"]["v1"].id).name == "1.0"
    assert db.session.query(AuditLog).filter_by(action="import", result="gelukt").count() == 0


@pytest.mark.parametrize("data, name, message", [
    (b"", "leeg.xlsx", "Het bestand is leeg."),
    (None, "rapport.xlsx", "PDF-bestand"),
    (b"Kolom;Andere\r\nx;y\r\n", "vreemd.csv", "passen bij geen enkele export"),
])
def test_wrong_files_are_refused_with_a_dutch_message(client, world, suppliers, data, name, message):
    login(client, world.users["aanbod"])
    resp = upload(client, pdf_bytes() if data is None else data, name=name)
    assert resp.status_code == 400
    assert message in resp.get_data(as_text=True)


def test_remove_option_is_counted_in_the_preview(client, world, suppliers):
    login(client, world.users["aanbod"])
    book = workbook(export(client).data)
    book["Modules"].delete_rows(2)
    html = upload(client, save(book), remove=True).get_data(as_text=True)
    assert 'id="aantal-verwijderd">1<' in html
    html = upload(client, save(book)).get_data(as_text=True)
    assert 'id="aantal-verwijderd">0 (verwijderen staat uit)<' in html


def test_api_export_and_import(client, world, suppliers):
    token = api_token(client, world.users["aanbod"])
    auth = {"Authorization": f"Bearer {token}"}
    resp = client.get("/api/v1/uitwisseling/export?formaat=csv", headers=auth)
    assert resp.status_code == 200 and b"Zaaksysteem" in resp.data and b"Concurrent" not in resp.data
    forged = client.get(f"/api/v1/uitwisseling/export?formaat=csv&organisatie={world.other_supplier.id}",
                        headers=auth)
    assert forged.status_code == 403
    data = resp.data.replace(b"Eerste versie", b"Eerste versie, verbeterd")
    preview = client.post("/api/v1/uitwisseling/import", headers=auth,
                          data={"bestand": (io.BytesIO(data), "aanbod.csv")}, content_type="multipart/form-data")
    assert preview.status_code == 200 and preview.json["gewijzigd"] == 1 and preview.json["toegepast"] is False
    applied = client.post("/api/v1/uitwisseling/import", headers=auth,
                          data={"bestand": (io.BytesIO(data), "aanbod.csv"), "bevestigen": "ja"},
                          content_type="multipart/form-data")
    assert applied.status_code == 200 and applied.json["toegepast"] is True
    db.session.expire_all()
    assert db.session.get(Version, suppliers["mine"]["v1"].id).description == "Eerste versie, verbeterd"
    # the other supplier's export imported by this supplier: every row an unknown ID, nothing changes
    other = client.get("/api/v1/uitwisseling/export?formaat=xlsx",
                       headers={"Authorization": f"Bearer {api_token(client, world.users['aanbod_other'])}"})
    rejected = client.post("/api/v1/uitwisseling/import", headers=auth,
                           data={"bestand": (io.BytesIO(other.data), "x.xlsx"), "bevestigen": "ja"},
                           content_type="multipart/form-data")
    assert rejected.status_code == 422
    assert {"blad": "Pakketten", "rij": 2, "kolom": "Pakket ID",
            "melding": "Onbekend ID: dit ID hoort niet bij een rij van uw organisatie"} in rejected.json["fouten"]
    assert db.session.query(Package).filter_by(organisation_id=world.supplier.id).count() == 1


def test_cli_export_and_import(app, world, suppliers, tmp_path):
    runner = app.test_cli_runner()
    target = tmp_path / "aanbod.xlsx"
    result = runner.invoke(args=["scg", "export", "--gebruiker", "jan@ictsolutions.example", str(target)])
    assert result.exit_code == 0, result.output
    assert "7 rijen geschreven" in result.output
    book = workbook(target.read_bytes())
    sheet = book["Modules"]
    sheet.cell(2, column_of(sheet, "Module Naam")).value = "Inwonerportaal"
    target.write_bytes(save(book))
    preview = runner.invoke(args=["scg", "import", "--gebruiker", "jan@ictsolutions.example", str(target)])
    assert preview.exit_code == 0, preview.output
    assert "gewijzigd: 1" in preview.output and "voorbeeld" in preview.output
    applied = runner.invoke(args=["scg", "import", "--gebruiker", "jan@ictsolutions.example", "--bevestigen",
                                  str(target)])
    assert applied.exit_code == 0 and "Doorgevoerd" in applied.output
    db.session.expire_all()
    assert db.session.get(type(suppliers["mine"]["module"]), suppliers["mine"]["module"].id).name == "Inwonerportaal"
    refused = runner.invoke(args=["scg", "import", "--gebruiker", "piet@concurrent.example", "--bevestigen",
                                  str(target)])
    assert refused.exit_code != 0 and "Onbekend ID" in refused.output


def test_size_and_row_limits_are_explained_on_the_page(app, client, world, suppliers):
    login(client, world.users["aanbod"])
    data = export(client).data
    app.config["F007_MAX_ROWS"] = 1
    resp = upload(client, data)
    assert resp.status_code == 400
    assert "te veel rijen op blad 'Pakketversies': maximaal 1." in html.unescape(resp.get_data(as_text=True))
    app.config["F007_MAX_BYTES"] = 2048
    resp = upload(client, data)
    assert resp.status_code == 400 and "Het bestand is te groot: maximaal 2 kB." in resp.get_data(as_text=True)
