"""Issue 9's journey in one browser session: the supplier proposes usage to a gemeente; the e-mail arrives
over SMTP; the gemeente's beheerder corrects the version, accepts and opts in as reference; the public package
page shows the reference and the new count; the supplier's klantoverzicht shows the customer; a samenwerking
registers usage for a member, which the member sees. Screenshots of every step; axe-core clean on each page."""

from __future__ import annotations

import datetime as dt
from urllib.parse import urlsplit

import pytest

from core.catalogue.models import Usage
from core.extensions import db
from core.roles import GEBRUIK_BEHEERDER
from plugins.f010_lidmaatschap.models import Deelname
from plugins.f013_gebruik.models import Reference
from tests.conftest import ARTIFACTS
from tests.f013.conftest import make_package
from tests.support.actors import World, make_org, make_user
from tests.support.browser import LiveServer, Shots, browser_login, serious_violations

pytestmark = pytest.mark.browser


def test_propose_accept_reference_customers_and_samenwerking(make_app, browser_page, mailbox):
    app = make_app()
    with app.app_context():
        world = World.build(app)
        package = make_package(world.supplier, "Zaakwijzer", versions=("3.1", "4.0"))
        second = make_package(world.supplier, "Vergaderapp", versions=("1.0",))
        group = make_org("Regio Samen", "samenwerking")
        db.session.add(Deelname(organisation_id=world.gemeente.id, group_id=group.id, since=dt.date(2025, 1, 1)))
        db.session.commit()
        make_user("gb@regiosamen.example", GEBRUIK_BEHEERDER, group)
        public_id, second_id, gemeente_id = package.public_id, second.public_id, world.gemeente.id
    server = LiveServer(app).start()
    shots = Shots(ARTIFACTS / "f013-reis-gemeentelijke-helft")
    page = browser_page
    page.set_viewport_size({"width": 1280, "height": 900})

    def check(name):
        shots(page, name)
        assert serious_violations(page) == []

    try:
        # 1. The supplier proposes version 4.0 to Voorbeeldstad from its own package page.
        browser_login(page, server, "jan@ictsolutions.example")
        page.goto(server.url + f"/catalogus/pakketten/{public_id}")
        page.get_by_role("link", name="Gebruik voorstellen aan een gemeente").click()
        page.wait_for_url("**/voorstellen/add**")
        page.locator("select#organisation").select_option(label="Voorbeeldstad", force=True)
        page.locator("select#version").select_option(label="4.0", force=True)
        page.locator("select#status").select_option("in_productie", force=True)
        check("voorstel-formulier")
        page.get_by_role("button", name="Voorstel versturen").click()
        page.get_by_text("Uw voorstel is verstuurd naar Voorbeeldstad").wait_for()
        check("voorstel-verstuurd")

        # 2. The e-mail reaches the gemeente's beheerder over SMTP.
        message = mailbox.last_to("gb@voorbeeldstad.example")
        assert "ICT Solutions BV stelt voor" in message.subject
        link = urlsplit(message.links[0]).path

        # 3. The beheerder corrects the version to 3.1 and accepts.
        page.context.clear_cookies()
        browser_login(page, server, "gb@voorbeeldstad.example")
        page.goto(server.url + link)
        page.get_by_role("heading", name="Voorstel: Zaakwijzer").wait_for()
        check("besluitpagina")
        correct = page.locator("form", has=page.get_by_role("button", name="Gecorrigeerd accepteren"))
        correct.locator("select#version").select_option(label="3.1", force=True)
        correct.get_by_role("button", name="Gecorrigeerd accepteren").click()
        page.get_by_text("Het voorstel is gecorrigeerd en geaccepteerd").wait_for()
        check("geaccepteerd")

        # 4. ... and opts in as a reference, on the usage page, with a contact person.
        with app.app_context():
            usage_id = db.session.query(Usage.id).filter_by(organisation_id=gemeente_id).scalar()
        page.goto(server.url + f"/gebruik/show/{usage_id}")
        page.get_by_role("link", name="Referentie instellen voor Zaakwijzer").click()
        page.wait_for_url(f"**/gebruik/referentie/{usage_id}")
        page.get_by_label("Ja, andere gemeenten mogen ons noemen en benaderen").check()
        page.get_by_label("Naam contactpersoon").fill("Els de Vries")
        page.get_by_label("E-mailadres contactpersoon").fill("els@voorbeeldstad.example")
        page.get_by_role("button", name="Opslaan").click()
        page.wait_for_url(f"**/gebruik/show/{usage_id}")
        page.get_by_text("U bent nu referentie voor Zaakwijzer.").wait_for()
        check("referentie-ingesteld")

        # 5. A visitor sees the reference by name and the new count, not the contact.
        page.context.clear_cookies()
        page.goto(server.url + f"/catalogus/pakketten/{public_id}")
        section = page.locator("section", has=page.get_by_role("heading", name="Referenties"))
        assert "Voorbeeldstad" in section.inner_text() and "Els de Vries" not in page.content()
        assert "1 gemeente gebruikt dit pakket." in page.locator(".scg-count").inner_text()
        check("pakketpagina")

        # 6. The supplier's klantoverzicht shows the customer with the corrected version.
        browser_login(page, server, "jan@ictsolutions.example")
        page.goto(server.url + "/klanten/")
        row = page.locator("tr", has_text="Voorbeeldstad")
        assert "3.1" in row.first.inner_text()
        check("klantoverzicht")

        # 7. The samenwerking registers another package for its member Voorbeeldstad.
        page.context.clear_cookies()
        browser_login(page, server, "gb@regiosamen.example")
        page.goto(server.url + f"/catalogus/pakketten/{second_id}")
        page.get_by_role("link", name="Wij gebruiken dit pakket").click()
        page.wait_for_url("**/gebruik/add**")
        page.locator("select#organisation").select_option(label="Voorbeeldstad", force=True)
        page.get_by_label("Toelichting").fill("Regionaal aanbesteed.")
        check("samenwerking-registreert")
        page.locator("form button[type=submit], form input[type=submit]").first.click()
        page.get_by_text("Het pakket staat nu in het applicatielandschap.").wait_for()

        # 8. The member sees it in its landscape, marked as registered by the samenwerking.
        page.context.clear_cookies()
        browser_login(page, server, "gb@voorbeeldstad.example")
        page.goto(server.url + "/gebruik/list/")
        page.get_by_text("geregistreerd door Regio Samen").first.wait_for()
        check("landschap-lid")
    finally:
        server.stop()
    with app.app_context():
        usages = {u.package.name: u for u in db.session.query(Usage).filter_by(organisation_id=gemeente_id)}
        assert usages["Zaakwijzer"].version.name == "3.1"
        assert usages["Vergaderapp"].registered_by.name == "Regio Samen"
        assert db.session.query(Reference).filter_by(usage_id=usages["Zaakwijzer"].id, opted_in=True).count() == 1
