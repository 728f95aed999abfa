"""F007 in a real browser: export the offering as XLSX, edit it outside the app (openpyxl), import,
preview, confirm, see the change; a second file with an error shows row and column and changes nothing.

The package page is not on this branch (F004 builds it): the change is checked in the database and in
a fresh export of the package data. axe-core runs on the upload, preview and result pages.
"""

from __future__ import annotations

import pytest

from core import accounts
from core.catalogue.models import Package, Version
from core.extensions import db
from plugins.f007_export import exchange
from tests.conftest import ARTIFACTS
from tests.f007.conftest import column_of, offering, sheet_rows, workbook
from tests.support.actors import World
from tests.support.browser import LiveServer, Shots, browser_login, serious_violations

pytestmark = pytest.mark.browser


def test_supplier_exports_edits_imports_and_sees_the_change(make_app, browser_page, tmp_path):
    app = make_app()
    with app.app_context():
        world = World.build(app)
        mine = offering(world.supplier)
        offering(world.other_supplier, prefix="Concurrent ")
        package_id, v1_id = mine["package"].id, mine["v1"].id
        package_public_id = mine["package"].public_id
    server = LiveServer(app).start()
    shots = Shots(ARTIFACTS / "f007-export-import")
    page = browser_page
    try:
        browser_login(page, server, "jan@ictsolutions.example")
        page.goto(server.url + "/uitwisseling/")
        assert page.locator("h1").count() == 1
        shots(page, "exporteren-en-importeren")
        assert serious_violations(page) == []

        page.get_by_label("Excel-werkmap (.xlsx): alle bladen met toelichting").check()
        with page.expect_download() as download:
            page.get_by_role("button", name="Exporteren").click()
        exported = tmp_path / download.value.suggested_filename
        download.value.save_as(exported)
        assert exported.suffix == ".xlsx"

        # edit with another tool: two cells changed, one row added
        book = workbook(exported.read_bytes())
        assert "Concurrent Zaaksysteem" not in str([r for r in sheet_rows(book, "Pakketten")])
        packages = book["Pakketten"]
        packages.cell(2, column_of(packages, "Korte beschrijving")).value = "Zaken sneller afhandelen"
        versions = book["Pakketversies"]
        versions.cell(2, column_of(versions, "Pakketversie Status")).value = "Einde ondersteuning"
        versions.append([None, package_public_id, "Zaaksysteem", "3.0", "In ontwikkeling", "Nieuwe versie", None,
                         None, None, None])
        edited = tmp_path / "aanbod-bewerkt.xlsx"
        book.save(edited)

        page.get_by_label("Bestand (.xlsx of .csv)").set_input_files(str(edited))
        page.get_by_role("button", name="Importeren").click()
        page.get_by_role("heading", name="Voorbeeld van de import").wait_for()
        assert page.locator("#aantal-nieuw").inner_text() == "1"
        assert page.locator("#aantal-gewijzigd").inner_text() == "2"
        assert page.locator("#aantal-fouten").inner_text() == "0"
        shots(page, "voorbeeld")
        assert serious_violations(page) == []
        with app.app_context():
            assert db.session.get(Package, package_id).short_description == "Zaken afhandelen"  # not yet

        page.get_by_role("button", name="Bevestigen").click()
        page.get_by_role("heading", name="Import uitgevoerd").wait_for()
        assert "1 nieuw, 2 gewijzigd" in page.get_by_role("status").inner_text()
        shots(page, "resultaat")
        assert serious_violations(page) == []
        with app.app_context():
            package = db.session.get(Package, package_id)
            assert package.short_description == "Zaken sneller afhandelen"
            assert db.session.get(Version, v1_id).status == "einde_ondersteuning"
            assert sorted(v.name for v in package.versions) == ["1.0", "2.0", "3.0"]
            user = accounts.find_user_by_email("jan@ictsolutions.example")
            export = exchange.make_export(user, "xlsx")
            rows = sheet_rows(workbook(open(export.path, "rb").read()), "Pakketten")
            export.discard()
            assert rows[0]["Korte beschrijving"] == "Zaken sneller afhandelen"
        # the change shows on the package page, with the new version and the changed status
        page.goto(server.url + f"/pakketten/show/{package_id}")
        page.get_by_text("Zaken sneller afhandelen").first.wait_for()
        page.get_by_role("link", name="Versies", exact=True).click()
        versions_tab = page.locator("#VersionView")
        versions_tab.get_by_text("3.0", exact=True).wait_for()
        assert versions_tab.get_by_text("Einde ondersteuning").first.is_visible()
        shots(page, "pakketpagina-na-import")

        # a second file with an error: row and column shown, nothing changes
        book = workbook(edited.read_bytes())
        versions = book["Pakketversies"]
        versions.cell(2, column_of(versions, "Pakketversie Beschrijving")).value = "Mag niet doorkomen"
        versions.cell(3, column_of(versions, "Start test")).value = "volgende week"
        wrong = tmp_path / "aanbod-fout.xlsx"
        book.save(wrong)
        page.goto(server.url + "/uitwisseling/")
        page.get_by_label("Bestand (.xlsx of .csv)").set_input_files(str(wrong))
        page.get_by_role("button", name="Importeren").click()
        page.get_by_role("heading", name="Fouten per rij en kolom").wait_for()
        row = page.locator("#fouten tbody tr").first
        assert row.locator("td").nth(0).inner_text() == "Pakketversies"
        assert row.locator("td").nth(1).inner_text() == "3"
        assert row.locator("td").nth(2).inner_text() == "Start test"
        assert "Moet een datum zijn" in row.locator("td").nth(3).inner_text()
        assert page.get_by_role("button", name="Bevestigen").count() == 0
        shots(page, "voorbeeld-met-fout")
        assert serious_violations(page) == []
        with page.expect_download() as download:
            page.get_by_role("button", name="Bestand met foutkolom downloaden").click()
        report = tmp_path / "fouten.xlsx"
        download.value.save_as(report)
        assert sheet_rows(workbook(report.read_bytes()), "Pakketversies")[1]["Fouten"].startswith("Start test")
        with app.app_context():
            assert db.session.get(Version, v1_id).description == "Eerste versie"
    finally:
        server.stop()
