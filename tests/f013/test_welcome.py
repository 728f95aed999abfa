"""The welcome page of municipal staff offers what they can do: the landscape, proposals to decide,
colleagues and the catalogue; VNG and the Functioneel beheerder see the open proposals with a count."""

from __future__ import annotations

from core.extensions import db
from plugins.f013_gebruik.models import Proposal
from tests.f013.conftest import logged_in, make_usage
from tests.support.welcome import task_link, tasks


def _propose(world, package):
    db.session.add(Proposal(organisation_id=world.gemeente.id, supplier_id=world.supplier.id,
                            package_id=package.id, state="open", status="in_productie"))
    db.session.commit()


def test_a_municipal_beheerder_gets_landscape_tasks_that_change_when_done(app, beheerder, world, catalogue):
    page = beheerder.get("/welkom/").get_data(as_text=True)
    steps = tasks(page)
    assert steps["Leg vast welke pakketten u gebruikt"] == ("Nog te doen", "Nog geen pakket in uw applicatielandschap")
    assert task_link(page, "Leg vast welke pakketten u gebruikt") == "/gebruik/add"
    assert steps["Beslis over voorstellen van leveranciers"] == ("Gedaan", "Geen voorstellen die wachten")
    assert steps["Nodig collega's uit"][0] in ("Gedaan", "Nog te doen")
    assert "Zoek in de catalogus" in page and 'href="/catalogus/"' in page
    assert "Vul uw bedrijfsprofiel aan" not in page and "Zet uw eerste pakket" not in page  # not a supplier

    make_usage(world.gemeente, catalogue["zaak"])
    _propose(world, catalogue["other"])
    page = beheerder.get("/welkom/").get_data(as_text=True)
    steps = tasks(page)
    assert steps["Leg vast welke pakketten u gebruikt"] == ("Gedaan", "1 pakket in uw applicatielandschap")
    assert task_link(page, "Leg vast welke pakketten u gebruikt") == "/gebruik/list/"
    assert steps["Beslis over voorstellen van leveranciers"] == ("Nog te doen", "1 voorstel wacht op uw besluit")
    assert task_link(page, "Beslis over voorstellen van leveranciers") == "/gebruik/voorstellen/list/"


def test_a_raadpleger_reads_the_landscape_and_the_catalogue_without_tasks_to_decide(app, world, catalogue):
    make_usage(world.gemeente, catalogue["zaak"])
    make_usage(world.gemeente, catalogue["other"])
    page = logged_in(app, world.users["raadpleger"]).get("/welkom/").get_data(as_text=True)
    assert "Bekijk het applicatielandschap" in page and "2 pakketten in uw applicatielandschap" in page
    assert task_link(page, "Bekijk het applicatielandschap") == "/gebruik/list/"
    assert "Zoek in de catalogus" in page
    assert "Leg vast welke pakketten u gebruikt" not in page and "Beslis over voorstellen" not in page
    assert "Leg vast welke pakketten u gebruikt" not in tasks(page)


def test_vng_and_the_functioneel_beheerder_see_the_open_proposals_with_a_count(app, world, catalogue):
    _propose(world, catalogue["zaak"])
    for who in ("vng", "fb"):
        page = logged_in(app, world.users[who]).get("/welkom/").get_data(as_text=True)
        assert "Bekijk de openstaande gebruiksvoorstellen" in page and "1 voorstel staat open" in page, who
        assert task_link(page, "Bekijk de openstaande gebruiksvoorstellen") == "/gebruiksvoorstellen-wachtrij/list/"
    fb_page = logged_in(app, world.users["fb"]).get("/welkom/").get_data(as_text=True)
    assert tasks(fb_page)["Beoordeel aanmeldingen"] == ("Gedaan", "Geen aanmeldingen die wachten")
    supplier = logged_in(app, world.users["aanbod"]).get("/welkom/").get_data(as_text=True)
    assert "Bekijk de openstaande gebruiksvoorstellen" not in supplier
