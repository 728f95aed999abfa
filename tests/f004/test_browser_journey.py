"""F004 in a real browser: the supplier adds a package, classifies it, adds a version and publishes; axe-core passes."""

from __future__ import annotations

import pytest

from core.catalogue.models import Package
from core.extensions import db
from tests.conftest import ARTIFACTS
from tests.f002.conftest import image_bytes
from tests.f004.conftest import make_concept
from tests.support.actors import World
from tests.support.browser import LiveServer, Shots, browser_login, serious_violations

pytestmark = pytest.mark.browser


def test_supplier_puts_a_package_in_the_shop_window(make_app, browser_page, tmp_path):
    app = make_app()
    with app.app_context():
        World.build(app)
        make_concept("Zaakregistratiecomponent")
        make_concept("Documentregistratiecomponent")
    logo = tmp_path / "logo.png"
    logo.write_bytes(image_bytes("PNG", size=(600, 300)))
    server = LiveServer(app).start()
    shots = Shots(ARTIFACTS / "f004-aanbod")
    page = browser_page
    try:
        browser_login(page, server, "jan@ictsolutions.example")
        page.get_by_role("link", name="Zet uw eerste pakket in de etalage").click()
        page.wait_for_url("**/pakketten/add")
        assert page.locator("h1").count() == 1
        shots(page, "pakket-toevoegen")
        assert serious_violations(page) == []

        page.locator("#name").fill("Zaakwerk")
        page.locator("#short_description").fill("Zaakgericht werken voor gemeenten")
        assert page.get_by_text("van 255 tekens over").is_visible()
        page.locator("#long_description").fill("## Functies\n\nWij doen **zaken**.")
        page.locator("#website").fill("https://zaakwerk.example")
        page.locator("#logo_upload").set_input_files(str(logo))
        # the searchable multi-select (select2): type to search, pick the concept
        page.locator(".select2-search__field").first.click()
        page.keyboard.type("Zaakreg")
        page.locator(".select2-results__option", has_text="Zaakregistratiecomponent").first.click()
        page.get_by_label("SaaS").check()
        page.locator("#licence_type").select_option("open_source")
        page.locator("#licence_spdx").select_option("EUPL-1.2")
        page.locator("#data_location").select_option("nl")
        page.get_by_role("button", name="Opslaan").click()
        page.wait_for_url("**/pakketten/show/*")
        page.get_by_text("Het pakket is toegevoegd.").wait_for()

        with app.app_context():
            package = db.session.query(Package).filter_by(name="Zaakwerk").one()
            assert [rc.name for rc in package.referentiecomponenten] == ["Zaakregistratiecomponent"]
            pk = package.id
        page.get_by_role("img", name="Logo van Zaakwerk").wait_for(state="visible")
        assert page.get_by_role("link", name="Zaakregistratiecomponent").is_visible()
        shots(page, "pakket")
        assert serious_violations(page) == []

        page.goto(server.url + f"/versies/add?_flt_0_package={pk}")
        assert page.locator("h1").count() == 1
        page.locator("#name").fill("1.0")
        page.locator("#start_development").fill("2025-01-01")
        page.locator("#start_test").fill("2024-01-01")
        page.get_by_role("button", name="Opslaan").click()
        page.locator("#start_test-err", has_text="Start test kan niet vóór start ontwikkeling liggen.").wait_for()
        shots(page, "versie-fout")
        assert serious_violations(page) == []
        page.locator("#start_test").fill("2025-02-01")
        page.get_by_role("button", name="Opslaan").click()
        page.get_by_text("De versie is toegevoegd aan Zaakwerk.").wait_for()
        page.wait_for_url(f"**/pakketten/show/{pk}#VersionView")

        page.goto(server.url + "/pakketten/list/")
        assert page.get_by_text("Zaakwerk").first.is_visible()
        shots(page, "pakketten")
        assert serious_violations(page) == []

        page.goto(server.url + f"/pakketten/show/{pk}")
        page.get_by_role("button", name="Publiceren").click()
        page.get_by_text("Zaakwerk is gepubliceerd.").wait_for()
        assert page.locator("#pakket-status").inner_text() == "Gepubliceerd"
        shots(page, "gepubliceerd")
        assert serious_violations(page) == []
    finally:
        server.stop()
