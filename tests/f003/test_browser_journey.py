"""User management in a real browser: invite a colleague, the colleague joins; every page passes axe-core."""

from __future__ import annotations

import pytest

from tests.conftest import ARTIFACTS
from tests.f003.conftest import NEW_PASSWORD, path_of
from tests.support.actors import PASSWORD, World
from tests.support.browser import LiveServer, Shots, browser_login, enrol_two_factor, serious_violations

pytestmark = pytest.mark.browser


def _log_in(page, server, email):
    browser_login(page, server, email)


def test_beheerder_invites_a_colleague_who_joins(make_app, mailbox, browser_page):
    app = make_app()
    with app.app_context():
        World.build(app)
    server = LiveServer(app).start()
    shots = Shots(ARTIFACTS / "f003-invite-colleague")
    page = browser_page
    try:
        _log_in(page, server, "jan@ictsolutions.example")
        page.get_by_role("link", name="Nodig collega's uit").click()
        page.wait_for_url("**/gebruikers/list/")
        assert page.locator("h1").inner_text() == "Gebruikers"
        shots(page, "gebruikers")
        assert serious_violations(page) == []

        page.get_by_role("link", name="Collega uitnodigen").first.click()
        page.wait_for_url("**/uitnodigingen/add")
        shots(page, "uitnodigen")
        assert serious_violations(page) == []
        page.get_by_label("E-mailadres van de collega").fill("eva@ictsolutions.example")
        page.get_by_label("Voornaam").fill("Eva")
        page.get_by_role("button", name="Uitnodiging versturen").click()
        page.wait_for_url("**/uitnodigingen/list/")
        page.get_by_text("De uitnodiging is verstuurd naar eva@ictsolutions.example").wait_for()
        assert "<h1>Uitnodigingen</h1>" in page.content()
        shots(page, "uitnodigingen")
        assert serious_violations(page) == []

        page.context.clear_cookies()
        link = [x for x in mailbox.last_to("eva@ictsolutions.example").links if "/uitnodiging/" in x][0]
        page.goto(server.url + path_of(link))
        assert page.locator("h1").inner_text() == "Uw account aanmaken"
        shots(page, "account-aanmaken")
        assert serious_violations(page) == []
        page.get_by_label("Achternaam").fill("de Vries")
        page.get_by_label("Wachtwoord", exact=True).fill(NEW_PASSWORD)
        page.get_by_label("Herhaal het wachtwoord").fill(NEW_PASSWORD)
        page.get_by_role("button", name="Account aanmaken en inloggen").click()
        # An Aanbod-beheerder: two-factor is set up first.
        page.wait_for_url("**/account/twee-factor/**")
        assert serious_violations(page) == []
        enrol_two_factor(page)
        page.wait_for_url("**/welkom/")
        assert "Welkom, Eva" in page.content() and "ICT Solutions BV" in page.content()
        shots(page, "welkom")

        page.goto(server.url + path_of(link))
        assert page.locator("h1").inner_text() == "Deze uitnodiging werkt niet"
        assert serious_violations(page) == []
    finally:
        server.stop()


def test_public_join_page_and_functioneel_beheerder_invite_page_are_accessible(make_app, mailbox, browser_page):
    app = make_app()
    with app.app_context():
        from core.builtin.gemeenten import load_gemeenten

        world = World.build(app)
        load_gemeenten()
        fb_secret = world.users["fb"].totp_secret
    server = LiveServer(app).start()
    shots = Shots(ARTIFACTS / "f003-join-and-fb")
    page = browser_page
    try:
        page.goto(server.url + "/aansluiten/")
        shots(page, "aansluiten")
        assert serious_violations(page) == []
        page.get_by_label("Voornaam").fill("Kees")
        page.get_by_label("Achternaam").fill("Jansen")
        page.get_by_label("Uw zakelijke e-mailadres").fill("kees@gmail.com")
        page.get_by_role("button", name="Verzoek versturen").click()
        page.locator("#email-err", has_text="algemene e-maildienst").wait_for()
        shots(page, "aansluiten-fout")
        assert serious_violations(page) == []

        import pyotp

        page.goto(server.url + "/login/")
        page.get_by_label("E-mailadres of gebruikersnaam").fill("beheerder@vng.example")
        page.get_by_label("Wachtwoord").fill(PASSWORD)
        page.get_by_role("button", name="Inloggen").click()
        page.wait_for_url("**/login/code/")
        page.get_by_label("Code uit uw authenticator-app").fill(pyotp.TOTP(fb_secret).now())
        page.get_by_role("button").last.click()
        page.wait_for_url("**/welkom/")
        page.goto(server.url + "/uitnodigingen/add")
        shots(page, "fb-uitnodigen")
        assert serious_violations(page) == []
        page.get_by_label("Zoek een organisatie").fill("utrecht")
        assert page.locator("#organisation option:checked").inner_text() == "Utrecht (Gemeente)"
        assert page.locator("#organisation-aantal").inner_text() == "2 organisaties gevonden"  # and Utrechtse Heuvelrug
        assert page.locator("#role option[value='Aanbod-beheerder']").is_disabled()
        page.get_by_label("Rol").select_option("Gebruik-beheerder")
        page.get_by_label("E-mailadres van de collega").fill("eerste@utrecht.example")
        shots(page, "fb-uitnodigen-utrecht")
        page.get_by_role("button", name="Uitnodiging versturen").click()
        page.wait_for_url("**/uitnodigingen/list/")
        assert "namens Utrecht" in mailbox.last_to("eerste@utrecht.example").text
    finally:
        server.stop()


def test_beheerder_approves_a_join_request_in_the_browser(make_app, mailbox, browser_page):
    app = make_app()
    with app.app_context():
        from core.extensions import db
        from plugins.f003_gebruikers.models import JoinRequest

        world = World.build(app)
        request_ = JoinRequest(organisation_id=world.gemeente.id, email="kees@voorbeeldstad.example",
                               first_name="Kees", last_name="Jansen", motivation="Burgerzaken", status="open")
        db.session.add(request_)
        db.session.commit()
        pk = request_.id
    server = LiveServer(app).start()
    shots = Shots(ARTIFACTS / "f003-join-request-review")
    page = browser_page
    try:
        _log_in(page, server, "gb@voorbeeldstad.example")
        page.get_by_role("link", name="Beoordeel aansluitverzoeken").click()
        page.wait_for_url("**/aansluitverzoeken/list/")
        assert serious_violations(page) == []
        page.goto(f"{server.url}/aansluitverzoeken/show/{pk}")
        assert page.locator("h1").inner_text() == "Aansluitverzoek"
        shots(page, "verzoek")
        assert serious_violations(page) == []
        page.get_by_label("Rol bij goedkeuren").select_option("Gebruik-raadpleger")
        page.get_by_role("button", name="Goedkeuren en uitnodiging sturen").click()
        page.wait_for_url("**/aansluitverzoeken/list/")
        page.get_by_text("krijgt een uitnodiging per e-mail", exact=False).wait_for()
        shots(page, "goedgekeurd")
        assert "Gebruik-raadpleger" in mailbox.last_to("kees@voorbeeldstad.example").text
    finally:
        server.stop()
