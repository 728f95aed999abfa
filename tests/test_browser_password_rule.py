"""The password rule under the field, counted live as the person types (no CSP break): on the registration
page and on the change-password page of the user menu."""

from __future__ import annotations

import pytest

from tests.conftest import ARTIFACTS
from tests.support.browser import LiveServer, Shots, browser_login, serious_violations

pytestmark = pytest.mark.browser


def test_the_registration_form_counts_down_to_twelve_characters(make_app, browser_page):
    app = make_app()
    server = LiveServer(app).start()
    shots = Shots(ARTIFACTS / "f001-password-rule")
    page = browser_page
    errors: list[str] = []
    page.on("console", lambda msg: errors.append(msg.text) if msg.type == "error" else None)
    try:
        page.set_viewport_size({"width": 390, "height": 900})
        page.goto(server.url + "/aanmelden/")
        counter = page.locator("#password-teller")
        assert counter.inner_text() == "Minstens 12 tekens — nog 12 te gaan"
        page.locator("#password").fill("paarse")
        assert counter.inner_text() == "Minstens 12 tekens — nog 6 te gaan"
        shots(page, "nog-te-gaan")
        page.locator("#password").fill("paarse fiets onder de brug")
        assert counter.inner_text() == "✓ Minstens 12 tekens — gedaan"
        assert "scg-rule-done" in counter.get_attribute("class")
        assert "Veelgebruikte of uitgelekte wachtwoorden" in page.locator("#password-regel").inner_text()
        shots(page, "gedaan")
        assert serious_violations(page) == []
    finally:
        server.stop()
    assert [e for e in errors if "Content Security Policy" in e] == []


def test_the_change_password_form_counts_too(make_app, browser_page):
    from tests.support.actors import World

    app = make_app()
    with app.app_context():
        email = World.build(app).users["fb"].email
    server = LiveServer(app).start()
    shots = Shots(ARTIFACTS / "password-rule-change-form")
    page = browser_page
    errors: list[str] = []
    page.on("console", lambda msg: errors.append(msg.text) if msg.type == "error" else None)
    try:
        browser_login(page, server, email)
        page.goto(server.url + "/account/wachtwoord/")
        counter = page.locator("#password-teller")
        assert counter.inner_text() == "Minstens 12 tekens — nog 12 te gaan"
        assert "password-teller" in page.locator("#password").get_attribute("aria-describedby")
        page.locator("#password").fill("paarse fiets onder de brug")
        assert counter.inner_text() == "✓ Minstens 12 tekens — gedaan"
        shots(page, "wachtwoord-wijzigen")
        assert serious_violations(page) == []
    finally:
        server.stop()
    assert [e for e in errors if "Content Security Policy" in e] == []
