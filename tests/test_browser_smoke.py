"""The start and login pages in a real browser: Dutch, accessible."""

import pytest

from tests.conftest import ARTIFACTS
from tests.support.browser import LiveServer, Shots, browser_login, serious_violations

pytestmark = pytest.mark.browser


def test_start_and_login_pages_are_accessible(make_app, browser_page):
    app = make_app()
    server = LiveServer(app).start()
    shots = Shots(ARTIFACTS / "start-and-login")
    try:
        page = browser_page
        page.goto(server.url + "/")
        assert page.locator("h1").inner_text() == "GEMMA Softwarecatalogus"
        shots(page, "start")
        assert serious_violations(page) == []
        page.get_by_role("link", name="Inloggen").first.click()
        page.wait_for_url("**/login/")
        shots(page, "login")
        assert serious_violations(page) == []
    finally:
        server.stop()


def test_organisation_and_account_pages_are_accessible(make_app, browser_page):
    """The core pages a supplier sees after login pass axe-core (serious and critical)."""
    from core.extensions import db
    from tests.support.actors import World

    app = make_app()
    with app.app_context():
        world = World.build(app)
        email, org_id = world.users["aanbod"].email, world.supplier.id
        db.session.remove()
    server = LiveServer(app).start()
    shots = Shots(ARTIFACTS / "organisation-and-account")
    try:
        page = browser_page
        browser_login(page, server, email)
        for path, heading in [("/welkom/", "Welkom"), ("/organisaties/list/", "Organisaties"),
                              (f"/organisaties/show/{org_id}", "ICT Solutions BV"),
                              (f"/organisaties/edit/{org_id}", "Organisatie wijzigen"),
                              ("/account/twee-factor/", "Twee-factorauthenticatie")]:
            page.goto(server.url + path)
            assert heading in page.content()
            shots(page, path.strip("/").replace("/", "-"))
            assert serious_violations(page) == [], path
    finally:
        server.stop()


def test_public_gemma_pages_are_accessible(make_app, browser_page):
    """Anonymous visitors read the reference components of the shipped GEMMA release."""
    from core.extensions import db
    from core.gemma.models import Referentiecomponent

    app = make_app()
    with app.app_context():
        app.extensions["scg_plugins"].hook.seed_data(app=app, demo=False)
        object_id = db.session.query(Referentiecomponent.object_id).filter_by(name="Zaakregistratiecomponent").scalar()
        db.session.remove()
    server = LiveServer(app).start()
    shots = Shots(ARTIFACTS / "gemma-pages")
    try:
        page = browser_page
        page.goto(server.url + "/gemma/referentiecomponenten/?q=zaak")
        page.get_by_role("link", name="Zaakregistratiecomponent", exact=True).click()
        page.wait_for_url(f"**/{object_id}")
        assert page.locator("h1").inner_text() == "Zaakregistratiecomponent"
        assert page.get_by_role("heading", name="Verplichte standaarden").is_visible()
        shots(page, "referentiecomponent")
        assert serious_violations(page) == []
        page.goto(server.url + "/gemma/referentiecomponenten/")
        shots(page, "lijst")
        assert serious_violations(page) == []
    finally:
        server.stop()
