""""Rollen en rechten" and a member's buttons in a real browser at 390 px, axe-core clean."""

from __future__ import annotations

import pytest

from core.extensions import db
from core.models import Membership, RoleGrantOverride
from core.roles import AANBOD_BEHEERDER, GEBRUIK_RAADPLEGER
from tests.conftest import ARTIFACTS
from tests.support.actors import World, make_user
from tests.support.browser import LiveServer, Shots, browser_login, serious_violations

pytestmark = pytest.mark.browser


def _no_sideways_scroll(page):
    assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth + 1"), "page scrolls sideways"


def test_functioneel_beheerder_grants_a_right_and_goes_back_to_the_default(make_app, browser_page):
    app = make_app()
    with app.app_context():
        fb_email = World.build(app).users["fb"].email
        db.session.remove()
    server = LiveServer(app).start()
    shots = Shots(ARTIFACTS / "core-rollen")
    page = browser_page
    page.set_viewport_size({"width": 390, "height": 844})
    try:
        browser_login(page, server, fb_email)
        page.goto(server.url + "/beheer/rollen/")
        page.get_by_role("heading", name="Rollen en rechten").wait_for()
        _no_sideways_scroll(page)
        assert serious_violations(page) == []
        shots(page, "rollen")
        page.get_by_role("link", name=GEBRUIK_RAADPLEGER).click()
        page.get_by_role("heading", name=f"Rechten van {GEBRUIK_RAADPLEGER}").wait_for()
        assert page.get_by_role("group", name="Organisatieprofiel (F002)").count() == 1
        box = page.get_by_role("checkbox", name="Contactpersonen: wijzigen", exact=True)
        assert not box.is_checked()
        box.check()
        _no_sideways_scroll(page)
        assert serious_violations(page) == []
        page.get_by_role("button", name="Opslaan").click()
        page.get_by_text("1 recht(en) van Gebruik-raadpleger gewijzigd.").wait_for()
        assert page.get_by_role("checkbox", name="Contactpersonen: wijzigen", exact=True).is_checked()
        shots(page, "recht-toegekend")
        with app.app_context():
            assert db.session.query(RoleGrantOverride).count() == 1
            db.session.remove()
        page.get_by_role("button", name="Terug naar standaard").click()
        page.get_by_text("zijn terug naar de standaard").wait_for()
        assert not page.get_by_role("checkbox", name="Contactpersonen: wijzigen", exact=True).is_checked()
        shots(page, "terug-naar-standaard")
    finally:
        server.stop()
    with app.app_context():
        assert db.session.query(RoleGrantOverride).count() == 0


def test_beheerder_deactivates_a_colleague_from_the_member_page(make_app, browser_page):
    app = make_app()
    with app.app_context():
        world = World.build(app)
        eva = make_user("eva@ictsolutions.example", AANBOD_BEHEERDER, world.supplier, first_name="Eva",
                        last_name="Visser")
        pk = db.session.query(Membership).filter_by(user_id=eva.id).one().id
        email = world.users["aanbod"].email
        db.session.remove()
    server = LiveServer(app).start()
    shots = Shots(ARTIFACTS / "f003-gebruiker")
    page = browser_page
    page.set_viewport_size({"width": 390, "height": 844})
    try:
        browser_login(page, server, email)
        page.goto(server.url + f"/gebruikers/show/{pk}")
        page.get_by_role("heading", name="Wat wilt u doen?").wait_for()
        assert page.get_by_role("link", name="Rol wijzigen").count() == 1
        _no_sideways_scroll(page)
        assert serious_violations(page) == []
        shots(page, "gebruiker")
        page.get_by_role("button", name="Deactiveren").click()
        page.get_by_text("Eva Visser is gedeactiveerd en kan niet meer inloggen.").wait_for()
        assert page.url.endswith(f"/gebruikers/show/{pk}")
        page.get_by_role("button", name="Activeren").wait_for()
        shots(page, "gedeactiveerd")
        page.get_by_role("button", name="Activeren").click()
        page.get_by_text("Eva Visser is weer actief.").wait_for()
        page.get_by_role("button", name="Wachtwoord-reset sturen").wait_for()
    finally:
        server.stop()
    with app.app_context():
        assert db.session.get(Membership, pk).active is True
