"""The tenancy matrix itself: it passes a correct view and reports every hole in a broken one.

This module is also a plugin (its hook implementations are registered with
``make_app(plugins=[this module])``). It adds:

- a correct ``TenantModelView``/``TenantModelRestApi`` on memberships, with an
  action and a related field (the organisation), run through the full matrix;
- the same data behind a plain FAB ``ModelView``/``ModelRestApi``, and a plain
  ``ModelView`` on organisations: the holes a plugin author gets by forgetting
  the tenancy base classes. The matrix must report each of them.
"""

from __future__ import annotations

import sys
from dataclasses import replace

import pytest
from flask import redirect
from flask_appbuilder import ModelRestApi, ModelView
from flask_appbuilder.actions import action
from flask_appbuilder.models.sqla.interface import SQLAInterface

from core.extensions import db
from core.models import Membership, Organisation, ScgUser
from core.plugins import hookimpl
from core.tenancy import TenantModelRestApi, TenantModelView
from tests.core.test_tenancy_organisations import SPEC as ORGANISATION_SPEC
from tests.support import tenancy_matrix as tm

PERMS = {"list": "list", "show": "show", "edit": "edit", "add": "add", "delete": "delete",
         "action": "edit", "action_post": "edit", "deactiveer": "edit", "markeer": "edit"}


def _deactivate(view, items):
    for item in items if isinstance(items, list) else [items]:
        item.active = False
    db.session.commit()
    return redirect(view.get_redirect())


class ProbeMembershipView(TenantModelView):
    """Correct: organisation-owned rows behind the tenancy base class."""

    datamodel = SQLAInterface(Membership)
    route_base = "/test-lidmaatschappen"
    class_permission_name = "TestMembership"
    method_permission_name = PERMS
    list_columns = ["role_name", "organisation"]
    show_columns = ["role_name", "organisation", "active"]
    edit_columns = ["role_name", "organisation"]

    @action("deactiveer", "Deactiveren", multiple=True, single=True)
    def deactiveer(self, items):
        return _deactivate(self, items)


class ProbeMembershipApi(TenantModelRestApi):
    datamodel = SQLAInterface(Membership)
    resource_name = "test-lidmaatschappen"
    class_permission_name = "ProbeMembershipApi"
    list_columns = ["id", "role_name", "organisation.name"]
    show_columns = ["id", "role_name", "organisation.name"]
    edit_columns = ["role_name", "organisation", "user"]


class ProbeBrokenMembershipView(ModelView):
    """Broken: the same rows behind a plain ModelView."""

    datamodel = SQLAInterface(Membership)
    route_base = "/kapot-lidmaatschappen"
    class_permission_name = "TestMembership"
    method_permission_name = PERMS
    list_columns = ProbeMembershipView.list_columns
    show_columns = ProbeMembershipView.show_columns
    edit_columns = ProbeMembershipView.edit_columns

    @action("deactiveer", "Deactiveren", multiple=True, single=True)
    def deactiveer(self, items):
        return _deactivate(self, items)


class ProbeBrokenMembershipApi(ModelRestApi):
    datamodel = SQLAInterface(Membership)
    resource_name = "kapot-lidmaatschappen"
    class_permission_name = "ProbeMembershipApi"
    list_columns = ProbeMembershipApi.list_columns
    show_columns = ProbeMembershipApi.show_columns
    edit_columns = ProbeMembershipApi.edit_columns


class ProbeBrokenOrganisationView(ModelView):
    """Broken: organisations behind a plain ModelView with the real view's permissions."""

    datamodel = SQLAInterface(Organisation)
    route_base = "/kapot-organisaties"
    class_permission_name = "Organisation"
    method_permission_name = PERMS
    list_columns = ["name"]
    show_columns = ["name", "description"]
    edit_columns = ["name", "website", "email"]
    add_columns = ["name", "type"]

    @action("markeer", "Markeren", multiple=True, single=True)
    def markeer(self, items):
        for item in items if isinstance(items, list) else [items]:
            item.description = "gemarkeerd"
        db.session.commit()
        return redirect(self.get_redirect())


class ProbeBrokenOrganisationApi(ModelRestApi):
    datamodel = SQLAInterface(Organisation)
    resource_name = "kapot-organisaties"
    class_permission_name = "OrganisationApi"
    list_columns = ["id", "name"]
    show_columns = ["id", "name"]
    edit_columns = ["name"]
    add_columns = ["name", "type"]


@hookimpl
def register_views(appbuilder):
    for view in (ProbeMembershipView, ProbeBrokenMembershipView, ProbeBrokenOrganisationView):
        appbuilder.add_view_no_menu(view)


@hookimpl
def register_apis(appbuilder):
    for api in (ProbeMembershipApi, ProbeBrokenMembershipApi, ProbeBrokenOrganisationApi):
        appbuilder.add_api(api)


READ = [("can_list", "TestMembership"), ("can_show", "TestMembership"),
        ("can_get", "ProbeMembershipApi"), ("can_info", "ProbeMembershipApi")]
EDIT = READ + [("can_edit", "TestMembership"), ("can_put", "ProbeMembershipApi")]


@hookimpl
def role_permissions():
    return {tm.AANBOD_BEHEERDER: EDIT, tm.GEBRUIK_BEHEERDER: EDIT, tm.GEBRUIK_RAADPLEGER: READ,
            tm.VNG_RAADPLEGER: READ}


# --------------------------------------------------------------------------- specs
def membership_row(org: Organisation, marker: str) -> Membership:
    user = ScgUser(first_name="Lid", last_name=marker, username=f"{marker}@lid.example",
                   email=f"{marker}@lid.example", active=True)
    membership = Membership(user=user, organisation=org, role_name=marker)
    db.session.add_all([user, membership])
    return membership


def related_organisation(org: Organisation, marker: str) -> Organisation:
    org.name = f"{marker} {org.name}"
    return org


def membership_deactivated(pk) -> bool:
    membership = db.session.get(Membership, pk)
    return membership is not None and membership.active is False


MEMBERSHIP_SPEC = tm.TenancySpec(
    name="lidmaatschappen",
    model=Membership,
    view="/test-lidmaatschappen",
    api="/api/v1/test-lidmaatschappen",
    marker_field="role_name",
    make_row=membership_row,
    edit_form=lambda m: {"organisation": str(m.organisation_id)},
    api_edit=lambda m: {"organisation": m.organisation_id},
    actions=(tm.Action("deactiveer", applied=membership_deactivated),),
    related=tm.Related(make=related_organisation, field="organisation", api_field="organisation"),
    rights={
        tm.AANBOD_BEHEERDER: tm.Rights(read=tm.OWN, edit=tm.OWN),
        tm.GEBRUIK_BEHEERDER: tm.Rights(read=tm.OWN, edit=tm.OWN),
        tm.GEBRUIK_RAADPLEGER: tm.Rights(read=tm.OWN),
        tm.VNG_RAADPLEGER: tm.Rights(read=tm.ALL),
        tm.FUNCTIONEEL_BEHEERDER: tm.Rights(read=tm.ALL, edit=tm.ALL, delete=tm.ALL),
    },
)
BROKEN_MEMBERSHIP_SPEC = replace(MEMBERSHIP_SPEC, name="kapotte lidmaatschappen", view="/kapot-lidmaatschappen",
                                 api="/api/v1/kapot-lidmaatschappen")


def organisation_marked(pk) -> bool:
    org = db.session.get(Organisation, pk)
    return org is not None and org.description == "gemarkeerd"


BROKEN_ORGANISATION_SPEC = replace(
    ORGANISATION_SPEC, name="kapotte organisaties", view="/kapot-organisaties", api="/api/v1/kapot-organisaties",
    actions=(tm.Action("markeer", applied=organisation_marked),),
)

matrix_env = tm.environment(plugins=[sys.modules[__name__]])


# --------------------------------------------------------------------------- a correct view passes
@pytest.mark.parametrize("cell", MEMBERSHIP_SPEC.cells())
def test_correct_tenant_view_passes_the_matrix(matrix_env, cell):
    tm.check(matrix_env, MEMBERSHIP_SPEC, cell)


def test_matrix_covers_every_role_and_way_in():
    ids = {p.id for p in MEMBERSHIP_SPEC.cells()}
    for actor in ("aanbod-beheerder", "gebruik-beheerder", "gebruik-raadpleger", "vng-raadpleger",
                  "functioneel-beheerder", "anoniem", "zonder-organisatie"):
        for op in ("list", "show", "edit_get", "edit_post", "delete_post", "delete_get", "action:deactiveer",
                   "action_get:deactiveer", "action_post:deactiveer", "api_list", "api_get", "api_put",
                   "api_delete", "api_info"):
            assert any(i.startswith(f"{actor}-{op}-") for i in ids), (actor, op)
    assert "aanbod-beheerder-edit_post-own" in ids and "aanbod-beheerder-edit_post-other" in ids
    assert "aanbod-beheerder-choices-other" in ids and "aanbod-beheerder-api_put_forged_related-other" in ids
    org_ids = {p.id for p in ORGANISATION_SPEC.cells()}
    assert {"functioneel-beheerder-add-new", "aanbod-beheerder-api_post-new"} <= org_ids


# --------------------------------------------------------------------------- a broken view is reported
LEAK, CHANGED, BULK = "foreign data", "the database changed", "the bulk action changed a row"
HOLES = [
    # plain ModelView/ModelRestApi on organisations, with the real permissions
    (BROKEN_ORGANISATION_SPEC, tm.AANBOD_BEHEERDER, "list", LEAK),
    (BROKEN_ORGANISATION_SPEC, tm.AANBOD_BEHEERDER, "show", LEAK),
    (BROKEN_ORGANISATION_SPEC, tm.GEBRUIK_BEHEERDER, "edit_get", LEAK),
    (BROKEN_ORGANISATION_SPEC, tm.GEBRUIK_BEHEERDER, "edit_post", CHANGED),
    (BROKEN_ORGANISATION_SPEC, tm.AANBOD_BEHEERDER, "action:markeer", CHANGED),
    (BROKEN_ORGANISATION_SPEC, tm.AANBOD_BEHEERDER, "action_post:markeer", BULK),
    (BROKEN_ORGANISATION_SPEC, tm.GEBRUIK_RAADPLEGER, "api_list", LEAK),
    (BROKEN_ORGANISATION_SPEC, tm.AANBOD_BEHEERDER, "api_get", LEAK),
    (BROKEN_ORGANISATION_SPEC, tm.AANBOD_BEHEERDER, "api_put", CHANGED),
    # plain ModelView/ModelRestApi on organisation-owned rows with a related organisation
    (BROKEN_MEMBERSHIP_SPEC, tm.AANBOD_BEHEERDER, "list", LEAK),
    (BROKEN_MEMBERSHIP_SPEC, tm.AANBOD_BEHEERDER, "edit_post", CHANGED),
    (BROKEN_MEMBERSHIP_SPEC, tm.AANBOD_BEHEERDER, "choices", LEAK),
    (BROKEN_MEMBERSHIP_SPEC, tm.AANBOD_BEHEERDER, "edit_forged_related", CHANGED),
    (BROKEN_MEMBERSHIP_SPEC, tm.GEBRUIK_BEHEERDER, "action:deactiveer", CHANGED),
    (BROKEN_MEMBERSHIP_SPEC, tm.GEBRUIK_BEHEERDER, "action_post:deactiveer", BULK),
    (BROKEN_MEMBERSHIP_SPEC, tm.AANBOD_BEHEERDER, "api_info", LEAK),
    (BROKEN_MEMBERSHIP_SPEC, tm.AANBOD_BEHEERDER, "api_put_forged_related", CHANGED),
]


@pytest.mark.parametrize("spec,actor,op,expected", HOLES,
                         ids=[f"{s.name.split()[-1]}-{tm.ACTORS[a].slug}-{o}" for s, a, o, _ in HOLES])
def test_matrix_reports_a_hole(matrix_env, spec, actor, op, expected):
    """Each hole is found on the other organisation's row, with the right diagnosis."""
    cell = tm.Cell(actor, op, "other")
    with pytest.raises(AssertionError, match=f"{tm.ACTORS[actor].slug}-{op}-other: {expected}"):
        tm.check(matrix_env, spec, cell)


@pytest.mark.parametrize("spec,actor,op,target", [
    (BROKEN_ORGANISATION_SPEC, tm.AANBOD_BEHEERDER, "list", "own"),
    (BROKEN_ORGANISATION_SPEC, tm.AANBOD_BEHEERDER, "edit_post", "own"),
    (BROKEN_MEMBERSHIP_SPEC, tm.GEBRUIK_BEHEERDER, "action_post:deactiveer", "own"),
    (BROKEN_ORGANISATION_SPEC, tm.ANONYMOUS, "show", "other"),
])
def test_broken_view_still_passes_cells_that_are_not_holes(matrix_env, spec, actor, op, target):
    """Control: the failures above are the holes, not a broken view or a broken helper."""
    tm.check(matrix_env, spec, tm.Cell(actor, op, target))


def test_user_choices_and_forged_user_stay_in_the_organisation(matrix_env):
    """Users are organisation data too: /_info lists only members, a forged user id is refused."""
    env = matrix_env
    env.reset()
    with env.app.app_context():
        own = membership_row(env.org("supplier"), tm.new_marker())
        foreign = membership_row(env.org("other_supplier"), tm.new_marker())
        db.session.commit()
        own_id, own_name = own.id, own.user.last_name
        foreign_user_id, foreign_name = foreign.user_id, foreign.user.last_name
    client, headers = env.client(tm.AANBOD_BEHEERDER), env.api_headers(tm.AANBOD_BEHEERDER)

    info = client.get("/api/v1/test-lidmaatschappen/_info", headers=headers)
    assert info.status_code == 200
    assert own_name in info.get_data(as_text=True)
    assert foreign_name not in info.get_data(as_text=True)

    resp = client.put(f"/api/v1/test-lidmaatschappen/{own_id}", json={"user": foreign_user_id}, headers=headers)
    assert resp.status_code == 400
    with env.app.app_context():
        assert db.session.get(Membership, own_id).user.last_name == own_name
