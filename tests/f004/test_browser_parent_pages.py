"""Issue 10.1 in a real browser: a module edited from a bookmark (no page before it) returns to the package's
Modules tab, which is open, with the message naming the package; Annuleren goes there too; axe-core passes."""

from __future__ import annotations

import pytest

from tests.conftest import ARTIFACTS
from tests.f004.conftest import make_module, make_package
from tests.support.actors import World
from tests.support.browser import LiveServer, Shots, browser_login, serious_violations

pytestmark = pytest.mark.browser


def test_a_module_saved_outside_the_package_page_returns_to_its_tab(make_app, browser_page):
    app = make_app()
    with app.app_context():
        world = World.build(app)
        package = make_package(world.supplier, name="Zaakwijs Zaken")
        module = make_module(package, "Burgerzaken")
        package_id, module_id = package.id, module.id
    server = LiveServer(app).start()
    shots = Shots(ARTIFACTS / "f004-parent-pages")
    page = browser_page
    try:
        browser_login(page, server, "jan@ictsolutions.example")
        page.goto(server.url + "/catalogus/")  # an unrelated page before the form
        page.goto(server.url + f"/modules/edit/{module_id}")
        assert page.locator("h1").inner_text() == "Module wijzigen van Zaakwijs Zaken"
        crumbs = page.get_by_role("navigation", name="Kruimelpad")
        assert crumbs.get_by_role("link", name="Zaakwijs Zaken").is_visible()
        shots(page, "module-wijzigen")
        assert serious_violations(page) == []
        page.get_by_label("Naam").fill("Balie en burgerzaken")
        page.get_by_role("button", name="Opslaan").click()
        page.wait_for_url(f"**/pakketten/show/{package_id}#ModuleView")
        page.get_by_text("De module van Zaakwijs Zaken is opgeslagen.").wait_for()
        tab = page.locator("#ModuleView")
        tab.get_by_text("Balie en burgerzaken").wait_for(state="visible")  # the Modules tab is the open one
        shots(page, "terug-op-het-tabblad")
        assert serious_violations(page) == []

        page.goto(server.url + f"/modules/edit/{module_id}")
        page.get_by_role("link", name="Annuleren").click()
        page.wait_for_url(f"**/pakketten/show/{package_id}#ModuleView")
    finally:
        server.stop()
