"""F010 in a real browser at 390 px: a gemeente joins a samenwerking and ends it, axe-core clean."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from core.extensions import db
from core.models import Organisation
from plugins.f010_lidmaatschap.models import Deelname
from tests.conftest import ARTIFACTS
from tests.support.actors import World, make_org
from tests.support.browser import LiveServer, Shots, browser_login, serious_violations

pytestmark = pytest.mark.browser


def _no_sideways_scroll(page):
    assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth + 1"), "page scrolls sideways"


def test_gemeente_joins_a_samenwerking_and_ends_it_on_a_phone(make_app, browser_page):
    app = make_app()
    with app.app_context():
        World.build(app)
        group = make_org("Regio Samen", "samenwerking")
        make_org("Community Open Zaak", "community")
        group_id = group.id
    server = LiveServer(app).start()
    shots = Shots(ARTIFACTS / "f010-lidmaatschap")
    page = browser_page
    page.set_viewport_size({"width": 390, "height": 844})
    try:
        browser_login(page, server, "gb@voorbeeldstad.example")
        page.goto(server.url + "/deelnames/list/")
        page.get_by_role("link", name="Deelnemen", exact=True).click()
        page.wait_for_url("**/deelnames/add")
        assert page.locator("h1").inner_text().startswith("Deelnemen")
        page.locator("select#group").select_option(str(group_id), force=True)
        _no_sideways_scroll(page)
        assert serious_violations(page) == []
        shots(page, "deelnemen")
        page.locator("form button[type=submit], form input[type=submit]").first.click()
        page.wait_for_url("**/deelnames/list/**")  # back where the user came from
        page.get_by_text("U neemt nu deel.").wait_for()
        page.get_by_text("Regio Samen").first.wait_for()
        _no_sideways_scroll(page)
        assert serious_violations(page) == []
        shots(page, "deelnames")

        page.get_by_role("link", name="Deelname aan Regio Samen beëindigen").click()
        page.wait_for_url("**/deelnames/beeindigen/**")
        _no_sideways_scroll(page)
        assert serious_violations(page) == []
        shots(page, "beeindigen-bevestigen")
        page.get_by_role("button", name="Deelname beëindigen").click()
        page.wait_for_url("**/deelnames/list/**")
        page.get_by_text("Uw deelname aan Regio Samen is beëindigd.").wait_for()
        shots(page, "beeindigd")
    finally:
        server.stop()
    with app.app_context():
        [row] = db.session.scalars(select(Deelname)).all()
        assert row.ended_on is not None
        assert db.session.get(Organisation, row.group_id).name == "Regio Samen"
