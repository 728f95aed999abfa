"""``shared_relations`` in core.tenancy: a relation whose choices follow a rule of their own.

This module is also a plugin: it adds two probe views and APIs on services, one that
lists ``packages`` as shared with the rule "public packages" and one that does not.
Without the entry, the own-organisation rule holds (nothing is weakened); with it, the
rule replaces it for that relation only: choices, ``/_info`` and the forged-id check on
add, edit, POST and PUT, for every user, while the other relations (contact person)
keep the own-organisation rule.
"""

from __future__ import annotations

import sys

import pytest
from flask_appbuilder.models.sqla.interface import SQLAInterface
from sqlalchemy import func, select

from core.catalogue.access import public_package_clause
from core.catalogue.models import Package, Service, service_package
from core.contacts import ContactPerson
from core.extensions import db
from core.plugins import hookimpl
from core.roles import AANBOD_BEHEERDER
from core.tenancy import TenantModelRestApi, TenantModelView
from tests.support.actors import World, api_token, csrf_token, login, make_org

FORGED = "U kunt alleen gegevens van uw eigen organisatie kiezen."
PERMS = {"list": "list", "show": "show", "add": "add", "edit": "edit", "delete": "delete"}
COLUMNS = ["organisation", "name", "kind", "contact_person", "packages"]


class SharedServiceView(TenantModelView):
    datamodel = SQLAInterface(Service)
    route_base = "/test-gedeeld"
    class_permission_name = "TestSharedService"
    method_permission_name = PERMS
    shared_relations = {"packages": public_package_clause}
    list_columns = ["name"]
    add_columns = COLUMNS
    edit_columns = COLUMNS[1:]

    def pre_add(self, item):
        item.organisation_id = item.organisation.id if item.organisation else None
        super().pre_add(item)


class OwnOnlyServiceView(SharedServiceView):
    route_base = "/test-eigen"
    shared_relations = {}


class SharedServiceApi(TenantModelRestApi):
    datamodel = SQLAInterface(Service)
    resource_name = "test-gedeeld"
    class_permission_name = "TestSharedServiceApi"
    shared_relations = {"packages": public_package_clause}
    list_columns = show_columns = ["id", "name", "packages.name"]
    add_columns = COLUMNS
    edit_columns = COLUMNS[1:]

    def pre_add(self, item):
        item.organisation_id = item.organisation.id if item.organisation else None
        super().pre_add(item)


class OwnOnlyServiceApi(SharedServiceApi):
    resource_name = "test-eigen"
    shared_relations = {}


@hookimpl
def register_views(appbuilder):
    appbuilder.add_view_no_menu(SharedServiceView)
    appbuilder.add_view_no_menu(OwnOnlyServiceView)


@hookimpl
def register_apis(appbuilder):
    appbuilder.add_api(SharedServiceApi)
    appbuilder.add_api(OwnOnlyServiceApi)


@hookimpl
def role_permissions():
    view = [(p, "TestSharedService") for p in ("can_list", "can_show", "can_add", "can_edit")]
    api = [(p, "TestSharedServiceApi") for p in ("can_get", "can_info", "can_post", "can_put")]
    return {AANBOD_BEHEERDER: view + api}


@pytest.fixture
def app(make_app):
    app = make_app(plugins=[sys.modules[__name__]])
    with app.app_context():
        yield app


@pytest.fixture
def env(app):
    world = World.build(app)
    pending = make_org("Aangemeld BV", status="aangemeld", kvk_number="55556666")

    def package(org, name, status="gepubliceerd"):
        row = Package(organisation_id=org.id, name=name, status=status)
        db.session.add(row)
        return row

    rows = {"own": package(world.supplier, "EigenPubliek"), "other": package(world.other_supplier, "AnderPubliek"),
            "concept": package(world.other_supplier, "AnderConcept", "concept"),
            "pending": package(pending, "AangemeldPubliek"),
            "contact": ContactPerson(organisation_id=world.supplier.id, name="EigenContact"),
            "foreign_contact": ContactPerson(organisation_id=world.other_supplier.id, name="VreemdContact")}
    db.session.add_all([rows["contact"], rows["foreign_contact"]])
    db.session.commit()
    client = app.test_client()
    login(client, world.users["aanbod"])
    headers = {"Authorization": f"Bearer {api_token(client, world.users['aanbod'])}"}
    return world, rows, client, headers


def _links():
    db.session.expire_all()
    return (db.session.scalar(select(func.count()).select_from(Service)),
            sorted(db.session.execute(select(service_package)).all()))


def _service(world, packages, name="Bestaand"):
    row = Service(organisation_id=world.supplier.id, name=name, kind="opleidingen", packages=packages)
    db.session.add(row)
    db.session.commit()
    return row


def test_choices_follow_the_rule_only_for_the_shared_relation(env):
    world, rows, client, headers = env
    shared = client.get("/test-gedeeld/add").get_data(as_text=True)
    assert "EigenPubliek" in shared and "AnderPubliek" in shared
    assert "AnderConcept" not in shared and "AangemeldPubliek" not in shared
    assert "EigenContact" in shared and "VreemdContact" not in shared  # other relations: own organisation
    own_only = client.get("/test-eigen/add").get_data(as_text=True)
    assert "EigenPubliek" in own_only and "AnderPubliek" not in own_only


def test_info_follows_the_rule(env):
    world, rows, client, headers = env
    info = client.get("/api/v1/test-gedeeld/_info", headers=headers).get_data(as_text=True)
    assert "AnderPubliek" in info and "EigenPubliek" in info
    assert "AnderConcept" not in info and "AangemeldPubliek" not in info and "VreemdContact" not in info
    info = client.get("/api/v1/test-eigen/_info", headers=headers).get_data(as_text=True)
    assert "EigenPubliek" in info and "AnderPubliek" not in info


def test_post_accepts_a_public_package_of_another_organisation(env):
    world, rows, client, headers = env
    resp = client.post("/api/v1/test-gedeeld/", headers=headers, json={
        "organisation": world.supplier.id, "name": "Nieuw", "kind": "opleidingen",
        "packages": [rows["other"].id], "contact_person": rows["contact"].id})
    assert resp.status_code == 201, resp.get_data(as_text=True)


@pytest.mark.parametrize("which", ["concept", "pending"])
def test_post_and_put_refuse_a_row_outside_the_rule(env, which):
    world, rows, client, headers = env
    existing = _service(world, [rows["own"]])
    before = _links()
    resp = client.post("/api/v1/test-gedeeld/", headers=headers, json={
        "organisation": world.supplier.id, "name": "Nieuw", "kind": "opleidingen",
        "packages": [rows["other"].id, rows[which].id]})
    assert resp.status_code == 400 and resp.json["message"] == FORGED
    resp = client.put(f"/api/v1/test-gedeeld/{existing.id}", headers=headers,
                      json={"packages": [rows["own"].id, rows[which].id]})
    assert resp.status_code == 400 and resp.json["message"] == FORGED
    assert _links() == before


def test_without_the_entry_another_organisations_public_package_stays_refused(env):
    world, rows, client, headers = env
    existing = _service(world, [rows["own"]])
    before = _links()
    resp = client.put(f"/api/v1/test-eigen/{existing.id}", headers=headers, json={"packages": [rows["other"].id]})
    assert resp.status_code == 400 and resp.json["message"] == FORGED
    assert _links() == before


def test_other_relations_keep_the_own_organisation_rule(env):
    world, rows, client, headers = env
    before = _links()
    resp = client.post("/api/v1/test-gedeeld/", headers=headers, json={
        "organisation": world.supplier.id, "name": "Nieuw", "kind": "opleidingen",
        "packages": [rows["other"].id], "contact_person": rows["foreign_contact"].id})
    assert resp.status_code == 400 and resp.json["message"] == FORGED
    assert _links() == before


def test_forms_never_store_a_forged_row(env):
    world, rows, client, headers = env
    existing = _service(world, [rows["own"]])
    before = _links()
    token = csrf_token(client, "/test-gedeeld/add")
    client.post("/test-gedeeld/add", data={"csrf_token": token, "organisation": str(world.supplier.id),
                                           "name": "Vervalst", "kind": "opleidingen",
                                           "packages": [str(rows["concept"].id)]})
    client.post(f"/test-gedeeld/edit/{existing.id}", data={"csrf_token": token, "name": "Bestaand",
                                                          "kind": "opleidingen",
                                                          "packages": [str(rows["concept"].id)]})
    client.post(f"/test-eigen/edit/{existing.id}", data={"csrf_token": token, "name": "Bestaand",
                                                        "kind": "opleidingen", "packages": [str(rows["other"].id)]})
    # (FAB's multiple select drops an id it does not offer: no forged link is stored)
    assert before[1] and {pkg for _, pkg in _links()[1]} <= {rows["own"].id}


def test_rows_already_linked_are_not_checked_again(env):
    """A record keeps working when a row it points at stops matching the rule."""
    world, rows, client, headers = env
    existing = _service(world, [rows["other"]])
    rows["other"].status = "concept"
    db.session.commit()
    resp = client.put(f"/api/v1/test-gedeeld/{existing.id}", headers=headers, json={"name": "Hernoemd"})
    assert resp.status_code == 200, resp.get_data(as_text=True)
    db.session.expire_all()
    assert [p.name for p in db.session.get(Service, existing.id).packages] == ["AnderPubliek"]


def test_the_rule_binds_roles_that_see_all_organisations(env, app):
    world, rows, client, headers = env
    fb = app.test_client()
    fb_headers = {"Authorization": f"Bearer {api_token(fb, world.users['fb'])}"}
    before = _links()
    resp = fb.post("/api/v1/test-gedeeld/", headers=fb_headers, json={
        "organisation": world.supplier.id, "name": "Door FB", "kind": "opleidingen",
        "packages": [rows["concept"].id]})
    assert resp.status_code == 400 and resp.json["message"] == FORGED
    assert _links() == before
    resp = fb.post("/api/v1/test-gedeeld/", headers=fb_headers, json={
        "organisation": world.supplier.id, "name": "Door FB", "kind": "opleidingen",
        "packages": [rows["other"].id]})
    assert resp.status_code == 201, resp.get_data(as_text=True)
