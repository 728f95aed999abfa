"""F005 in a real browser: the supplier adds a service on another supplier's package; axe-core passes."""

from __future__ import annotations

import pytest

from core.catalogue.models import Service
from core.extensions import db
from tests.conftest import ARTIFACTS
from tests.f005.conftest import make_contact, make_package
from tests.support.actors import World
from tests.support.browser import LiveServer, Shots, browser_login, serious_violations

pytestmark = pytest.mark.browser


def test_supplier_offers_a_service_on_another_suppliers_package(make_app, browser_page):
    app = make_app()
    with app.app_context():
        world = World.build(app)
        other_package = make_package(world.other_supplier, "Concurrent Zaken")
        make_package(world.other_supplier, "Concurrent Concept", status="concept")
        make_contact(world.supplier, "Els de Boer")
        package_id = other_package.id
    server = LiveServer(app).start()
    shots = Shots(ARTIFACTS / "f005-diensten")
    page = browser_page
    try:
        browser_login(page, server, "jan@ictsolutions.example")
        page.get_by_role("link", name="Bied diensten aan").click()
        page.wait_for_url("**/diensten/list/")
        assert page.locator("h1").inner_text() == "Mijn diensten"
        shots(page, "diensten-leeg")
        assert serious_violations(page) == []

        page.goto(server.url + "/diensten/add")
        assert page.locator("h1").inner_text() == "Dienst toevoegen"
        assert "Concurrent Concept" not in page.content()
        shots(page, "dienst-formulier")
        assert serious_violations(page) == []

        page.get_by_label("Naam").fill("Functioneel beheer zaken")
        page.locator("select#kind").select_option("functioneel_beheer", force=True)
        page.locator("select#packages").select_option(str(package_id), force=True)
        page.locator("form button[type=submit], form input[type=submit]").first.click()
        page.wait_for_url("**/diensten/list/**")
        page.get_by_text("Concurrent Zaken (Concurrent BV)").wait_for()
        assert "Functioneel beheer" in page.content()
        shots(page, "dienst-opgeslagen")
        assert serious_violations(page) == []
    finally:
        server.stop()
    with app.app_context():
        assert db.session.query(Service).filter_by(name="Functioneel beheer zaken").one().packages[0].id == package_id
