"""F013 Gebruik voorstellen in a real browser: the supplier proposes a usage from its own package page, the
e-mail reaches the gemeente over SMTP, its beheerder opens the link, corrects the version (at 390 px) and
accepts, and the landscape shows the usage. Screenshots of every step; axe-core passes on every page."""

from __future__ import annotations

from urllib.parse import urlsplit

import pytest

from core.catalogue.models import Usage
from core.extensions import db
from tests.conftest import ARTIFACTS
from tests.f013.conftest import make_package
from tests.support.actors import World
from tests.support.browser import LiveServer, Shots, browser_login, serious_violations

pytestmark = pytest.mark.browser


def test_supplier_proposes_and_the_gemeente_corrects_and_accepts(make_app, browser_page, mailbox):
    app = make_app()
    with app.app_context():
        world = World.build(app)
        package = make_package(world.supplier, "Zaakwijzer", versions=("3.1", "4.0"))
        public_id, gemeente_id = package.public_id, world.gemeente.id
    server = LiveServer(app).start()
    shots = Shots(ARTIFACTS / "f013-voorstellen")
    page = browser_page
    page.set_viewport_size({"width": 1280, "height": 900})
    try:
        browser_login(page, server, "jan@ictsolutions.example")
        page.goto(server.url + f"/catalogus/pakketten/{public_id}")
        page.get_by_role("link", name="Gebruik voorstellen aan een gemeente").click()
        page.wait_for_url("**/voorstellen/add**")
        shots(page, "1-leverancier-formulier")
        assert serious_violations(page) == []
        page.locator("select#organisation").select_option(label="Voorbeeldstad", force=True)
        page.locator("select#version").select_option(label="4.0", force=True)
        page.locator("select#status").select_option("in_productie", force=True)
        page.get_by_label("Toelichting").fill("Uw gemeente werkt sinds maart met onze versie 4.0.")
        page.get_by_role("button", name="Voorstel versturen").click()
        page.wait_for_url(f"**/catalogus/pakketten/{public_id}")
        page.get_by_text("Uw voorstel is verstuurd naar Voorbeeldstad").wait_for()
        shots(page, "2-leverancier-verstuurd")
        assert serious_violations(page) == []
        page.goto(server.url + "/voorstellen/list/")
        page.get_by_text("Uw gemeente werkt sinds maart").wait_for()
        shots(page, "3-leverancier-voorstellen")
        assert serious_violations(page) == []

        message = mailbox.last_to("gb@voorbeeldstad.example")
        assert "ICT Solutions BV stelt voor" in message.subject
        link = urlsplit(message.links[0]).path

        page.context.clear_cookies()
        browser_login(page, server, "gb@voorbeeldstad.example")
        page.goto(server.url + "/gebruik/list/")
        page.get_by_text("voorgesteld door ICT Solutions BV").wait_for()
        shots(page, "4-gemeente-landschap-met-voorstel")
        assert serious_violations(page) == []

        page.goto(server.url + link)
        page.get_by_role("heading", name="Voorstel: Zaakwijzer").wait_for()
        shots(page, "5-gemeente-besluitpagina")
        assert serious_violations(page) == []
        page.set_viewport_size({"width": 390, "height": 844})
        shots(page, "6-gemeente-besluitpagina-390")
        assert serious_violations(page) == []
        assert page.evaluate("document.documentElement.scrollWidth") <= 390

        correct = page.locator("form", has=page.get_by_role("button", name="Gecorrigeerd accepteren"))
        correct.locator("select#version").select_option(label="3.1", force=True)
        correct.get_by_role("button", name="Gecorrigeerd accepteren").click()
        page.get_by_text("Het voorstel is gecorrigeerd en geaccepteerd").wait_for()
        shots(page, "7-gemeente-geaccepteerd-390")
        assert serious_violations(page) == []

        page.set_viewport_size({"width": 1280, "height": 900})
        page.goto(server.url + "/gebruik/list/")
        page.get_by_text("Uw gemeente werkt sinds maart").wait_for()
        assert page.get_by_text("voorgesteld door ICT Solutions BV").count() == 0
        shots(page, "8-gemeente-landschap")
        assert serious_violations(page) == []
    finally:
        server.stop()
    with app.app_context():
        usage = db.session.query(Usage).filter_by(organisation_id=gemeente_id).one()
        assert (usage.version.name, usage.status) == ("3.1", "in_productie")
    assert "geaccepteerd" in mailbox.last_to("jan@ictsolutions.example").subject
