"""F013 with F004's takeover flow: a package that is not in the catalogue yet.

The landscape's add page points to "Pakket aanmelden namens de leverancier" (slot
``usage_add``, filled by F004); the registered concept can then be added to the landscape;
a second municipality naming the same package gets the one concept, not a second.
"""

from __future__ import annotations

from core.catalogue.models import Package, Usage
from core.extensions import db
from tests.f013.conftest import logged_in
from tests.support.actors import csrf_token


def _register(client, supplier, name):
    path = "/pakketaanmeldingen/aanmelden"
    return client.post(path, data={"csrf_token": csrf_token(client, path), "supplier": str(supplier.id),
                                   "name": name, "short_description": "", "website": ""})


def _add(client, org, package):
    return client.post("/gebruik/add", data={"csrf_token": csrf_token(client, "/gebruik/add"),
                                             "organisation": str(org.id), "package": str(package.id),
                                             "status": "verwerving"})


def test_register_a_missing_package_then_both_municipalities_use_the_one_concept(app, world, beheerder):
    page = beheerder.get("/gebruik/add").get_data(as_text=True)
    assert "Staat het pakket niet in de catalogus?" in page
    assert 'href="/pakketaanmeldingen/aanmelden"' in page

    assert _register(beheerder, world.supplier, "Vergunningenloket").status_code == 302
    concept = db.session.query(Package).filter_by(name="Vergunningenloket").one()
    assert concept.status == "concept" and concept.registered_by_id == world.gemeente.id
    assert "Vergunningenloket" in beheerder.get("/gebruik/add").get_data(as_text=True)
    assert _add(beheerder, world.gemeente, concept).status_code == 302

    other = logged_in(app, world.users["gebruik_other"])
    resp = _register(other, world.supplier, "vergunningenloket")
    assert resp.status_code == 400
    assert "ICT Solutions BV heeft al een pakket met deze naam in de catalogus." in resp.get_data(as_text=True)
    assert db.session.query(Package).filter(Package.name.ilike("vergunningenloket")).count() == 1
    assert _add(other, world.other_gemeente, concept).status_code == 302
    assert db.session.query(Usage).filter_by(package_id=concept.id).count() == 2


def test_a_supplier_concept_is_still_not_offered(app, world, beheerder):
    own_concept = Package(organisation_id=world.supplier.id, name="Nog Niet Klaar", status="concept")
    db.session.add(own_concept)
    db.session.commit()
    assert "Nog Niet Klaar" not in beheerder.get("/gebruik/add").get_data(as_text=True)
    _add(beheerder, world.gemeente, own_concept)
    assert db.session.query(Usage).count() == 0


def _register_new_supplier(client, supplier_name, name):
    path = "/pakketaanmeldingen/aanmelden"
    return client.post(path, data={"csrf_token": csrf_token(client, path), "supplier": "0",
                                   "new_supplier": supplier_name, "name": name, "short_description": "",
                                   "website": ""})


def test_a_missing_supplier_becomes_one_concept_organisation_made_by_the_first_municipality(app, world, beheerder):
    from core.models import Organisation

    form = beheerder.get("/pakketaanmeldingen/aanmelden").get_data(as_text=True)
    assert "Of: naam van een leverancier die er niet bij staat" in form
    resp = _register_new_supplier(beheerder, "Nieuwe Leverancier BV", "Raadsinformatie")
    assert resp.status_code == 302, resp.get_data(as_text=True)
    supplier = db.session.query(Organisation).filter_by(name="Nieuwe Leverancier BV").one()
    assert (supplier.type, supplier.status, supplier.created_by_organisation_id) == (
        "leverancier", "concept", world.gemeente.id)
    assert not supplier.is_active and supplier.created_by_label == "aangemaakt door gemeente Voorbeeldstad"
    concept = db.session.query(Package).filter_by(name="Raadsinformatie").one()
    assert concept.organisation_id == supplier.id and concept.takeover_pending
    listing = beheerder.get("/pakketaanmeldingen/").get_data(as_text=True)
    assert "Nieuwe Leverancier BV (aangemaakt door gemeente Voorbeeldstad)" in listing
    assert _add(beheerder, world.gemeente, concept).status_code == 302  # usable in the landscape

    other = logged_in(app, world.users["gebruik_other"])
    assert "Nieuwe Leverancier BV (aangemaakt door gemeente Voorbeeldstad)" in other.get(
        "/pakketaanmeldingen/aanmelden").get_data(as_text=True)  # offered in the list
    resp = _register_new_supplier(other, "nieuwe leverancier bv", "raadsinformatie")
    assert resp.status_code == 400
    assert "Nieuwe Leverancier BV heeft al een pakket met deze naam in de catalogus." in resp.get_data(as_text=True)
    assert _register_new_supplier(other, "NIEUWE LEVERANCIER BV", "Vergaderplanner").status_code == 302
    assert db.session.query(Organisation).filter(Organisation.name.ilike("nieuwe leverancier bv")).count() == 1
    assert db.session.query(Package).filter_by(organisation_id=supplier.id).count() == 2

    # not a real supplier in the public catalogue
    assert "Nieuwe Leverancier BV" not in app.test_client().get("/leveranciers/").get_data(as_text=True)
    assert app.test_client().get(f"/leveranciers/{supplier.id}").status_code == 404


def test_an_approved_supplier_typed_by_name_is_used_and_a_choice_or_a_name_is_needed(app, world, beheerder):
    from core.models import Organisation

    assert _register_new_supplier(beheerder, "ict solutions bv", "Vergunningenloket").status_code == 302
    assert db.session.query(Package).filter_by(name="Vergunningenloket").one().organisation_id == world.supplier.id
    resp = _register_new_supplier(beheerder, "", "Iets")
    assert resp.status_code == 400
    assert "Kies een leverancier, of vul de naam in van een leverancier die er niet bij staat." in \
        resp.get_data(as_text=True)
    path = "/pakketaanmeldingen/aanmelden"
    resp = beheerder.post(path, data={"csrf_token": csrf_token(beheerder, path), "supplier": str(world.supplier.id),
                                      "new_supplier": "Ander BV", "name": "Iets"})
    assert resp.status_code == 400 and "niet allebei" in resp.get_data(as_text=True)
    assert db.session.query(Organisation).filter_by(status="concept").count() == 0


def test_the_real_supplier_registering_with_the_concept_name_does_not_crash(app, world, beheerder, mailbox):
    from core.models import Organisation
    from tests.f001.conftest import register

    assert _register_new_supplier(beheerder, "Gemeentesoft BV", "Raadsinformatie").status_code == 302
    resp = register(app.test_client())
    assert resp.status_code == 302, resp.get_data(as_text=True)
    # The registration is an organisation of its own; the Functioneel beheerder links the concept when
    # approving it (tests/f001/test_concept_link.py).
    rows = db.session.query(Organisation.status).filter_by(name="Gemeentesoft BV").order_by(Organisation.id).all()
    assert [r.status for r in rows] == ["concept", "aangemeld"]
