"""Issue 3 "Done when": the shop window, end to end in Chromium, through the pages only.

A supplier fills in its profile with a logo, adds an ISO 27001 certification with an evidence PDF,
creates a package with two referentiecomponenten, a module, a version, a standard claim with an
evidence PDF and a screenshot, publishes it and offers a service on another supplier's package.
An anonymous visitor then finds the package by free text (other case, no accent) and a facet,
opens its page in the catalogue, sees the service on the other package's page and compares both.
Every page on the way passes axe-core (no serious or critical violations).

Set up beforehand (a supplier cannot do this itself): the approved organisations and users, the
GEMMA concepts (two referentiecomponenten, a mandatory standard with a version) and one published
package of another supplier.
"""

from __future__ import annotations

import re

import pytest
from sqlalchemy import select

from core.catalogue.models import Module, Package, Screenshot, Service, StandardClaim, Version
from core.extensions import db
from plugins.f002_organisatie.models import Certification
from tests.conftest import ARTIFACTS
from tests.f002.conftest import image_bytes, pdf_bytes
from tests.f004.support import make_rc, make_standard, oblige
from tests.f011 import factory
from tests.support.actors import World
from tests.support.browser import LiveServer, Shots, browser_login, serious_violations

pytestmark = pytest.mark.browser

SUPPLIER = "ICT Solutions BV"
PACKAGE = "Zaakcafé Online"
OTHER_PACKAGE = "Concurrent Zaken"


def assert_accessible(page) -> None:
    problems = serious_violations(page)
    assert problems == [], f"{page.url}:\n" + "\n".join(problems)


def heading(page) -> str:
    return page.locator("h1").inner_text().strip()


def submit(page) -> None:
    page.locator("form button[type=submit], form input[type=submit]").first.click()


def pick_select2(page, nth: int, typed: str, option: str) -> None:
    """Type into the nth searchable select (select2) and pick the option."""
    page.locator(".select2-search__field").nth(nth).click()
    page.keyboard.type(typed)
    page.locator(".select2-results__option", has_text=option).first.click()


def test_supplier_fills_the_shop_window_and_a_visitor_finds_it(make_app, browser_page, tmp_path):
    app = make_app()
    with app.app_context():
        world = World.build(app)
        zaak = make_rc("Zaakregistratiecomponent")
        make_rc("Documentregistratiecomponent")
        stuf = make_standard("StUF-ZKN", ("3.10",))
        oblige(zaak, stuf, "verplicht")
        other = factory.package(world.other_supplier, OTHER_PACKAGE, rcs=[zaak],
                                short_description="Zaken van de concurrent", cloud_models="saas",
                                licence_type="proprietary")
        other_public_id, other_id, supplier_id = other.public_id, other.id, world.supplier.id
    logo = tmp_path / "logo.png"
    logo.write_bytes(image_bytes("PNG", size=(600, 300)))
    screenshot = tmp_path / "overzicht.png"
    screenshot.write_bytes(image_bytes("PNG", size=(1200, 800), color=(200, 220, 240)))
    certificate = tmp_path / "iso27001.pdf"
    certificate.write_bytes(pdf_bytes("ISO 27001"))
    evidence = tmp_path / "stuf-bewijs.pdf"
    evidence.write_bytes(pdf_bytes("StUF-ZKN testrapport"))
    server = LiveServer(app).start()
    base = server.url
    shots = Shots(ARTIFACTS / "journey-shop-window")
    page = browser_page
    try:
        # 1. The supplier logs in and fills in its profile with a logo.
        browser_login(page, server, "jan@ictsolutions.example")
        page.get_by_role("link", name="Vul uw bedrijfsprofiel aan").click()
        page.wait_for_url("**/profiel/edit/**")
        shots(page, "profiel")
        assert_accessible(page)
        page.get_by_label("Logo (PNG, JPEG of WebP, maximaal 1 MB)").set_input_files(str(logo))
        page.get_by_label("Korte omschrijving").fill("Zaaksystemen voor gemeenten")
        page.get_by_label("Plaats").fill("Utrecht")
        page.get_by_role("button", name="Profiel opslaan").click()
        page.wait_for_url("**/welkom/")  # back to the task list it came from
        page.get_by_text("Het profiel is opgeslagen.").wait_for()
        page.get_by_role("link", name="Vul uw bedrijfsprofiel aan").click()
        page.get_by_role("img", name=f"Logo van {SUPPLIER}").wait_for(state="visible")
        shots(page, "profiel-opgeslagen")

        # ... and adds its ISO 27001 certification with the certificate as PDF.
        page.get_by_role("link", name="Certificeringen beheren").click()
        page.wait_for_url("**/certificeringen/list/")
        assert heading(page) == "Certificeringen en verklaringen"
        page.locator("a[href*='/certificeringen/add']").first.click()
        page.wait_for_url("**/certificeringen/add*")
        assert heading(page) == "Certificering toevoegen"
        shots(page, "certificering-formulier")
        assert_accessible(page)
        page.get_by_label("Soort").select_option(label="ISO 27001")
        page.get_by_label("Uitgegeven door").fill("DNV")
        page.get_by_label("Geldig tot").fill("2028-06-30")
        page.get_by_label("Bewijs (PDF, maximaal 10 MB)").set_input_files(str(certificate))
        submit(page)
        page.get_by_text(f"De certificering is toegevoegd aan {SUPPLIER}.").wait_for()
        page.wait_for_url("**/certificeringen/list/")
        row = page.get_by_role("row").filter(has_text="ISO 27001")
        assert "DNV" in row.inner_text()
        shots(page, "certificering-opgeslagen")
        assert_accessible(page)

        # 2. A package with two referentiecomponenten, hosting and licence.
        page.goto(base + "/pakketten/add")
        shots(page, "pakket-toevoegen")
        assert_accessible(page)
        page.locator("#name").fill(PACKAGE)
        page.locator("#short_description").fill("Zaakgericht werken in de cloud")
        page.locator("#long_description").fill("## Functies\n\nZaken, **documenten** en termijnen.")
        pick_select2(page, 0, "Zaakreg", "Zaakregistratiecomponent")
        pick_select2(page, 0, "Documentreg", "Documentregistratiecomponent")
        page.get_by_label("SaaS").check()
        page.locator("#licence_type").select_option("open_source")
        page.locator("#licence_spdx").select_option("EUPL-1.2")
        page.locator("#data_location").select_option("nl")
        page.get_by_role("button", name="Opslaan").click()
        page.wait_for_url("**/pakketten/show/*")
        page.get_by_text("Het pakket is toegevoegd.").wait_for()
        assert heading(page).endswith(PACKAGE)
        rcs = page.locator("#referentiecomponenten")
        assert rcs.get_by_role("link", name="Zaakregistratiecomponent").is_visible()
        assert rcs.get_by_role("link", name="Documentregistratiecomponent").is_visible()
        package_url = page.url
        shots(page, "pakket")
        assert_accessible(page)

        # A module, from the package page's Modules tab.
        page.get_by_role("link", name="Modules", exact=True).click()
        page.locator("#ModuleView a[href*='/modules/add']").first.click()
        page.wait_for_url("**/modules/add*")
        shots(page, "module-formulier")
        assert_accessible(page)
        page.get_by_label("Naam").fill("Termijnbewaking")
        submit(page)
        page.get_by_text(f"De module is toegevoegd aan {PACKAGE}.").wait_for()

        # A version, from the Versies tab.
        page.goto(package_url)
        page.get_by_role("link", name="Versies", exact=True).click()
        page.locator("#VersionView a[href*='/versies/add']").first.click()
        page.wait_for_url("**/versies/add*")
        shots(page, "versie-formulier")
        assert_accessible(page)
        page.locator("#name").fill("2.1")
        page.locator("#start_development").fill("2025-01-01")
        page.locator("#start_distribution").fill("2025-06-01")
        submit(page)
        page.get_by_text(f"De versie is toegevoegd aan {PACKAGE}.").wait_for()

        # A claim on the mandatory standard, via "Standaarden van dit pakket".
        page.goto(package_url)
        page.get_by_role("link", name="Gegevens", exact=True).click()  # (the page reopens the last tab)
        page.get_by_role("link", name="Standaarden van dit pakket").click()
        page.wait_for_url("**/pakketstandaarden/*")
        assert heading(page) == f"Standaarden van {PACKAGE}"
        assert page.get_by_text("Verplichte standaard nog niet geclaimd").first.is_visible()
        shots(page, "standaarden")
        assert_accessible(page)
        page.get_by_role("link", name="Claim toevoegen voor StUF-ZKN").click()
        page.wait_for_url("**/standaardclaims/add**")
        shots(page, "claim-formulier")
        assert_accessible(page)
        if not page.locator("#standaardversie").input_value():
            pick_select2(page, 0, "StUF", "StUF-ZKN 3.10")
        page.get_by_label("Bewijs (PDF, maximaal 10 MB)").set_input_files(str(evidence))
        page.get_by_label("Toelichting").fill("Getest met de StUF-testbank.")
        submit(page)
        page.get_by_text(f"De standaardclaim is toegevoegd aan {PACKAGE}.").wait_for()
        page.wait_for_url("**/pakketstandaarden/*")  # (the claim was started there)
        page.get_by_text("Geclaimd: StUF-ZKN 3.10").first.wait_for()
        page.goto(package_url)
        page.get_by_role("link", name="Standaardclaims", exact=True).click()
        page.locator("#StandardClaimView").get_by_text("StUF-ZKN 3.10").wait_for()
        shots(page, "claim-opgeslagen")
        assert_accessible(page)

        # A screenshot.
        page.goto(package_url)
        page.locator("a[href='#ScreenshotView']").click()
        page.locator("#ScreenshotView a[href*='/schermafbeeldingen/add']").first.click()
        page.wait_for_url("**/schermafbeeldingen/add*")
        shots(page, "schermafbeelding-formulier")
        assert_accessible(page)
        page.get_by_label("Afbeelding (PNG, JPEG of WebP, maximaal 1 MB)").set_input_files(str(screenshot))
        page.get_by_label("Onderschrift").fill("Overzicht van lopende zaken")
        submit(page)
        page.get_by_text(f"De schermafbeelding is toegevoegd aan {PACKAGE}.").wait_for()
        shots(page, "schermafbeelding-opgeslagen")

        # Publish.
        page.goto(package_url)
        page.get_by_role("link", name="Gegevens", exact=True).click()
        page.get_by_role("button", name="Publiceren").click()
        page.get_by_text(f"{PACKAGE} is gepubliceerd.").wait_for()
        assert page.locator("#pakket-status").inner_text() == "Gepubliceerd"
        shots(page, "gepubliceerd")
        assert_accessible(page)

        # 3. A service on the other supplier's published package.
        page.goto(base + "/diensten/list/")
        assert heading(page) == "Mijn diensten"
        page.locator("a[href*='/diensten/add']").first.click()
        page.wait_for_url("**/diensten/add*")
        assert heading(page) == "Dienst toevoegen"
        shots(page, "dienst-formulier")
        assert_accessible(page)
        page.get_by_label("Naam").fill("Functioneel beheer zaken")
        page.locator("select#kind").select_option("functioneel_beheer", force=True)
        page.locator("select#packages").select_option(str(other_id), force=True)
        submit(page)
        page.wait_for_url("**/diensten/list/**")
        page.get_by_text(f"{OTHER_PACKAGE} (Concurrent BV)").wait_for()
        shots(page, "dienst-opgeslagen")
        assert_accessible(page)

        # 4. Log out; an anonymous visitor searches (other case, no accent) and filters.
        page.context.clear_cookies()
        page.goto(base + "/catalogus/")
        page.get_by_label("Zoek op naam, beschrijving of leverancier").fill("ZAAKCAFE")
        page.get_by_role("button", name="Zoeken", exact=True).click()
        page.wait_for_url("**/catalogus/?q=ZAAKCAFE*")
        assert page.get_by_role("heading", name="1 pakket gevonden").is_visible()
        assert page.get_by_role("link", name=PACKAGE).is_visible()
        shots(page, "zoeken")
        assert_accessible(page)
        page.goto(base + "/catalogus/")
        page.get_by_role("checkbox", name=re.compile(r"^Documentregistratiecomponent \(1\)")).check()
        page.get_by_role("button", name="Filters toepassen").click()
        page.wait_for_url("**/catalogus/?*")
        assert page.get_by_role("heading", name="1 pakket gevonden").is_visible()
        assert page.get_by_role("link", name=PACKAGE).is_visible()
        assert page.get_by_role("link", name=OTHER_PACKAGE).count() == 0
        shots(page, "gefilterd")
        assert_accessible(page)

        # The shop window: the package page in the catalogue.
        page.get_by_role("link", name=PACKAGE).click()
        page.wait_for_url("**/catalogus/pakketten/*")
        assert heading(page) == PACKAGE
        main = page.locator("main")
        text = main.inner_text()
        for expected in ("Termijnbewaking", "2.1", "Zaakregistratiecomponent", "Documentregistratiecomponent",
                         "StUF-ZKN 3.10", SUPPLIER):
            assert expected in text, expected
        assert page.get_by_role("link", name="Bewijs voor StUF-ZKN 3.10 (bestand)").is_visible()
        image = page.get_by_role("img", name="Overzicht van lopende zaken")
        image.scroll_into_view_if_needed()
        image.wait_for(state="visible")
        page.wait_for_function("img => img.complete && img.naturalWidth > 0", arg=image.element_handle())
        shots(page, "etalage")
        assert_accessible(page)
        response = page.request.get(base + page.get_by_role("link", name="Bewijs voor StUF-ZKN 3.10 (bestand)")
                                    .get_attribute("href"))
        assert response.status == 200 and response.body().startswith(b"%PDF")

        # The service shows on the other supplier's package page.
        page.goto(base + f"/catalogus/pakketten/{other_public_id}")
        assert heading(page) == OTHER_PACKAGE
        assert "Functioneel beheer zaken" in page.locator("main").inner_text()
        assert SUPPLIER in page.locator("main").inner_text()
        shots(page, "ander-pakket-met-dienst")
        assert_accessible(page)

        # Compare both packages from the search results.
        page.goto(base + "/catalogus/")
        page.get_by_role("checkbox", name=f"Vergelijk {PACKAGE}").check()
        page.get_by_role("checkbox", name=f"Vergelijk {OTHER_PACKAGE}").check()
        page.get_by_role("button", name="Vergelijk gekozen pakketten (2 tot 4)").first.click()
        page.wait_for_url("**/catalogus/vergelijken?*")
        assert heading(page) == "Pakketten vergelijken"
        headers = page.locator("table thead th, table th[scope=col]").all_inner_texts()
        assert any(PACKAGE in h for h in headers) and any(OTHER_PACKAGE in h for h in headers), headers
        shots(page, "vergelijken")
        assert_accessible(page)
    finally:
        server.stop()

    with app.app_context():
        package = db.session.scalars(select(Package).where(Package.name == PACKAGE)).one()
        assert package.status == "gepubliceerd"
        assert sorted(rc.name for rc in package.referentiecomponenten) == [
            "Documentregistratiecomponent", "Zaakregistratiecomponent"]
        assert package.cloud_models == "saas" and package.licence_type == "open_source"
        assert [m.name for m in db.session.scalars(select(Module).where(Module.package_id == package.id))] == [
            "Termijnbewaking"]
        assert [v.name for v in db.session.scalars(select(Version).where(Version.package_id == package.id))] == [
            "2.1"]
        claims = db.session.scalars(select(StandardClaim).where(StandardClaim.package_id == package.id)).all()
        assert len(claims) == 1 and claims[0].evidence_file is not None
        assert claims[0].standaardversie.name == "StUF-ZKN 3.10"
        shots_ = db.session.scalars(select(Screenshot).where(Screenshot.package_id == package.id)).all()
        assert [s.caption for s in shots_] == ["Overzicht van lopende zaken"]
        service = db.session.scalars(select(Service).where(Service.name == "Functioneel beheer zaken")).one()
        assert [p.id for p in service.packages] == [other_id]
        certification = db.session.scalars(select(Certification).where(
            Certification.organisation_id == supplier_id)).one()
        assert certification.issuer == "DNV" and certification.evidence_file is not None
