"""F013 references in a real browser: the supplier asks a customer to be a reference from its
klantoverzicht, the gemeente's beheerder opts in with a contact on its usage page, the public
package page shows the reference and the count, and the supplier's klantoverzicht shows the
customer as a reference, also at 390 px. axe-core passes on every page."""

from __future__ import annotations

import datetime as dt

import pytest

from core.extensions import db
from plugins.f013_gebruik.models import Proposal, Reference, UsageChange
from tests.conftest import ARTIFACTS
from tests.f013.conftest import make_package, make_usage, version_of
from tests.support.actors import World
from tests.support.browser import LiveServer, Shots, browser_login, serious_violations

pytestmark = pytest.mark.browser


def test_supplier_asks_gemeente_opts_in_and_the_package_page_shows_it(make_app, browser_page, mailbox):
    app = make_app()
    with app.app_context():
        world = World.build(app)
        package = make_package(world.supplier, "Zaakwijzer", versions=("4.0",))
        usage = make_usage(world.gemeente, package, version=version_of(package, "4.0"),
                           description="Interne notitie van de gemeente")
        db.session.add(UsageChange(usage_id=usage.id, organisation_id=world.gemeente.id, kind="toegevoegd",
                                   status="in_productie", changed_on=dt.datetime(2025, 3, 4, 9, 0)))
        db.session.add(Proposal(organisation_id=world.other_gemeente.id, supplier_id=world.supplier.id,
                                package_id=package.id, state="afgewezen", decided_on=dt.datetime(2026, 1, 5),
                                reason="Wij kiezen voor een ander pakket."))
        db.session.commit()
        public_id, usage_id = package.public_id, usage.id
    server = LiveServer(app).start()
    shots = Shots(ARTIFACTS / "f013-referenties")
    page = browser_page
    try:
        # The supplier asks Voorbeeldstad to be a reference.
        browser_login(page, server, "jan@ictsolutions.example")
        page.goto(server.url + "/klanten/")
        assert page.locator("h1").inner_text() == "Klantoverzicht"
        page.get_by_text("Wij kiezen voor een ander pakket.").wait_for()
        assert "Interne notitie" not in page.content()
        shots(page, "klantoverzicht")
        assert serious_violations(page) == []
        page.get_by_role("button", name="Vraag als referentie voor Voorbeeldstad").click()
        page.get_by_text("Voorbeeldstad krijgt een e-mail").wait_for()
        page.get_by_text("Gevraagd, nog geen referentie").wait_for()
        shots(page, "referentie-gevraagd")
        assert serious_violations(page) == []
        assert "Zaakwijzer" in mailbox.last_to("gb@voorbeeldstad.example").subject
        page.goto(server.url + "/logout/")

        # The gemeente's beheerder opts in with a contact person, on its usage page.
        browser_login(page, server, "gb@voorbeeldstad.example")
        page.goto(server.url + f"/gebruik/show/{usage_id}")
        page.get_by_text("De leverancier heeft op").wait_for()
        shots(page, "gebruik-gevraagd")
        assert serious_violations(page) == []
        page.get_by_role("link", name="Referentie instellen voor Zaakwijzer").click()
        page.wait_for_url(f"**/gebruik/referentie/{usage_id}")
        page.get_by_role("button", name="Opslaan").click()  # nothing chosen: the error summary
        page.get_by_text("Niet alle gegevens zijn goed ingevuld").wait_for()
        shots(page, "formulier-fout")
        assert serious_violations(page) == []
        page.get_by_label("Ja, andere gemeenten mogen ons noemen en benaderen").check()
        page.get_by_label("Naam contactpersoon").fill("Els de Vries")
        page.get_by_label("E-mailadres contactpersoon").fill("els@voorbeeldstad.example")
        page.get_by_label("Telefoonnummer contactpersoon (optioneel)").fill("030 123 45 67")
        shots(page, "formulier")
        page.get_by_role("button", name="Opslaan").click()
        page.wait_for_url(f"**/gebruik/show/{usage_id}")
        page.get_by_text("U bent nu referentie voor Zaakwijzer.").wait_for()
        shots(page, "referentie-ingesteld")
        assert serious_violations(page) == []
        page.goto(server.url + "/logout/")

        # A visitor sees the reference by name and the count, not the contact.
        page.goto(server.url + f"/catalogus/pakketten/{public_id}")
        page.get_by_role("heading", name="Referenties").wait_for()
        section = page.locator("section", has=page.get_by_role("heading", name="Referenties"))
        assert "Voorbeeldstad" in section.inner_text() and "Els de Vries" not in page.content()
        assert "1 gemeente gebruikt dit pakket." in page.locator(".scg-count").inner_text()
        shots(page, "pakketpagina")
        assert serious_violations(page) == []

        # The supplier's klantoverzicht at 390 px: the customer is a reference now.
        page.set_viewport_size({"width": 390, "height": 900})
        browser_login(page, server, "jan@ictsolutions.example")
        page.goto(server.url + "/klanten/")
        row = page.locator("tr", has_text="Voorbeeldstad")
        assert "Referentie" in row.inner_text() and "Els de Vries" in row.inner_text()
        assert page.evaluate("document.documentElement.scrollWidth") <= 390
        shots(page, "klantoverzicht-390")
        assert serious_violations(page) == []
    finally:
        server.stop()
    with app.app_context():
        ref = db.session.query(Reference).filter_by(usage_id=usage_id).one()
        assert ref.opted_in and ref.contact_name == "Els de Vries" and ref.asked_on is not None
