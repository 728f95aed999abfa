"""F011 in a real browser: a visitor searches the demo catalogue with facets, compares two packages
and opens a package page; axe-core finds no serious or critical violations on any of them."""

from __future__ import annotations

import pytest

from tests.conftest import ARTIFACTS
from tests.support.browser import LiveServer, Shots, serious_violations

pytestmark = pytest.mark.browser


def demo_municipality_counts(*names: str) -> list[int]:
    """What the demo data makes of "N gemeenten gebruiken dit pakket" (the demo landscape adds some)."""
    from sqlalchemy import select

    from core.catalogue.models import Package
    from core.extensions import db

    counts = [db.session.scalar(select(Package.municipality_count).filter_by(name=name)) for name in names]
    assert all(n >= 2 for n in counts)  # a row of plural counts, as the page shows them
    return counts


def test_visitor_searches_filters_compares_and_opens_a_package(make_app, browser_page):
    app = make_app()
    with app.app_context():
        app.extensions["scg_plugins"].hook.seed_data(app=app, demo=True)
        counts = demo_municipality_counts("Documentenstraat (demo)", "Zaakwijzer (demo)")
    server = LiveServer(app).start()
    shots = Shots(ARTIFACTS / "f011-catalogus")
    page = browser_page
    try:
        page.goto(server.url + "/")
        page.get_by_role("link", name="Zoek in de catalogus").click()
        page.wait_for_url("**/catalogus/")
        assert page.locator("h1").inner_text() == "Catalogus: pakketten zoeken"
        assert page.get_by_role("heading", name="4 pakketten gevonden").is_visible()
        shots(page, "zoeken")
        assert serious_violations(page) == []

        # free text without the accent, then a facet, all in the URL
        page.get_by_label("Zoek op naam, beschrijving of leverancier").fill("cafe")
        page.get_by_role("button", name="Zoeken", exact=True).click()
        page.wait_for_url("**/catalogus/?q=cafe*")
        assert page.get_by_role("link", name="Archiefkast Café (demo)").is_visible()
        page.goto(server.url + "/catalogus/")
        page.get_by_role("checkbox", name="Technisch beheer / hosting (2)").check()
        page.get_by_role("button", name="Filters toepassen").click()
        page.wait_for_url("**dienst=technisch_beheer*")
        assert page.get_by_role("heading", name="2 pakketten gevonden").is_visible()
        remove_filter = "Diensten aangeboden: Technisch beheer / hosting (filter verwijderen)"
        assert page.get_by_role("link", name=remove_filter).is_visible()
        shots(page, "gefilterd")
        assert serious_violations(page) == []

        # compare the two results (in the order of the list: Documentenstraat, then Zaakwijzer)
        page.get_by_role("checkbox", name="Vergelijk Zaakwijzer (demo)").check()
        page.get_by_role("checkbox", name="Vergelijk Documentenstraat (demo)").check()
        page.get_by_role("button", name="Vergelijk gekozen pakketten (2 tot 4)").first.click()
        page.wait_for_url("**/catalogus/vergelijken?*")
        assert page.locator("h1").inner_text() == "Pakketten vergelijken"
        documentenstraat, zaakwijzer = counts
        assert page.get_by_role("row", name=f"Aantal gemeenten {documentenstraat} {zaakwijzer}").is_visible()
        shots(page, "vergelijken")
        assert serious_violations(page) == []

        # the package page, its screenshot reachable by keyboard
        page.get_by_role("link", name="Zaakwijzer (demo)").first.click()
        page.wait_for_url("**/catalogus/pakketten/*")
        assert page.locator("h1").inner_text() == "Zaakwijzer (demo)"
        assert page.get_by_text(f"{zaakwijzer} gemeenten gebruiken dit pakket.").is_visible()
        image = page.get_by_role("img", name="Overzicht van lopende zaken (demo)")
        image.wait_for(state="visible")
        image.scroll_into_view_if_needed()  # (loaded lazily)
        page.wait_for_function("img => img.complete && img.naturalWidth > 0", arg=image.element_handle())
        link = page.locator(".scg-gallery a").first
        for _ in range(80):
            page.keyboard.press("Tab")
            if link.evaluate("a => a === document.activeElement"):
                break
        else:
            raise AssertionError("the screenshot link is not reachable by keyboard")
        shots(page, "pakket")
        assert serious_violations(page) == []

        page.goto(server.url + "/catalogus/?q=bestaatniet")
        assert page.get_by_text("Geen pakketten gevonden voor “bestaatniet”.").is_visible()
        assert serious_violations(page) == []
        page.goto(server.url + "/catalogus/vergelijken?p=alleen-een")
        assert page.get_by_text("Kies minstens twee pakketten om te vergelijken.").is_visible()
        assert serious_violations(page) == []
    finally:
        server.stop()
