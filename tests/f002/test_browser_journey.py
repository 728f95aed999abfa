"""F002 in a real browser: the supplier fills in its profile with a logo, the public page shows it; axe-core passes."""

from __future__ import annotations

import datetime as dt

import pytest

from core.contacts import ContactPerson
from core.extensions import db
from plugins.f002_organisatie.models import Certification
from tests.conftest import ARTIFACTS
from tests.f002.conftest import image_bytes
from tests.support.actors import World
from tests.support.browser import LiveServer, Shots, browser_login, serious_violations

pytestmark = pytest.mark.browser


def test_supplier_fills_in_profile_and_public_page_shows_it(make_app, browser_page, tmp_path):
    app = make_app()
    with app.app_context():
        world = World.build(app)
        supplier_id = world.supplier.id
        db.session.add(ContactPerson(organisation_id=supplier_id, name="Els de Boer", role="Accountmanager",
                                     email="els@ictsolutions.example"))
        db.session.add(Certification(organisation_id=supplier_id, kind="isae3402", issuer="KPMG",
                                     valid_until=dt.date(2020, 1, 1),
                                     evidence_url="https://certificaten.example/isae"))
        db.session.commit()
    logo = tmp_path / "logo.png"
    logo.write_bytes(image_bytes("PNG", size=(900, 300)))
    server = LiveServer(app).start()
    shots = Shots(ARTIFACTS / "f002-profile")
    page = browser_page
    try:
        browser_login(page, server, "jan@ictsolutions.example")
        page.get_by_role("link", name="Vul uw bedrijfsprofiel aan").click()
        page.wait_for_url("**/profiel/edit/**")
        assert page.locator("h1").count() == 1
        shots(page, "profiel-leeg")
        assert serious_violations(page) == []

        page.get_by_label("Logo (PNG, JPEG of WebP, maximaal 1 MB)").set_input_files(str(logo))
        page.get_by_label("Korte omschrijving").fill("Zaaksystemen voor gemeenten")
        page.get_by_label("Uitgebreide omschrijving (Markdown)").fill("## Over ons\n\nWij bouwen **open** software.")
        page.get_by_label("Plaats").fill("Utrecht")
        page.get_by_label("Supportportaal").fill("https://support.ictsolutions.example")
        page.get_by_role("button", name="Profiel opslaan").click()
        # Back on the welcome page it came from: the task says what is still missing.
        page.wait_for_url("**/welkom/")
        page.get_by_text("Het profiel is opgeslagen.").wait_for()
        task = page.locator(".scg-task-list__item", has_text="Vul uw bedrijfsprofiel aan")
        assert "Nog te doen" in task.inner_text() and "Website ontbreekt" in task.inner_text()
        shots(page, "welkom-na-opslaan")
        assert serious_violations(page) == []
        page.get_by_role("link", name="Vul uw bedrijfsprofiel aan").click()
        page.get_by_role("img", name="Logo van ICT Solutions BV").wait_for(state="visible")
        page.get_by_label("Website").fill("https://ictsolutions.example")
        page.get_by_role("button", name="Profiel opslaan").click()
        page.wait_for_url("**/welkom/")
        task = page.locator(".scg-task-list__item", has_text="Vul uw bedrijfsprofiel aan")
        assert "Gedaan" in task.inner_text() and "Logo, omschrijving en website ingevuld" in task.inner_text()
        shots(page, "profiel-gedaan")
        assert serious_violations(page) == []

        page.context.clear_cookies()
        page.goto(server.url + "/leveranciers/")
        assert page.locator("h1").inner_text() == "Leveranciers"
        assert serious_violations(page) == []
        page.get_by_role("link", name="ICT Solutions BV").click()
        page.wait_for_url(f"**/leveranciers/{supplier_id}")
        assert page.locator("h1").inner_text() == "ICT Solutions BV"
        page.get_by_role("img", name="Logo van ICT Solutions BV").wait_for(state="visible")
        assert page.locator("h2", has_text="Over ons").is_visible()
        assert page.get_by_text("Verlopen", exact=True).is_visible()
        assert page.get_by_text("Els de Boer").is_visible()
        shots(page, "openbare-pagina")
        assert serious_violations(page) == []
    finally:
        server.stop()
