"""``tenant_parent`` in core.tenancy: a row takes the organisation of its parent row or form field.

This module is also a plugin: probe APIs on modules (parent: the package) with and
without the declaration, and a probe page on contact persons whose form names the
organisation (parent: the "organisation" relation). A child of an own parent gets the
user's organisation, a parent of another organisation is refused and nothing is
stored; a role that sees all organisations may pick any parent and the row follows it.
"""

from __future__ import annotations

import sys

import pytest
from flask_appbuilder.models.sqla.interface import SQLAInterface
from sqlalchemy import select

from core.catalogue.models import Module, Package
from core.contacts import ContactPerson
from core.extensions import db
from core.plugins import hookimpl
from core.roles import AANBOD_BEHEERDER
from core.tenancy import TenantModelRestApi, TenantModelView
from tests.support.actors import World, api_token, csrf_token, login


class ParentModuleApi(TenantModelRestApi):
    datamodel = SQLAInterface(Module)
    resource_name = "test-moduleouder"
    class_permission_name = "TestParentModuleApi"
    tenant_parent = "package"
    list_columns = show_columns = ["id", "name", "package.id"]
    add_columns = edit_columns = ["package", "name"]


class OrphanModuleApi(ParentModuleApi):
    resource_name = "test-modulezonderouder"
    tenant_parent = None


class ParentContactView(TenantModelView):
    datamodel = SQLAInterface(ContactPerson)
    route_base = "/test-contactouder"
    class_permission_name = "TestParentContact"
    method_permission_name = {"list": "list", "add": "add"}
    tenant_parent = "organisation"
    list_columns = ["name"]
    add_columns = ["organisation", "name"]


@hookimpl
def register_apis(appbuilder):
    appbuilder.add_api(ParentModuleApi)
    appbuilder.add_api(OrphanModuleApi)


@hookimpl
def register_views(appbuilder):
    appbuilder.add_view_no_menu(ParentContactView)


@hookimpl
def role_permissions():
    apis = [(p, api) for api in ("TestParentModuleApi",) for p in ("can_get", "can_info", "can_post", "can_put")]
    return {AANBOD_BEHEERDER: apis + [("can_list", "TestParentContact"), ("can_add", "TestParentContact")]}


@pytest.fixture
def app(make_app):
    app = make_app(plugins=[sys.modules[__name__]])
    with app.app_context():
        yield app


@pytest.fixture
def env(app):
    world = World.build(app)
    own = Package(organisation_id=world.supplier.id, name="EigenPakket", status="concept")
    other = Package(organisation_id=world.other_supplier.id, name="AnderPakket", status="concept")
    db.session.add_all([own, other])
    db.session.commit()
    return world, own, other


def _modules():
    db.session.expire_all()
    return sorted(db.session.execute(select(Module.name, Module.package_id, Module.organisation_id)).all())


def _headers(app, user):
    return {"Authorization": f"Bearer {api_token(app.test_client(), user)}"}


def test_a_child_of_an_own_parent_gets_the_organisation(app, env):
    world, own, other = env
    resp = app.test_client().post("/api/v1/test-moduleouder/", headers=_headers(app, world.users["aanbod"]),
                                  json={"package": own.id, "name": "Eigen module"})
    assert resp.status_code == 201, resp.get_data(as_text=True)
    assert _modules() == [("Eigen module", own.id, world.supplier.id)]


def test_a_child_of_another_organisations_parent_is_refused(app, env):
    world, own, other = env
    resp = app.test_client().post("/api/v1/test-moduleouder/", headers=_headers(app, world.users["aanbod"]),
                                  json={"package": other.id, "name": "Vreemde module"})
    assert resp.status_code == 400
    assert _modules() == []


def test_moving_a_child_to_another_organisations_parent_is_refused(app, env):
    world, own, other = env
    module = Module(organisation_id=world.supplier.id, package_id=own.id, name="Bestaand")
    db.session.add(module)
    db.session.commit()
    resp = app.test_client().put(f"/api/v1/test-moduleouder/{module.id}", headers=_headers(app, world.users["aanbod"]),
                                 json={"package": other.id})
    assert resp.status_code == 400
    assert _modules() == [("Bestaand", own.id, world.supplier.id)]


def test_a_role_that_sees_all_organisations_gives_the_child_its_parents_organisation(app, env):
    world, own, other = env
    client = app.test_client()
    headers = _headers(app, world.users["fb"])
    resp = client.post("/api/v1/test-moduleouder/", headers=headers, json={"package": other.id, "name": "Via VNG"})
    assert resp.status_code == 201, resp.get_data(as_text=True)
    created = resp.json["id"]
    assert _modules() == [("Via VNG", other.id, world.other_supplier.id)]
    resp = client.put(f"/api/v1/test-moduleouder/{created}", headers=headers, json={"package": own.id})
    assert resp.status_code == 200, resp.get_data(as_text=True)
    assert _modules() == [("Via VNG", own.id, world.supplier.id)]  # moved with its package


def test_without_the_declaration_the_organisation_does_not_follow_the_parent(app, env):
    world, own, other = env
    resp = app.test_client().post("/api/v1/test-modulezonderouder/", headers=_headers(app, world.users["fb"]),
                                  json={"package": other.id, "name": "Wees"})
    assert resp.status_code == 400 and resp.json["message"] == "Kies de organisatie waar dit bij hoort."
    assert _modules() == []


def _contacts():
    db.session.expire_all()
    return sorted(db.session.execute(select(ContactPerson.name, ContactPerson.organisation_id)).all())


def test_the_forms_organisation_field_is_the_parent(app, env):
    world, own, other = env
    client = app.test_client()
    login(client, world.users["aanbod"])
    before = _contacts()
    token = csrf_token(client, "/test-contactouder/add")
    client.post("/test-contactouder/add", data={"csrf_token": token, "organisation": str(world.other_supplier.id),
                                                "name": "Vreemd contact"})
    assert _contacts() == before
    client.post("/test-contactouder/add", data={"csrf_token": token, "organisation": str(world.supplier.id),
                                                "name": "Eigen contact"})
    assert _contacts() == sorted(before + [("Eigen contact", world.supplier.id)])


def test_a_parent_that_is_not_a_relationship_fails_at_start():
    class Misspelled(ParentModuleApi):
        tenant_parent = "pakket"

    with pytest.raises(ValueError, match="Module has no relationship 'pakket'"):
        Misspelled()
