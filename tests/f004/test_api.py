"""F004 REST API: the same rules as the pages, Dutch messages, never a server error, no search_text."""

from __future__ import annotations

import pytest

from core.catalogue.models import Module, Package, Version
from core.extensions import db
from tests.f004.conftest import make_concept, make_module, make_package, make_version
from tests.support.actors import api_token


@pytest.fixture
def api(app, world):
    client = app.test_client()
    headers = {"Authorization": f"Bearer {api_token(client, world.users['aanbod'])}"}

    class Api:
        def get(self, path):
            return client.get(path, headers=headers)

        def post(self, path, data):
            return client.post(path, json=data, headers=headers)

        def put(self, path, data):
            return client.put(path, json=data, headers=headers)

        def delete(self, path):
            return client.delete(path, headers=headers)

    return Api()


def _count(model) -> int:
    db.session.expire_all()
    return db.session.query(model).count()


def test_supplier_creates_reads_updates_and_deletes_a_package(api, world):
    rc = make_concept("Zaakregistratiecomponent")
    resp = api.post("/api/v1/pakketten/", {
        "name": "Zaakwerk", "organisation": world.supplier.id, "short_description": "Zaken",
        "referentiecomponenten": [rc.id], "cloud_models": "saas,paas", "data_location": "eu",
        "licence_type": "open_source", "licence_spdx": "EUPL-1.2", "website": "https://zaakwerk.example"})
    assert resp.status_code == 201, resp.json
    pk = resp.json["id"]
    package = db.session.get(Package, pk)
    assert package.organisation_id == world.supplier.id and package.search_text
    body = api.get(f"/api/v1/pakketten/{pk}").json["result"]
    assert body["name"] == "Zaakwerk" and body["status"] == "concept" and body["licence_spdx"] == "EUPL-1.2"
    assert body["referentiecomponenten"] == [{"id": rc.id, "object_id": rc.object_id, "name": rc.name}]
    assert "search_text" not in body and "search_text" not in str(api.get("/api/v1/pakketten/").json)
    assert "search_text" not in str(api.get("/api/v1/pakketten/_info").json)
    resp = api.put(f"/api/v1/pakketten/{pk}", {"name": "Zaakwerk 2", "licence_type": "proprietary",
                                               "licence_spdx": None})
    assert resp.status_code == 200, resp.json
    assert api.delete(f"/api/v1/pakketten/{pk}").status_code == 200 and _count(Package) == 0


@pytest.mark.parametrize("fields,message", [
    ({"licence_type": "open_source"}, "Kies bij open source de SPDX-licentie."),
    ({"licence_type": "proprietary", "licence_spdx": "MIT"}, "Een SPDX-licentie hoort alleen bij open source"),
    ({"licence_type": "open_source", "licence_spdx": "WTFPL"}, "Kies een SPDX-licentie uit de lijst."),
    ({"licence_type": "gratis"}, "Kies open source of gesloten bron."),
    ({"cloud_models": "saas,mainframe"}, "Kies alleen hostingmodellen uit de lijst."),
    ({"data_location": "mars"}, "Kies een datalocatie"),
    ({"website": "javascript:alert(1)"}, "Vul een volledig webadres in"),
])
def test_bad_package_json_gets_a_dutch_message_and_changes_nothing(api, world, fields, message):
    resp = api.post("/api/v1/pakketten/", dict({"name": "Zaakwerk", "organisation": world.supplier.id}, **fields))
    assert resp.status_code in (400, 422) and message in str(resp.json), resp.json
    assert _count(Package) == 0
    package = make_package(world.supplier, name="Bestaand", licence_type="proprietary")
    resp = api.put(f"/api/v1/pakketten/{package.id}", fields)
    assert resp.status_code in (400, 422) and message in str(resp.json), resp.json
    db.session.expire_all()
    assert db.session.get(Package, package.id).licence_type == "proprietary"


def test_a_concept_that_left_gemma_can_not_be_linked_anew_but_stays_linked(api, world):
    gone = make_concept("Oud", in_release=False)
    current = make_concept("Nieuw")
    resp = api.post("/api/v1/pakketten/", {"name": "Zaakwerk", "organisation": world.supplier.id,
                                           "referentiecomponenten": [gone.id]})
    assert resp.status_code in (400, 422) and _count(Package) == 0
    package = make_package(world.supplier, name="Bestaand")
    package.referentiecomponenten = [gone]
    db.session.commit()
    resp = api.put(f"/api/v1/pakketten/{package.id}", {"referentiecomponenten": [gone.id, current.id]})
    assert resp.status_code == 200, resp.json
    db.session.expire_all()
    assert {rc.name for rc in db.session.get(Package, package.id).referentiecomponenten} == {"Oud", "Nieuw"}


def test_modules_unique_per_package_with_a_dutch_400(api, world):
    package = make_package(world.supplier)
    make_module(package, "Burgerzaken")
    resp = api.post("/api/v1/modules/", {"package": package.id, "name": "Burgerzaken"})
    assert resp.status_code == 400 and "Dit pakket heeft al een module met deze naam." in resp.json["message"]
    assert _count(Module) == 1
    resp = api.post("/api/v1/modules/", {"package": package.id, "name": "Vergunningen"})
    assert resp.status_code == 201
    created = db.session.get(Module, resp.json["id"])
    assert created.organisation_id == world.supplier.id
    resp = api.put(f"/api/v1/modules/{created.id}", {"name": "Burgerzaken"})
    assert resp.status_code == 400 and "Dit pakket heeft al een module met deze naam." in resp.json["message"]
    db.session.expire_all()
    assert db.session.get(Module, created.id).name == "Vergunningen"


@pytest.mark.parametrize("fields,message", [
    ({"start_development": "2024-05-01", "start_test": "2024-01-01"}, "Start test kan niet vóór start ontwikkeling"),
    ({"start_distribution": "2024-05-01", "end_support": "2024-01-01"}, "Einde ondersteuning kan niet vóór"),
    ({"status": "verzonnen"}, "Kies een status"),
    ({"name": "1.0"}, "Dit pakket heeft al een versie met dit label."),
    ({"start_test": "morgen"}, "Start test: vul een geldige datum in, zoals 2025-03-31."),
    ({"end_support": "2024-02-30"}, "Einde ondersteuning: vul een geldige datum in"),
])
def test_bad_version_json_is_refused_and_changes_nothing(api, world, fields, message):
    package = make_package(world.supplier)
    existing = make_version(package, "1.0")
    resp = api.post("/api/v1/versies/", dict({"package": package.id, "name": "2.0"}, **fields))
    assert resp.status_code in (400, 422) and message in str(resp.json), resp.json
    assert _count(Version) == 1
    second = make_version(package, "3.0")
    resp = api.put(f"/api/v1/versies/{second.id}", fields)
    assert resp.status_code in (400, 422) and message in str(resp.json), resp.json
    db.session.expire_all()
    assert db.session.get(Version, second.id).name == "3.0" and db.session.get(Version, existing.id).name == "1.0"


def test_version_json_with_dates_in_order_is_saved(api, world):
    package = make_package(world.supplier)
    resp = api.post("/api/v1/versies/", {"package": package.id, "name": "4.2", "status": "in_gebruik",
                                         "start_development": "2024-01-01", "start_test": "2024-02-01",
                                         "start_distribution": "2024-03-01", "end_support": "2030-01-01"})
    assert resp.status_code == 201, resp.json
    body = api.get(f"/api/v1/versies/{resp.json['id']}").json["result"]
    assert body["end_support"] == "2030-01-01" and body["package"]["id"] == package.id
