"""F013 in a real browser: a samenwerking's Gebruik-beheerder registers usage for a member gemeente from the
package page; the member's Gebruik-beheerder sees it marked "geregistreerd door ...". At 1280 and 390 px,
screenshots, axe-core clean."""

from __future__ import annotations

import datetime as dt

import pytest

from core.catalogue.models import Usage
from core.extensions import db
from core.roles import GEBRUIK_BEHEERDER
from plugins.f010_lidmaatschap.models import Deelname
from tests.conftest import ARTIFACTS
from tests.f013.conftest import make_package
from tests.support.actors import World, make_org, make_user
from tests.support.browser import LiveServer, Shots, browser_login, serious_violations

pytestmark = pytest.mark.browser


@pytest.mark.parametrize("width", [1280, 390])
def test_samenwerking_registers_for_a_member_who_sees_it_marked(make_app, browser_page, width):
    app = make_app()
    with app.app_context():
        world = World.build(app)
        group = make_org("Regio Samen", "samenwerking")
        db.session.add(Deelname(organisation_id=world.gemeente.id, group_id=group.id, since=dt.date(2025, 1, 1)))
        db.session.commit()
        make_user("gb@regiosamen.example", GEBRUIK_BEHEERDER, group)
        package = make_package(world.supplier, "Zaakwijzer", versions=("4.0",))
        public_id, gemeente_id, group_id = package.public_id, world.gemeente.id, group.id
    server = LiveServer(app).start()
    shots = Shots(ARTIFACTS / f"f013-samenwerking-{width}")
    page = browser_page
    page.set_viewport_size({"width": width, "height": 900})
    try:
        browser_login(page, server, "gb@regiosamen.example")
        page.goto(server.url + f"/catalogus/pakketten/{public_id}")
        page.get_by_role("link", name="Wij gebruiken dit pakket").click()
        page.wait_for_url("**/gebruik/add**")
        page.get_by_text("Voor wie registreert u dit gebruik?").first.wait_for()
        shots(page, "formulier-samenwerking")
        assert serious_violations(page) == []
        page.locator("select#organisation").select_option(label="Voorbeeldstad", force=True)
        page.get_by_label("Toelichting").fill("Regionaal aanbesteed.")
        page.locator("form button[type=submit], form input[type=submit]").first.click()
        page.wait_for_url(f"**/catalogus/pakketten/{public_id}")
        page.get_by_text("Het pakket staat nu in het applicatielandschap.").wait_for()

        page.goto(server.url + "/gebruik/list/")
        page.get_by_text("Regionaal aanbesteed.").wait_for()
        shots(page, "landschap-samenwerking")
        assert serious_violations(page) == []

        page.context.clear_cookies()
        browser_login(page, server, "gb@voorbeeldstad.example")
        page.goto(server.url + "/gebruik/list/")
        page.get_by_text("geregistreerd door Regio Samen").first.wait_for()
        shots(page, "landschap-gemeente")
        assert serious_violations(page) == []
        page.get_by_text("Regionaal aanbesteed.").wait_for()
        with app.app_context():
            pk = db.session.query(Usage.id).filter_by(organisation_id=gemeente_id).scalar()
        page.goto(server.url + f"/gebruik/show/{pk}")
        page.get_by_text("Dit gebruik is geregistreerd door Regio Samen voor Voorbeeldstad.").wait_for()
        shots(page, "gebruik-gemeente")
        assert serious_violations(page) == []
    finally:
        server.stop()
    with app.app_context():
        usage = db.session.query(Usage).filter_by(organisation_id=gemeente_id).one()
        assert usage.registered_by_id == group_id and usage.description == "Regionaal aanbesteed."
