"""F013 in a real browser: a gemeente adds a package to its landscape from the public package page,
at desktop width and at 390 px; axe-core passes on the package page, the form and the landscape."""

from __future__ import annotations

import pytest

from core.catalogue.models import Usage
from core.extensions import db
from tests.conftest import ARTIFACTS
from tests.f013.conftest import make_package
from tests.support.actors import World
from tests.support.browser import LiveServer, Shots, browser_login, serious_violations

pytestmark = pytest.mark.browser


@pytest.mark.parametrize("width", [1280, 390])
def test_gemeente_adds_a_package_from_the_package_page(make_app, browser_page, width):
    app = make_app()
    with app.app_context():
        world = World.build(app)
        package = make_package(world.supplier, "Zaakwijzer", versions=("3.1", "4.0"))
        public_id, gemeente_id = package.public_id, world.gemeente.id
    server = LiveServer(app).start()
    shots = Shots(ARTIFACTS / f"f013-gebruik-{width}")
    page = browser_page
    page.set_viewport_size({"width": width, "height": 900})
    try:
        browser_login(page, server, "gb@voorbeeldstad.example")

        page.goto(server.url + f"/catalogus/pakketten/{public_id}")
        shots(page, "pakketpagina")
        assert serious_violations(page) == []
        page.get_by_role("link", name="Wij gebruiken dit pakket").click()
        page.wait_for_url("**/gebruik/add**")
        assert page.locator("h1").inner_text() == "Pakket toevoegen aan het applicatielandschap"
        shots(page, "formulier")
        assert serious_violations(page) == []

        page.locator("select#version").select_option(label="Zaakwijzer 4.0", force=True)
        page.locator("select#status").select_option("gepland", force=True)
        page.get_by_label("Statusdatum").fill("2026-06-01")
        page.get_by_label("Toelichting").fill("Vanaf de zomer in gebruik.")
        page.locator("form button[type=submit], form input[type=submit]").first.click()
        page.wait_for_url(f"**/catalogus/pakketten/{public_id}")
        page.get_by_text("Het pakket staat nu in het applicatielandschap.").wait_for()
        page.get_by_role("link", name="Bekijk ons gebruik van dit pakket").wait_for()
        shots(page, "terug-op-pakketpagina")
        assert serious_violations(page) == []

        page.goto(server.url + "/gebruik/list/")
        page.get_by_text("Vanaf de zomer in gebruik.").wait_for()
        shots(page, "landschap")
        assert serious_violations(page) == []
    finally:
        server.stop()
    with app.app_context():
        usage = db.session.query(Usage).filter_by(organisation_id=gemeente_id).one()
        assert (usage.version.name, usage.status) == ("4.0", "gepland")
