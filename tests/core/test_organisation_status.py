"""Users of an organisation that is not approved cannot log in, and are told why."""

from __future__ import annotations

import pytest

from core.extensions import db
from core.models import Membership, OrganisationStatus
from tests.support.actors import PASSWORD, api_token, csrf_token, login, make_org, make_user, unused_code

MESSAGES = {
    "aangemeld": "bevestig eerst uw e-mailadres",
    "bevestigd": "uw aanmelding wacht op beoordeling door VNG",
    "afgewezen": "uw aanmelding is afgewezen",
}


def _attempt(client, email):
    token = csrf_token(client, "/login/")
    return client.post("/login/", data={"username": email, "password": PASSWORD, "csrf_token": token})


@pytest.mark.parametrize("status", ["aangemeld", "bevestigd", "afgewezen"])
def test_no_login_before_approval(client, app, status):
    org = make_org("Nieuwkomer BV", status=status, rejection_reason="KvK-nummer klopt niet" if
                   status == "afgewezen" else None)
    user = make_user("nieuw@nieuwkomer.example", "Aanbod-beheerder", org)
    resp = _attempt(client, user.email)
    assert resp.status_code == 200
    page = resp.get_data(as_text=True)
    assert MESSAGES[status] in page
    if status == "afgewezen":
        assert "Reden: KvK-nummer klopt niet" in page
    assert client.get("/welkom/").status_code == 302
    resp = client.post("/api/v1/security/login", json={"username": user.email, "password": PASSWORD})
    assert resp.status_code == 401
    assert MESSAGES[status] in resp.json["message"]


def test_user_without_organisation_cannot_log_in(client, app):
    user = make_user("los@nergens.example", "Aanbod-beheerder", None)
    resp = _attempt(client, user.email)
    assert "hoort (nog) niet bij een organisatie" in resp.get_data(as_text=True)
    assert client.get("/welkom/").status_code == 302
    assert client.post("/api/v1/security/login",
                       json={"username": user.email, "password": PASSWORD}).status_code == 401


def test_rejecting_later_ends_the_session_and_the_token(client, world):
    user = world.users["aanbod"]
    login(client, user)
    token = api_token(client, user)
    headers = {"Authorization": f"Bearer {token}"}
    assert client.get("/organisaties/list/").status_code == 200
    assert client.get(f"/api/v1/organisaties/{world.supplier.id}", headers=headers).status_code == 200

    world.supplier.status = OrganisationStatus.afgewezen.value
    db.session.commit()
    resp = client.get("/organisaties/list/")
    assert resp.status_code == 302 and "/login/" in resp.location
    assert "ICT Solutions BV" not in client.get(f"/organisaties/show/{world.supplier.id}").get_data(as_text=True)
    assert client.get(f"/api/v1/organisaties/{world.supplier.id}", headers=headers).status_code == 401

    world.supplier.status = OrganisationStatus.goedgekeurd.value
    db.session.commit()
    assert client.get(f"/api/v1/organisaties/{world.supplier.id}", headers=headers).status_code == 200


def test_ended_membership_ends_the_session(client, world):
    user = world.users["gebruik"]
    login(client, user)
    token = api_token(client, user)
    db.session.query(Membership).filter_by(user_id=user.id).update({"active": False})
    db.session.commit()
    assert client.get("/welkom/").status_code == 302
    assert client.get("/api/v1/organisaties/", headers={"Authorization": f"Bearer {token}"}).status_code == 401


def test_refresh_token_stops_working_when_the_organisation_is_rejected(client, world):
    user = world.users["aanbod"]
    resp = client.post("/api/v1/security/login",
                       json={"username": user.email, "password": PASSWORD, "refresh": True,
                             "totp": unused_code(client, user)})
    refresh = {"Authorization": f"Bearer {resp.json['refresh_token']}"}
    assert client.post("/api/v1/security/refresh", headers=refresh).status_code == 200
    world.supplier.status = OrganisationStatus.afgewezen.value
    db.session.commit()
    resp = client.post("/api/v1/security/refresh", headers=refresh)
    assert resp.status_code == 401 and "access_token" not in resp.get_data(as_text=True)
