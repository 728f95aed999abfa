"""``core.tenancy.ActingFor``: an organisation keeps rows for the organisations it may act for now.

A samenwerking registers usage for its member municipalities (F013 with F010). The filters
must show the samenwerking its own rows and the rows it registered for a CURRENT member,
show a member its own rows whoever registered them, and nothing of anyone else.
"""

from __future__ import annotations

import pytest
from flask import g
from flask_appbuilder.models.sqla.interface import SQLAInterface
from flask_login import login_user

from core.catalogue.models import Package, Usage
from core.extensions import db
from core.models import Organisation
from core.roles import GEBRUIK_BEHEERDER
from core.tenancy import ActingFor, ActingForFilter, ActingOrganisationFilter
from tests.support.actors import make_org, make_user


@pytest.fixture
def regio(app, world):
    samen = make_org("Regio Samen", "samenwerking")
    user = make_user("regio@samen.example", GEBRUIK_BEHEERDER, samen)
    members = {samen.id: {world.gemeente.id}}  # Voorbeeldstad is a member now; Andersdorp no longer
    acting = ActingFor("registered_by_id", lambda org_id: members.get(org_id, set()))
    names = ["Eigen", "Namens lid", "Lid zelf", "Namens oud-lid"]
    owners = [(samen, None), (world.gemeente, samen), (world.gemeente, None), (world.other_gemeente, samen)]
    for name, (owner, registrar) in zip(names, owners, strict=True):
        package = Package(organisation_id=world.supplier.id, name=name, status="gepubliceerd")
        db.session.add(package)
        db.session.flush()
        db.session.add(Usage(organisation_id=owner.id, package_id=package.id, status="in_productie",
                             description=name, registered_by_id=registrar.id if registrar else None))
    db.session.commit()
    return {"user": user, "acting": acting, "samen": samen}


def _usages(app, user, acting):
    with app.test_request_context():
        g.user = user
        if user is not None:
            login_user(user)
        query = ActingForFilter("organisation_id", SQLAInterface(Usage)).apply(db.session.query(Usage), acting)
        return sorted(u.description for u in query)


def _choices(app, user, acting):
    with app.test_request_context():
        g.user = user
        login_user(user)
        query = ActingOrganisationFilter("id", SQLAInterface(Organisation)).apply(
            db.session.query(Organisation), acting)
        return sorted(o.name for o in query)


def test_the_samenwerking_sees_its_own_rows_and_those_it_registered_for_a_current_member(app, world, regio):
    assert _usages(app, regio["user"], regio["acting"]) == ["Eigen", "Namens lid"]


def test_a_member_sees_its_own_rows_whoever_registered_them(app, world, regio):
    assert _usages(app, world.users["gebruik"], regio["acting"]) == ["Lid zelf", "Namens lid"]
    assert _usages(app, world.users["gebruik_other"], regio["acting"]) == ["Namens oud-lid"]


def test_others_see_nothing_and_the_functioneel_beheerder_everything(app, world, regio):
    assert _usages(app, world.users["aanbod"], regio["acting"]) == []
    assert _usages(app, None, regio["acting"]) == []
    assert _usages(app, world.users["fb"], regio["acting"]) == sorted(
        ["Eigen", "Namens lid", "Lid zelf", "Namens oud-lid"])


def test_without_members_it_is_the_plain_tenant_filter(app, world, regio):
    nobody = ActingFor("registered_by_id", lambda org_id: set())
    assert _usages(app, regio["user"], nobody) == ["Eigen"]
    assert nobody.ids_for(None) == frozenset() and regio["acting"].ids_for(None) == frozenset()


def test_the_organisation_choices_are_the_own_one_and_the_current_members(app, world, regio):
    assert _choices(app, regio["user"], regio["acting"]) == ["Regio Samen", "Voorbeeldstad"]
    assert _choices(app, world.users["gebruik"], regio["acting"]) == ["Voorbeeldstad"]
