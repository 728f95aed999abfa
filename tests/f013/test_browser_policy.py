"""F013 proposal policy in a real browser: the VNG-raadpleger reads the queue of unanswered proposals
(oldest first, a municipality without a beheerder marked), at desktop width and at 390 px; axe-core passes.
A Gebruik-beheerder blocks a supplier on the Geblokkeerde leveranciers page."""

from __future__ import annotations

import datetime as dt

import pytest

from core.extensions import db
from core.models import utcnow
from plugins.f013_gebruik.models import Proposal, ProposalBlock
from tests.conftest import ARTIFACTS
from tests.f013.conftest import make_package
from tests.support.actors import World, make_org
from tests.support.browser import LiveServer, Shots, browser_login, serious_violations

pytestmark = pytest.mark.browser


def _propose(org, supplier, package, days_ago, note):
    db.session.add(Proposal(organisation_id=org.id, supplier_id=supplier.id, package_id=package.id, note=note,
                            proposed_on=utcnow() - dt.timedelta(days=days_ago)))


@pytest.mark.parametrize("width", [1280, 390])
def test_vng_reads_the_queue_of_unanswered_proposals(make_app, browser_page, width):
    app = make_app()
    with app.app_context():
        world = World.build(app)
        zaak = make_package(world.supplier, "Zaakwijzer")
        rival = make_package(world.other_supplier, "Belastingen Plus")
        stil = make_org("Stilstad", "gemeente", cbs_code="9993")
        _propose(stil, world.supplier, zaak, 40, "Al jaren in gebruik bij Stilstad.")
        _propose(world.gemeente, world.other_supplier, rival, 3, "Sinds dit voorjaar.")
        _propose(world.other_gemeente, world.supplier, zaak, 75, "Te oud voorstel.")
        db.session.commit()
        vng_email = world.users["vng"].email
    server = LiveServer(app).start()
    shots = Shots(ARTIFACTS / f"f013-wachtrij-{width}")
    page = browser_page
    page.set_viewport_size({"width": width, "height": 900})
    try:
        browser_login(page, server, vng_email)
        page.goto(server.url + "/gebruiksvoorstellen-wachtrij/list/")
        assert page.locator("h1").inner_text() == "Openstaande gebruiksvoorstellen"
        rows = page.locator("table.table-hover tr:has(td)")
        assert rows.count() == 2
        assert "Stilstad" in rows.nth(0).inner_text() and "Nee, nog niet" in rows.nth(0).inner_text()
        assert "Voorbeeldstad" in rows.nth(1).inner_text()
        assert page.get_by_text("Te oud voorstel.").count() == 0
        shots(page, "wachtrij")
        assert serious_violations(page) == []
    finally:
        server.stop()


def test_gebruik_beheerder_blocks_a_supplier(make_app, browser_page):
    app = make_app()
    with app.app_context():
        world = World.build(app)
        email, supplier_id = world.users["gebruik"].email, world.supplier.id
    server = LiveServer(app).start()
    shots = Shots(ARTIFACTS / "f013-blokkeren")
    page = browser_page
    page.set_viewport_size({"width": 390, "height": 900})
    try:
        browser_login(page, server, email)
        page.goto(server.url + "/geblokkeerde-leveranciers/list/")
        page.get_by_role("link", name="Leverancier blokkeren").click()
        page.wait_for_url("**/geblokkeerde-leveranciers/add**")
        assert serious_violations(page) == []
        page.locator("select#supplier").select_option(str(supplier_id), force=True)
        page.locator("form#model_form button[type=submit]").click()
        page.wait_for_url("**/geblokkeerde-leveranciers/list/")
        page.get_by_text("U ontvangt geen voorstellen meer van deze leverancier.").wait_for()
        shots(page, "geblokkeerd")
        assert serious_violations(page) == []
    finally:
        server.stop()
    with app.app_context():
        assert db.session.query(ProposalBlock).filter_by(supplier_id=supplier_id).count() == 1
