"""A membership that is deleted takes its role along at once, not at the person's next login."""

from __future__ import annotations

from core import accounts
from core.extensions import db
from core.models import Membership, Organisation, ScgUser
from core.roles import AANBOD_BEHEERDER, GEBRUIK_BEHEERDER
from tests.support.actors import login


def _roles(user_id):
    db.session.expire_all()
    user = db.session.get(ScgUser, user_id)
    return sorted(r.name for r in user.roles), user.active_organisation_id


def test_deleting_the_membership_acted_in_moves_the_person_to_its_other_organisation(app, world):
    user = world.users["gebruik_other"]  # Gebruik-beheerder of Andersdorp
    accounts.add_membership(user, world.gemeente, GEBRUIK_BEHEERDER)
    accounts.switch_organisation(user, world.gemeente.id)
    db.session.commit()
    assert _roles(user.id) == ([GEBRUIK_BEHEERDER], world.gemeente.id)

    membership = db.session.query(Membership).filter_by(user_id=user.id, organisation_id=world.gemeente.id).one()
    db.session.delete(membership)
    db.session.commit()
    assert _roles(user.id) == ([GEBRUIK_BEHEERDER], world.other_gemeente.id)


def test_deleting_the_organisation_leaves_its_people_without_a_role_and_without_access(app, world):
    user_id = world.users["aanbod_other"].id
    client = app.test_client()
    login(client, world.users["aanbod_other"])
    assert client.get("/pakketten/list/").status_code == 200

    db.session.expire_all()  # as the Functioneel beheerder's request would: the login changed the user
    db.session.delete(db.session.get(Organisation, world.other_supplier.id))
    db.session.commit()
    assert _roles(user_id) == ([], None)
    assert client.get("/pakketten/list/").status_code in (302, 403)  # the open session lost its rights too


def test_deleting_one_membership_of_a_person_keeps_unrelated_people_as_they_are(app, world):
    colleague = world.users["raadpleger"]
    before = _roles(colleague.id)
    membership = db.session.query(Membership).filter_by(user_id=world.users["gebruik"].id).one()
    db.session.delete(membership)
    db.session.commit()
    assert _roles(colleague.id) == before
    assert _roles(world.users["gebruik"].id) == ([], None)
    assert AANBOD_BEHEERDER in _roles(world.users["aanbod"].id)[0]
