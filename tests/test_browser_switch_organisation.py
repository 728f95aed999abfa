"""One account, two organisations in a real browser: switch in the user menu, at 1280 and 390 px, axe-core clean.

Mia is Gebruik-beheerder of Voorbeeldstad and Aanbod-beheerder of ICT Solutions BV. She
sees the landscape of Voorbeeldstad, switches to ICT Solutions BV in the user menu,
and sees ICT's packages (and no landscape); then switches back.
"""

from __future__ import annotations

import pytest

from core import accounts
from core.extensions import db
from core.roles import AANBOD_BEHEERDER, GEBRUIK_BEHEERDER
from tests.conftest import ARTIFACTS
from tests.f013.conftest import make_package, make_usage
from tests.support.actors import World, make_user
from tests.support.browser import LiveServer, Shots, browser_login, serious_violations

pytestmark = pytest.mark.browser

EMAIL = "mia@voorbeeldstad.example"


def _no_sideways_scroll(page):
    assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth + 1"), "page scrolls sideways"


def _open_user_menu(page, narrow: bool):
    if narrow:
        page.get_by_role("button", name="Menu openen of sluiten").click()
        page.locator("#scg-navbar.collapse.in").wait_for()  # the menu has finished opening
    page.locator("a.dropdown-toggle", has_text="Mia Meerdere").click()
    page.locator(".scg-active-org").wait_for(state="visible")


@pytest.mark.parametrize("width", [1280, 390])
def test_switch_organisation_in_the_user_menu(make_app, browser_page, width):
    app = make_app()
    with app.app_context():
        world = World.build(app)
        user = make_user(EMAIL, GEBRUIK_BEHEERDER, world.gemeente, first_name="Mia", last_name="Meerdere")
        accounts.add_membership(user, world.supplier, AANBOD_BEHEERDER)
        db.session.commit()
        zaak = make_package(world.supplier, "Zaakwijzer", versions=("4.0",))
        make_package(world.other_supplier, "Belastingen Plus")
        make_usage(world.gemeente, zaak, description="Voor de burgerzaken")
    narrow = width < 768
    server = LiveServer(app).start()
    shots = Shots(ARTIFACTS / f"switch-organisation-{width}")
    page = browser_page
    page.set_viewport_size({"width": width, "height": 844 if narrow else 900})
    try:
        browser_login(page, server, EMAIL)
        page.goto(server.url + "/gebruik/list/")
        page.get_by_text("Zaakwijzer").first.wait_for()
        _open_user_menu(page, narrow)
        assert "Actief namens: Voorbeeldstad" in page.locator(".scg-active-org").inner_text()
        _no_sideways_scroll(page)
        assert serious_violations(page) == []
        shots(page, "menu-voorbeeldstad")

        page.get_by_role("button", name="Wissel naar ICT Solutions BV").click()
        # a supplier may not open the landscape it came from: the start page, which says what happened
        page.wait_for_url("**/welkom/")
        page.get_by_text("U werkt nu namens ICT Solutions BV (Aanbod-beheerder).").wait_for()
        _no_sideways_scroll(page)
        assert serious_violations(page) == []
        shots(page, "gewisseld-naar-ict-solutions")
        page.goto(server.url + "/pakketten/list/")
        page.get_by_text("Zaakwijzer").first.wait_for()
        assert page.get_by_text("Belastingen Plus").count() == 0
        _open_user_menu(page, narrow)
        assert "Actief namens: ICT Solutions BV" in page.locator(".scg-active-org").inner_text()
        _no_sideways_scroll(page)
        assert serious_violations(page) == []
        shots(page, "menu-ict-solutions")

        page.get_by_role("button", name="Wissel naar Voorbeeldstad").click()
        page.wait_for_url("**/welkom/")
        page.get_by_text("U werkt nu namens Voorbeeldstad (Gebruik-beheerder).").wait_for()
        page.goto(server.url + "/gebruik/list/")
        page.get_by_text("Zaakwijzer").first.wait_for()
        _no_sideways_scroll(page)
        assert serious_violations(page) == []
        shots(page, "terug-bij-voorbeeldstad")
    finally:
        server.stop()
