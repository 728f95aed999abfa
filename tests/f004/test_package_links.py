"""A package may rightly point at other organisations (the municipality that registered it, other suppliers'
services on it): the supplier can still edit it, while a forged contact person stays refused."""

from __future__ import annotations

from sqlalchemy import inspect as sa_inspect

from core.catalogue.models import Package, Service
from core.contacts import ContactPerson
from core.extensions import db
from core.tenancy import related_filter_of
from plugins.f004_aanbod.api import PackageApi
from plugins.f004_aanbod.views import PackageView
from tests.f004.conftest import make_package, package_form
from tests.support.actors import api_token, login


def _linked_package(world) -> Package:
    package = make_package(world.supplier, name="Zaakwerk", registered_by_id=world.gemeente.id)
    service = Service(organisation_id=world.other_supplier.id, name="Hosting", kind="technisch_beheer")
    service.packages = [package]
    db.session.add(service)
    db.session.commit()
    return package


def test_supplier_edits_a_package_registered_by_a_municipality_with_other_suppliers_services(app, world):
    package = _linked_package(world)
    client = app.test_client()
    login(client, world.users["aanbod"])
    path = f"/pakketten/edit/{package.id}"
    resp = client.post(path, data=package_form(client, path, name="Zaakwerk 2"), follow_redirects=True)
    assert "Het pakket is opgeslagen." in resp.get_data(as_text=True)
    db.session.expire_all()
    assert db.session.get(Package, package.id).name == "Zaakwerk 2"
    token = api_token(client, world.users["aanbod"])
    resp = client.put(f"/api/v1/pakketten/{package.id}", json={"name": "Zaakwerk 3"},
                      headers={"Authorization": f"Bearer {token}"})
    assert resp.status_code == 200, resp.json
    db.session.expire_all()
    package = db.session.get(Package, package.id)
    assert package.name == "Zaakwerk 3" and package.registered_by_id == world.gemeente.id
    assert [s.name for s in package.services] == ["Hosting"]


def test_forged_contact_person_is_still_refused_on_such_a_package(app, world):
    package = _linked_package(world)
    foreign = ContactPerson(organisation_id=world.other_supplier.id, name="Vreemd")
    db.session.add(foreign)
    db.session.commit()
    client = app.test_client()
    login(client, world.users["aanbod"])
    token = api_token(client, world.users["aanbod"])
    resp = client.put(f"/api/v1/pakketten/{package.id}", json={"contact_person": foreign.id},
                      headers={"Authorization": f"Bearer {token}"})
    assert resp.status_code == 400
    db.session.expire_all()
    assert db.session.get(Package, package.id).contact_person_id is None


def test_every_settable_owned_link_of_a_package_is_checked():
    """A new organisation-owned relationship in a form or JSON must be added to SETTABLE_RELATIONS."""
    relationships = {rel.key: rel.mapper.class_ for rel in sa_inspect(Package).relationships}
    columns = set(PackageView.add_columns) | set(PackageView.edit_columns) | set(PackageApi.add_columns) | set(
        PackageApi.edit_columns)
    owned = {key for key in columns if key in relationships and related_filter_of(relationships[key])}
    assert owned - {"organisation"} <= set(PackageView.SETTABLE_RELATIONS)
