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
