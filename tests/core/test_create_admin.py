"""``flask scg create-admin``: the first Functioneel beheerder, with a one-time password link."""

from __future__ import annotations

import re

import pyotp

from core.extensions import db
from core.models import Organisation, ScgUser
from tests.support.actors import csrf_token, make_org, make_user

SECRET_RE = re.compile(r'id="totp-secret">([A-Z2-7]+)<')
NEW_PASSWORD = "Nieuw-Beheer-Wachtwoord-12"


def _create_admin(app, *args):
    return app.test_cli_runner().invoke(args=["scg", "create-admin", *args])


def test_creates_a_vng_beheerder_who_sets_a_password_through_the_link_and_then_two_factor(app, client):
    assert db.session.query(Organisation).filter_by(type="vng").count() == 0
    result = _create_admin(app, "Eerste.Beheerder@VNG.example", "--first-name", "Eva")
    assert result.exit_code == 0, result.output
    assert "eerste.beheerder@vng.example aangemaakt" in result.output
    link = re.search(r"http://localhost(/wachtwoord-vergeten/nieuw/\S+)", result.output).group(1)
    db.session.expire_all()
    user = db.session.query(ScgUser).filter_by(email="eerste.beheerder@vng.example").one()
    assert [r.name for r in user.roles] == ["Functioneel beheerder"] and user.first_name == "Eva"
    assert user.organisation.type == "vng" and user.organisation.status == "goedgekeurd"
    assert user.password is None  # nobody can log in before the link is used

    resp = client.post(link, data={"password": NEW_PASSWORD, "password_confirm": NEW_PASSWORD,
                                   "confirm_password": NEW_PASSWORD, "csrf_token": csrf_token(client, link)})
    assert resp.status_code == 302, resp.get_data(as_text=True)
    assert client.get(link).status_code == 400  # the link worked once
    resp = client.post("/login/", data={"username": "eerste.beheerder@vng.example", "password": NEW_PASSWORD,
                                        "csrf_token": csrf_token(client, "/login/")})
    assert resp.status_code == 302 and resp.location.endswith("/login/code-instellen/")
    assert client.get("/welkom/").status_code == 302  # not in before two-factor is set up
    secret = SECRET_RE.search(client.get("/login/code-instellen/").get_data(as_text=True)).group(1)
    resp = client.post("/login/code-instellen/", data={"code": pyotp.TOTP(secret).now(),
                                                       "csrf_token": csrf_token(client, "/login/code-instellen/")})
    assert "Uw herstelcodes" in resp.get_data(as_text=True)
    assert client.get("/beheer/aanmeldingen/list/").status_code == 200


def test_uses_the_existing_vng_organisation(app):
    vng = make_org("VNG Realisatie", "vng")
    assert _create_admin(app, "tweede@vng.example").exit_code == 0
    db.session.expire_all()
    user = db.session.query(ScgUser).filter_by(email="tweede@vng.example").one()
    assert user.organisation.id == vng.id
    assert db.session.query(Organisation).filter_by(type="vng").count() == 1


def test_refuses_an_address_that_already_has_an_account(app):
    org = make_org("ICT BV")
    make_user("jan@ict.example", "Aanbod-beheerder", org)
    result = _create_admin(app, "JAN@ict.example")
    assert result.exit_code != 0
    assert "Er bestaat al een account met het e-mailadres jan@ict.example" in result.output
    db.session.expire_all()
    assert db.session.query(ScgUser).filter_by(email="jan@ict.example").one().roles[0].name == "Aanbod-beheerder"
    assert _create_admin(app, "geen-adres").exit_code != 0
