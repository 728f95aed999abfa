"""Issue 12 (points 1-3) "Done when", in Chromium: a gemeente exports its landscape, edits it in a spreadsheet
(openpyxl, then saved again by LibreOffice), imports it with a near-match choice and a new concept package,
confirms, and sees the result on its landscape page. axe-core passes on every page on the way.
"""

from __future__ import annotations

import pytest
from sqlalchemy import select

from core.catalogue.models import Package, Usage
from core.extensions import db
from tests.conftest import ARTIFACTS
from tests.f007.conftest import column_of, save, workbook
from tests.f013.conftest import make_package, make_usage, version_of
from tests.support.actors import World
from tests.support.browser import LiveServer, Shots, browser_login, serious_violations

pytestmark = pytest.mark.browser


def test_gemeente_exports_edits_and_imports_its_landscape(make_app, browser_page, tmp_path):
    from tests.f007.test_libreoffice import SOFFICE, libreoffice_saved

    if SOFFICE is None:
        pytest.skip("LibreOffice (soffice) is not installed")
    app = make_app()
    with app.app_context():
        world = World.build(app)
        zaak = make_package(world.supplier, "Zaakwijzer", versions=("3.1", "4.0"))
        portaal = make_package(world.supplier, "Zaakwijzer Portaal")
        make_usage(world.gemeente, zaak, version=version_of(zaak, "4.0"))
        portaal_id, gemeente_id = portaal.public_id, world.gemeente.id
    server = LiveServer(app).start()
    shots = Shots(ARTIFACTS / "f007-landschap")
    page = browser_page
    try:
        browser_login(page, server, "gb@voorbeeldstad.example")
        page.goto(server.url + "/gebruik/list/")
        page.get_by_role("link", name="Exporteren en importeren (spreadsheet)").click()
        page.get_by_role("heading", name="Applicatielandschap exporteren en importeren").wait_for()
        shots(page, "exporteren-en-importeren")
        assert serious_violations(page) == []

        page.get_by_label("Excel-werkmap (.xlsx): alle bladen met toelichting").check()
        with page.expect_download() as download:
            page.get_by_role("button", name="Exporteren").click()
        exported = tmp_path / download.value.suggested_filename
        download.value.save_as(exported)
        assert exported.name == "applicatielandschap-voorbeeldstad.xlsx"

        # the spreadsheet: a status changed, two rows of the municipality's own inventory added (no IDs)
        book = workbook(exported.read_bytes())
        sheet = book["Applicatielandschap"]
        sheet.cell(2, column_of(sheet, "Gebruik Status")).value = "Uit te faseren"
        for supplier, name, status in (("ICT Solutions B.V.", "Zaakwyzer Portal", "Gepland"),
                                       ("Nieuwsoft", "Raadsinformatie Pro", "In productie")):
            row = sheet.max_row + 1
            sheet.cell(row, column_of(sheet, "Leverancier Naam")).value = supplier
            sheet.cell(row, column_of(sheet, "Pakket Naam")).value = name
            sheet.cell(row, column_of(sheet, "Gebruik Status")).value = status
        edited = tmp_path / "landschap-bewerkt.xlsx"
        edited.write_bytes(libreoffice_saved(save(book), tmp_path, "landschap-bewerkt.xlsx"))

        page.get_by_label("Bestand (.xlsx of .csv)").set_input_files(str(edited))
        page.get_by_role("button", name="Importeren").click()
        page.get_by_role("heading", name="Voorbeeld van de import").wait_for()
        assert page.get_by_role("heading", name="Kies per rij").is_visible(), page.locator("main").inner_text()
        choice = page.locator("#keuze-Applicatielandschap-3")
        assert "Zaakwijzer Portaal (ICT Solutions BV)" in choice.inner_text()
        choice.select_option(portaal_id)
        assert "Nieuw conceptpakket 'Raadsinformatie Pro'" in page.locator("#keuze-Applicatielandschap-4").inner_text()
        page.get_by_role("button", name="Voorbeeld bijwerken").click()
        page.get_by_role("heading", name="Voorbeeld van de import").wait_for()
        assert page.locator("#aantal-nieuw").inner_text() == "2"
        assert page.locator("#aantal-gewijzigd").inner_text() == "1"
        assert page.locator("#aantal-fouten").inner_text() == "0"
        shots(page, "voorbeeld-met-keuzes")
        assert serious_violations(page) == []
        with app.app_context():
            assert db.session.query(Usage).filter_by(organisation_id=gemeente_id).count() == 1  # not yet

        page.get_by_role("button", name="Bevestigen").click()
        page.get_by_role("heading", name="Import uitgevoerd").wait_for()
        assert "2 nieuw, 1 gewijzigd" in page.get_by_role("status").inner_text()
        shots(page, "resultaat")
        assert serious_violations(page) == []

        page.get_by_role("link", name="Naar het applicatielandschap").click()
        page.wait_for_url("**/gebruik/list/**")
        listing = page.locator("main").inner_text()
        assert "Zaakwijzer Portaal" in listing and "Raadsinformatie Pro" in listing and "Uit te faseren" in listing
        shots(page, "landschap-na-import")
        assert serious_violations(page) == []
        with app.app_context():
            concept = db.session.scalar(select(Package).where(Package.name == "Raadsinformatie Pro"))
            assert concept.takeover_pending and concept.registered_by_id == gemeente_id
            assert concept.organisation.status == "concept"
    finally:
        server.stop()
