"""F004 in Chromium: standards page, document form, review queue, takeover and merge preview pass axe-core."""

from __future__ import annotations

import pytest

from tests.conftest import ARTIFACTS
from tests.f004.support import (
    classify,
    make_claim,
    make_document,
    make_package,
    make_rc,
    make_standard,
    oblige,
    pdf_bytes,
    version_of,
)
from tests.support.actors import World
from tests.support.browser import LiveServer, Shots, browser_login, serious_violations

pytestmark = pytest.mark.browser


def _login(page, server, email, totp_secret=None):
    page.context.clear_cookies()
    browser_login(page, server, email)


def test_supplier_and_beheerder_pages_are_accessible(make_app, browser_page, tmp_path):
    app = make_app()
    with app.app_context():
        world = World.build(app)
        package = make_package(world.supplier, "Zaakwijzer")
        duplicate = make_package(world.supplier, "Zaakwijzer oud")
        zaak = make_rc("Zaakregistratiecomponent")
        stuf, zgw = make_standard("StUF-ZKN", ("3.10", "3.20")), make_standard("ZGW API's", ("1.0",))
        oblige(zaak, stuf, "verplicht")
        oblige(zaak, zgw, "aanbevolen")
        classify(package, zaak)
        make_claim(package, version_of(zgw))
        make_document(package, "Pentest 2025", kind="pentest")
        package_id, duplicate_id = package.id, duplicate.id
        fb_secret = world.users["fb"].totp_secret
    pdf = tmp_path / "verwerkersovereenkomst.pdf"
    pdf.write_bytes(pdf_bytes("VWO"))
    server = LiveServer(app).start()
    shots = Shots(ARTIFACTS / "f004-claims-pages")
    page = browser_page
    try:
        _login(page, server, "jan@ictsolutions.example")
        page.goto(server.url + f"/pakketstandaarden/{package_id}")
        assert page.locator("h1").inner_text() == "Standaarden van Zaakwijzer"
        assert page.get_by_text("Verplichte standaard nog niet geclaimd").first.is_visible()
        shots(page, "standaarden")
        assert serious_violations(page) == []
        page.get_by_role("link", name="Claim toevoegen voor StUF-ZKN").click()
        page.wait_for_url("**/standaardclaims/add**")
        shots(page, "claim-toevoegen")
        assert serious_violations(page) == []

        page.goto(server.url + "/pakketdocumenten/add")
        assert page.locator("h1").inner_text() == "Document toevoegen"
        shots(page, "document-formulier")
        assert serious_violations(page) == []
        page.get_by_label("Soort").select_option("verwerkersovereenkomst")
        page.get_by_label("Titel").fill("Verwerkersovereenkomst 2026")
        page.get_by_label("Bestand (PDF, maximaal 10 MB)").set_input_files(str(pdf))
        page.locator("form button[type=submit], form input[type=submit]").first.click()
        page.get_by_text("zodra VNG het heeft goedgekeurd").wait_for()
        shots(page, "document-opgeslagen")

        page.goto(server.url + "/schermafbeeldingen/list/")
        assert serious_violations(page) == []
        page.goto(server.url + "/over-te-nemen/")
        assert serious_violations(page) == []

        _login(page, server, "gb@voorbeeldstad.example")
        page.goto(server.url + "/pakketaanmeldingen/aanmelden")
        page.get_by_role("button", name="Pakket aanmelden").click()
        page.get_by_text("Vul de naam van het pakket in.").first.wait_for()
        shots(page, "aanmelden-fout")
        assert serious_violations(page) == []

        _login(page, server, "beheerder@vng.example", fb_secret)
        page.goto(server.url + "/beheer/documenten/list/")
        assert page.get_by_text("Verwerkersovereenkomst 2026").is_visible()
        shots(page, "beoordelen")
        assert serious_violations(page) == []
        with app.app_context():
            from sqlalchemy import select

            from core.catalogue.models import PackageDocument
            from core.extensions import db

            doc_id = db.session.scalar(select(PackageDocument.id).where(
                PackageDocument.title == "Verwerkersovereenkomst 2026"))
        page.goto(server.url + f"/beheer/documenten/show/{doc_id}")
        assert page.get_by_role("button", name="Document goedkeuren").is_visible()
        page.get_by_role("button", name="Document afwijzen").click()
        page.locator("#reason-err", has_text="Vul de reden van de afwijzing in.").wait_for()
        shots(page, "afwijzen-zonder-reden")
        assert serious_violations(page) == []

        page.goto(server.url + "/beheer/pakketten-samenvoegen/")
        assert serious_violations(page) == []
        page.get_by_label("Pakket dat blijft").select_option(str(package_id))
        page.get_by_label("Dubbel pakket (wordt opgeheven)").select_option(str(duplicate_id))
        page.get_by_role("button", name="Samenvoegen controleren").click()
        page.get_by_role("table", name="Wat er verplaatst wordt").wait_for()
        shots(page, "samenvoegen-controleren")
        assert serious_violations(page) == []
    finally:
        server.stop()
