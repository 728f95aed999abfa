"""Mandatory standards in Chromium: the supplier sees the count in the status box, confirms publishing (at 390 px),
and a visitor filters the catalogue on them and sees them on the package page and in the comparison; axe-core clean.
"""

from __future__ import annotations

import pytest

from tests.conftest import ARTIFACTS
from tests.f004.support import classify, make_claim, make_package, make_rc, make_standard, oblige, version_of
from tests.support.actors import World
from tests.support.browser import LiveServer, Shots, browser_login, serious_violations

pytestmark = pytest.mark.browser


def test_publish_with_missing_mandatory_standards_and_see_them_in_the_catalogue(make_app, browser_page):
    app = make_app()
    with app.app_context():
        world = World.build(app)
        zaak = make_rc("Zaakregistratiecomponent")
        stuf, zgw = make_standard("StUF-ZKN", ("3.10",)), make_standard("ZGW API's", ("1.5",))
        oblige(zaak, stuf, "verplicht")
        oblige(zaak, zgw, "verplicht")
        package = make_package(world.supplier, "Zaakwijzer", status="concept", short_description="Zaken",
                               cloud_models="saas", licence_type="proprietary")
        classify(package, zaak)
        make_claim(package, version_of(zgw))
        other = make_package(world.other_supplier, "Zaakbak", short_description="Ook zaken", cloud_models="saas",
                             licence_type="proprietary")
        classify(other, zaak)
        make_claim(other, version_of(zgw))
        make_claim(other, version_of(stuf))
        package_id, public_id, other_public_id = package.id, package.public_id, other.public_id
    server = LiveServer(app).start()
    shots = Shots(ARTIFACTS / "f004-verplichte-standaarden")
    page = browser_page
    try:
        browser_login(page, server, "jan@ictsolutions.example")
        page.set_viewport_size({"width": 390, "height": 844})
        page.goto(server.url + f"/pakketten/show/{package_id}")
        box = page.locator("#verplichte-standaarden")
        assert "1 verplichte standaard nog niet geclaimd." in box.inner_text()
        assert box.get_by_role("link", name="Claim toevoegen voor StUF-ZKN").is_visible()
        shots(page, "statusvak")
        assert serious_violations(page) == []
        page.get_by_role("button", name="Publiceren").click()
        page.wait_for_url("**/pakketten/publiceren?*")
        assert page.locator("h1").inner_text() == "Zaakwijzer publiceren?"
        assert page.get_by_text("Zaakwijzer: 1 verplichte standaard nog niet geclaimd").is_visible()
        shots(page, "bevestigen")
        assert serious_violations(page) == []
        assert page.evaluate("document.documentElement.scrollWidth") <= 390
        page.get_by_role("button", name="Toch publiceren").click()
        page.wait_for_url(f"**/pakketten/show/{package_id}")
        assert page.locator("#pakket-status").inner_text() == "Gepubliceerd"
        assert page.get_by_text("Let op, Zaakwijzer: 1 verplichte standaard nog niet geclaimd.").is_visible()
        shots(page, "gepubliceerd")

        page.context.clear_cookies()
        page.set_viewport_size({"width": 1280, "height": 900})
        page.goto(server.url + "/catalogus/")
        page.get_by_label("Ondersteunt alle verplichte standaarden").check()
        page.get_by_role("button", name="Filters toepassen").click()
        page.wait_for_url("**verplicht=ja*")
        titles = page.locator("article.scg-result h3").all_inner_texts()
        assert "Zaakbak" in titles and "Zaakwijzer" not in titles
        shots(page, "filter")
        assert serious_violations(page) == []

        page.goto(server.url + f"/catalogus/pakketten/{public_id}")
        section = page.locator("section", has=page.locator("#kop-verplicht"))
        assert "Niet geclaimd" in section.inner_text() and "Ondersteund (ZGW API's 1.5)" in section.inner_text()
        assert serious_violations(page) == []

        page.goto(server.url + f"/catalogus/vergelijken?p={public_id}&p={other_public_id}")
        row = page.locator("tr", has=page.get_by_role("rowheader", name="Verplicht: StUF-ZKN"))
        assert row.locator("td").all_inner_texts() == ["Niet geclaimd", "Ondersteund"]
        shots(page, "vergelijken")
        assert serious_violations(page) == []
    finally:
        server.stop()
