"""F004 modules and versions on the pages: unique names per package, dates in order, the package's organisation."""

from __future__ import annotations

import datetime as dt

import pytest

from core.catalogue.models import Module, Version
from core.extensions import db
from tests.f004.conftest import make_module, make_package, make_version, version_form
from tests.support.actors import csrf_token, login


@pytest.fixture
def supplier(app, world):
    client = app.test_client()
    login(client, world.users["aanbod"])
    return client


def _text(resp) -> str:
    return resp.get_data(as_text=True)


def _rows(model):
    db.session.expire_all()
    return db.session.query(model).order_by(model.id).all()


def test_module_added_from_the_package_page_belongs_to_that_package(supplier, world):
    package = make_package(world.supplier, name="Zaakwerk")
    path = f"/modules/add?_flt_0_package={package.id}"
    resp = supplier.post(path, data={"csrf_token": csrf_token(supplier, path), "name": "Burgerzaken",
                                     "description": "Voor de balie"})
    assert resp.status_code == 302
    [module] = _rows(Module)
    assert (module.package_id, module.organisation_id, module.name) == (package.id, world.supplier.id, "Burgerzaken")


def test_module_name_is_unique_per_package_with_a_clear_message(supplier, world):
    package = make_package(world.supplier, name="Zaakwerk")
    other = make_package(world.supplier, name="Ander pakket")
    existing = make_module(package, "Burgerzaken")
    resp = supplier.post("/modules/add", data={"csrf_token": csrf_token(supplier, "/modules/add"),
                                               "package": str(package.id), "name": "Burgerzaken"})
    assert resp.status_code == 200 and "Dit pakket heeft al een module met deze naam." in _text(resp)
    assert len(_rows(Module)) == 1
    # the same name in another package is fine, and saving a module unchanged is too
    resp = supplier.post("/modules/add", data={"csrf_token": csrf_token(supplier, "/modules/add"),
                                               "package": str(other.id), "name": "Burgerzaken"})
    assert resp.status_code == 302 and len(_rows(Module)) == 2
    path = f"/modules/edit/{existing.id}"
    resp = supplier.post(path, data={"csrf_token": csrf_token(supplier, path), "package": str(package.id),
                                     "name": "Burgerzaken", "description": "Nieuw"})
    assert resp.status_code == 302 and _rows(Module)[0].description == "Nieuw"
    # renaming onto a taken name is refused
    second = make_module(package, "Vergunningen")
    path = f"/modules/edit/{second.id}"
    resp = supplier.post(path, data={"csrf_token": csrf_token(supplier, path), "package": str(package.id),
                                     "name": "Burgerzaken"})
    assert resp.status_code == 200 and "Dit pakket heeft al een module met deze naam." in _text(resp)
    assert db.session.get(Module, second.id).name == "Vergunningen"


def test_version_with_all_fields(supplier, world):
    package = make_package(world.supplier, name="Zaakwerk")
    data = version_form(supplier, "/versies/add", package=str(package.id), name="4.2", status="in_gebruik",
                        description="Grote release", start_development="2024-01-15", start_test="2024-06-01",
                        start_distribution="2024-09-01", end_support="2027-12-31")
    resp = supplier.post("/versies/add", data=data)
    assert resp.status_code == 302, _text(resp)[:2000]
    [version] = _rows(Version)
    assert (version.name, version.status, version.organisation_id) == ("4.2", "in_gebruik", world.supplier.id)
    assert (version.start_test, version.end_support) == (dt.date(2024, 6, 1), dt.date(2027, 12, 31))
    page = _text(supplier.get(f"/versies/show/{version.id}"))
    assert "In gebruik" in page and "31-12-2027" in page and "Einde ondersteuning" in page


@pytest.mark.parametrize("fields,message", [
    ({"start_development": "2024-05-01", "start_test": "2024-01-01"},
     "Start test kan niet vóór start ontwikkeling liggen."),
    ({"start_test": "2024-05-01", "start_distribution": "2024-04-30"},
     "Start distributie kan niet vóór start test liggen."),
    ({"start_development": "2024-05-01", "end_support": "2023-01-01"},
     "Einde ondersteuning kan niet vóór start ontwikkeling liggen."),
    ({"start_test": "31-02-2024"}, "Vul een geldige datum in, zoals 2025-03-31."),
    ({"status": "verzonnen"}, "Kies een waarde uit de lijst."),
    ({"name": ""}, "Vul het versielabel in"),
    ({"name": "1.0"}, "Dit pakket heeft al een versie met dit label."),
])
def test_bad_version_input_gets_a_dutch_message_and_changes_nothing(supplier, world, fields, message):
    package = make_package(world.supplier, name="Zaakwerk")
    make_version(package, "1.0")
    data = version_form(supplier, "/versies/add", package=str(package.id), name="2.0")
    data.update(fields)
    resp = supplier.post("/versies/add", data=data)
    assert resp.status_code == 200 and message in _text(resp)
    assert [v.name for v in _rows(Version)] == ["1.0"]


def test_moving_a_module_to_another_package_follows_its_organisation_for_the_beheerder(app, world):
    fb = app.test_client()
    login(fb, world.users["fb"])
    module = make_module(make_package(world.supplier, name="Van"), "Burgerzaken")
    target = make_package(world.other_supplier, name="Naar")
    path = f"/modules/edit/{module.id}"
    resp = fb.post(path, data={"csrf_token": csrf_token(fb, path), "package": str(target.id), "name": "Burgerzaken"})
    assert resp.status_code == 302
    moved = _rows(Module)[0]
    assert (moved.package_id, moved.organisation_id) == (target.id, world.other_supplier.id)
