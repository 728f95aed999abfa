"""The page "ArchiMate-export" in Chromium: accessible, and the button downloads the file."""

from __future__ import annotations

import pytest

from tests.conftest import ARTIFACTS
from tests.f007_archimate.support import Parsed, assert_valid, make_package, make_rc
from tests.support.actors import World
from tests.support.browser import LiveServer, Shots, browser_login, serious_violations

pytestmark = pytest.mark.browser


def _login(page, server, email):
    browser_login(page, server, email)


def test_supplier_and_vng_download_the_archimate_file_from_an_accessible_page(make_app, browser_page, tmp_path):
    from core.extensions import db
    from plugins.f007_export import archimate

    app = make_app()
    with app.app_context():
        world = World.build(app)
        rc = make_rc("Zaakregistratiecomponent")
        make_package(world.supplier, "Zaaksuite", rcs=[rc], versions=["1.0"])
        make_package(world.other_supplier, "Andere suite", rcs=[rc])
        supplier_email, vng_email = world.users["aanbod"].email, world.users["vng"].email
        expected = archimate.export_filename(world.supplier)
        other_id = world.other_supplier.id
        db.session.remove()
    server = LiveServer(app).start()
    shots = Shots(ARTIFACTS / "archimate-export")
    try:
        page = browser_page
        _login(page, server, supplier_email)
        page.goto(server.url + "/welkom/")
        page.get_by_role("link", name="Mijn aanbod").first.click()
        page.get_by_role("link", name="ArchiMate-export").first.click()
        page.wait_for_url("**/export/archimate/")
        assert page.locator("h1").inner_text() == "ArchiMate-export"
        shots(page, "supplier page")
        assert serious_violations(page) == []
        with page.expect_download() as info:
            page.get_by_role("link", name="ArchiMate-bestand van ICT Solutions BV downloaden").click()
        download = info.value
        assert download.suggested_filename == expected
        path = tmp_path / "eigen.xml"
        download.save_as(path)
        assert_valid(path.read_bytes())
        model = Parsed(path.read_bytes())
        assert {model.name(e) for e in model.of_type("Pakket")} == {"Zaaksuite"}

        page.goto(server.url + "/logout/")
        _login(page, server, vng_email)
        page.goto(server.url + "/export/archimate/")
        shots(page, "vng page")
        assert serious_violations(page) == []
        page.get_by_label("Leverancier").select_option(str(other_id))
        with page.expect_download() as info:
            page.get_by_role("button", name="ArchiMate-bestand downloaden").click()
        path = tmp_path / "ander.xml"
        info.value.save_as(path)
        model = Parsed(path.read_bytes())
        assert {model.name(e) for e in model.of_type("Pakket")} == {"Andere suite"}
        assert "Concurrent BV" in info.value.suggested_filename
    finally:
        server.stop()
