"""The password rule under the field on the registration page, counted live as the person types (no CSP break)."""

from __future__ import annotations

import pytest

from tests.conftest import ARTIFACTS
from tests.support.browser import LiveServer, Shots, serious_violations

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
