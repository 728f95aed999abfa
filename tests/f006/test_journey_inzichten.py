"""F006 in a real browser: a gemeente's beheerder views a package and shows interest (sharing a contact);
the supplier gets the in-app notification (the counter in the top bar) and the e-mail over SMTP, opens it,
and its dashboard shows the view, the interest and the charts with their tables and CSV; fixing the top
recommendation through its link removes it. Screenshots of
every step; axe-core passes on every page."""

from __future__ import annotations

import pytest

from core.extensions import db
from core.models import ScgUser
from tests.conftest import ARTIFACTS
from tests.f006.conftest import make_package, make_usage
from tests.support.actors import World
from tests.support.browser import LiveServer, Shots, browser_login, serious_violations

pytestmark = pytest.mark.browser


def test_gemeente_shows_interest_and_the_supplier_sees_it(make_app, browser_page, mailbox):
    app = make_app()
    with app.app_context():
        world = World.build(app)
        package = make_package(world.supplier, "Zaakwijzer", versions=("3.1", "4.0"))
        make_usage(world.other_gemeente, package)
        public_id = package.public_id
        supplier_user = db.session.get(ScgUser, world.users["aanbod"].id).email
    server = LiveServer(app).start()
    shots = Shots(ARTIFACTS / "f006-inzichten")
    page = browser_page
    try:
        browser_login(page, server, "gb@voorbeeldstad.example")
        page.goto(server.url + f"/catalogus/pakketten/{public_id}")
        shots(page, "1-gemeente-pakketpagina")
        page.get_by_role("link", name="Interesse tonen").click()
        page.wait_for_url("**/inzichten/interesse/add**")
        shots(page, "2-gemeente-interesse-formulier")
        assert serious_violations(page) == []
        page.locator("textarea#message").fill("Wij vervangen ons zaaksysteem in 2027.")
        page.locator("input#share_contact").check()
        page.locator("main form button[type=submit]").last.click()
        page.wait_for_url(f"**/catalogus/pakketten/{public_id}")
        page.get_by_text("Uw interesse is doorgegeven aan de leverancier.").wait_for()
        page.get_by_role("link", name="Onze interesse bekijken").wait_for()
        shots(page, "3-gemeente-interesse-getoond")
        assert serious_violations(page) == []

        mails = [m.subject.strip() for m in mailbox.to(supplier_user)]
        assert "Nieuwe melding: Voorbeeldstad heeft uw pakket Zaakwijzer bekeken." in mails
        assert "Nieuwe melding: Voorbeeldstad heeft interesse getoond in uw pakket Zaakwijzer." in mails

        page.context.clear_cookies()
        browser_login(page, server, supplier_user)
        page.get_by_role("link", name="Meldingen (2)").click()
        page.wait_for_url("**/inzichten/meldingen/list/**")
        page.get_by_text("Voorbeeldstad heeft interesse getoond in uw pakket Zaakwijzer.").wait_for()
        shots(page, "4-leverancier-meldingen")
        assert serious_violations(page) == []
        page.get_by_role("button", name="Alles als gelezen markeren").click()
        page.get_by_text("2 melding(en) gemarkeerd als gelezen.").wait_for()
        assert page.get_by_role("link", name="Meldingen", exact=True).count() == 1

        page.goto(server.url + "/inzichten/")
        page.get_by_role("heading", name="Inzichten", exact=True).wait_for()
        body = page.locator("main").inner_text()
        assert "Voorbeeldstad" in body and "Wij vervangen ons zaaksysteem in 2027." in body
        assert "gb@voorbeeldstad.example" in body
        # views, customers and versions have figures; no proposal was made yet
        assert page.locator("svg.scg-chart").count() == 3
        assert page.locator("#kop-voorstellen + p").inner_text() == "Nog geen gegevens."
        shots(page, "5-leverancier-dashboard")
        assert serious_violations(page) == []
        page.get_by_role("link", name="Zaakwijzer", exact=True).click()
        page.wait_for_url(f"**/inzichten/pakket/{public_id}")
        page.locator("summary").first.click()
        shots(page, "6-leverancier-pakketdashboard-tabel")
        assert serious_violations(page) == []
        with page.expect_download() as info:
            page.get_by_role("link", name="Download als CSV (klanten per maand").click()
        csv_text = open(info.value.path(), encoding="utf-8-sig").read()
        assert csv_text.splitlines()[0] == "Maand;Klanten" and csv_text.strip().endswith(";1")

        # the top recommendation: fix it through its link, and it is gone
        top = page.locator("ol.scg-aanbevelingen li").first
        assert top.inner_text().startswith("Zaakwijzer heeft geen uitgebreide beschrijving.")
        top.get_by_role("link").click()
        page.wait_for_url("**/pakketten/edit/**")
        shots(page, "7-leverancier-aanbeveling-oplossen")
        page.get_by_label("Uitgebreide beschrijving (Markdown)").fill("Zaakwijzer ondersteunt zaakgericht werken.")
        page.locator("main form button[type=submit]").last.click()
        page.wait_for_load_state("load")
        page.goto(server.url + f"/inzichten/pakket/{public_id}")
        assert "geen uitgebreide beschrijving" not in page.locator("main").inner_text()
        shots(page, "8-leverancier-aanbeveling-weg")
        assert serious_violations(page) == []
    finally:
        server.stop()
