"""CSRF: every form POST needs the token, mutations over GET are refused, the API takes no cookies."""

from __future__ import annotations

import sys

from core.extensions import db
from core.models import AuditLog, Membership, Organisation
from tests.support.actors import csrf_token, login


def test_login_without_token_logs_nobody_in(client, world):
    user = world.users["aanbod"]
    resp = client.post("/login/", data={"username": user.email, "password": "Sterk-Wachtwoord-12"})
    assert resp.status_code == 400
    assert client.get("/welkom/").status_code == 302
    assert db.session.query(AuditLog).filter_by(action="inloggen", user_id=user.id).count() == 0


def test_login_with_a_token_of_another_session_fails(new_client, world):
    attacker = new_client()
    token = csrf_token(attacker, "/login/")
    victim = new_client()
    user = world.users["aanbod"]
    resp = victim.post("/login/", data={"username": user.email, "password": "Sterk-Wachtwoord-12",
                                        "csrf_token": token})
    assert resp.status_code == 400
    assert victim.get("/welkom/").status_code == 302


def test_organisation_edit_without_token_changes_nothing(client, world):
    login(client, world.users["aanbod"])
    org_id = world.supplier.id
    resp = client.post(f"/organisaties/edit/{org_id}", data={"name": "Overgenomen BV"})
    assert resp.status_code == 400
    db.session.expire_all()
    assert db.session.get(Organisation, org_id).name == "ICT Solutions BV"
    # the same edit with the token works: the refusal above was the token
    token = csrf_token(client, f"/organisaties/edit/{org_id}")
    client.post(f"/organisaties/edit/{org_id}", data={"name": "Nieuwe Naam BV", "csrf_token": token})
    db.session.expire_all()
    assert db.session.get(Organisation, org_id).name == "Nieuwe Naam BV"


def test_delete_without_token_or_over_get_changes_nothing(client, world):
    login(client, world.users["fb"])
    org_id = world.other_gemeente.id
    assert client.post(f"/organisaties/delete/{org_id}").status_code == 400
    resp = client.get(f"/organisaties/delete/{org_id}")
    assert resp.status_code == 302
    db.session.expire_all()
    assert db.session.get(Organisation, org_id) is not None
    # with the token the Functioneel beheerder can delete it
    token = csrf_token(client, f"/organisaties/edit/{org_id}")
    client.post(f"/organisaties/delete/{org_id}", data={"csrf_token": token})
    db.session.expire_all()
    assert db.session.get(Organisation, org_id) is None


def test_actions_need_post_and_token(make_app):
    """A single-row action of a tenant view: not over GET, not without the token."""
    from tests.core import test_tenancy_matrix as probe
    from tests.support.actors import World

    app = make_app(plugins=[sys.modules[probe.__name__]])
    with app.app_context():
        world = World.build(app)
        membership = probe.membership_row(world.supplier, "Tester")
        db.session.commit()
        pk = membership.id
        client = app.test_client()
        login(client, world.users["aanbod"])
        url = f"/test-lidmaatschappen/action/deactiveer/{pk}"
        assert client.get(url).status_code == 302
        assert client.post(url).status_code == 400
        db.session.expire_all()
        assert db.session.get(Membership, pk).active is True
        token = csrf_token(client, "/account/twee-factor/")
        client.post(url, data={"csrf_token": token})
        db.session.expire_all()
        assert db.session.get(Membership, pk).active is False


def test_api_ignores_the_browser_session(client, world):
    """A logged-in browser cannot be made to call the API (no cookie auth, so no CSRF there)."""
    login(client, world.users["aanbod"])
    org_id = world.supplier.id
    resp = client.put(f"/api/v1/organisaties/{org_id}", json={"name": "Via de browser BV"})
    assert resp.status_code == 401
    assert client.get(f"/api/v1/organisaties/{org_id}").status_code == 401
    db.session.expire_all()
    assert db.session.get(Organisation, org_id).name == "ICT Solutions BV"
