"""Recovery codes ("Authenticator kwijt?") and the enrolment that required roles cannot skip."""

from __future__ import annotations

import re

import pyotp
import pytest
from sqlalchemy import select

from core import accounts
from core.extensions import db
from core.models import ScgUser, TotpRecoveryCode
from core.roles import AANBOD_BEHEERDER
from tests.support.actors import PASSWORD, csrf_token, login, make_org

SECRET_RE = re.compile(r'id="totp-secret">([A-Z2-7]+)<')
CODE_RE = re.compile(r"<li><code>([a-z0-9-]+)</code></li>")


def _post(client, path, **data):
    return client.post(path, data={"csrf_token": csrf_token(client, path), **data})


def _password_step(client, email, password=PASSWORD):
    return _post(client, "/login/", username=email, password=password)


@pytest.fixture
def beheerder(app):
    """A new Aanbod-beheerder: two-factor is required and not yet set up."""
    org = make_org("Herstel BV")
    user = accounts.create_user(email="herstel@herstel.example", first_name="Her", last_name="Stel",
                                password=PASSWORD, organisation=org, role_name=AANBOD_BEHEERDER)
    db.session.commit()
    return user


def _enrol_at_login(client, user) -> tuple[str, list[str]]:
    assert _password_step(client, user.email).location.endswith("/login/code-instellen/")
    secret = SECRET_RE.search(client.get("/login/code-instellen/").get_data(as_text=True)).group(1)
    resp = _post(client, "/login/code-instellen/", code=pyotp.TOTP(secret).now())
    return secret, CODE_RE.findall(resp.get_data(as_text=True))


def test_ten_codes_are_shown_once_and_stored_only_hashed(new_client, beheerder):
    client = new_client()
    _secret, codes = _enrol_at_login(client, beheerder)
    assert len(codes) == 10 and len(set(codes)) == 10
    stored = db.session.scalars(select(TotpRecoveryCode.code_hash).filter_by(user_id=beheerder.id)).all()
    assert len(stored) == 10 and not set(codes) & set(stored)
    # Once: no page shows them again.
    page = client.get("/account/twee-factor/").get_data(as_text=True)
    assert not any(code in page for code in codes) and "10</strong> ongebruikte" in page


def test_a_recovery_code_replaces_the_app_code_once_and_only_after_the_password(new_client, beheerder):
    _secret, codes = _enrol_at_login(new_client(), beheerder)
    anonymous = new_client()
    assert anonymous.get("/login/herstelcode/").location.endswith("/login/")  # no password step: no way in
    resp = anonymous.post("/login/herstelcode/", data={"csrf_token": csrf_token(anonymous, "/login/"),
                                                        "code": codes[0]})
    assert resp.location.endswith("/login/")
    assert anonymous.get("/welkom/").status_code == 302

    client = new_client()
    assert _password_step(client, beheerder.email).location.endswith("/login/code/")
    assert 'href="/login/herstelcode/"' in client.get("/login/code/").get_data(as_text=True)
    resp = _post(client, "/login/herstelcode/", code="aaaa-bbbb-cccc-dddd")
    assert resp.status_code == 200 and "onjuist of al gebruikt" in resp.get_data(as_text=True)
    assert client.get("/welkom/").status_code == 302
    resp = _post(client, "/login/herstelcode/", code=codes[0].upper().replace("-", " "))  # as typed by hand
    assert resp.status_code == 302 and resp.location.endswith("/welkom/")
    assert "nog 9 herstelcode" in client.get("/welkom/").get_data(as_text=True)

    again = new_client()
    _password_step(again, beheerder.email)
    resp = _post(again, "/login/herstelcode/", code=codes[0])
    assert "onjuist of al gebruikt" in resp.get_data(as_text=True)
    assert again.get("/welkom/").status_code == 302


def test_new_codes_need_the_password_and_the_old_ones_stop_working(new_client, beheerder):
    client = new_client()
    _secret, old = _enrol_at_login(client, beheerder)
    token = csrf_token(client, "/account/twee-factor/")
    resp = client.post("/account/twee-factor/herstelcodes/",
                       data={"csrf_token": token, "codes_password": "Niet-Mijn-Wachtwoord-1"})
    assert resp.status_code == 400 and "Dit wachtwoord is onjuist." in resp.get_data(as_text=True)
    resp = client.post("/account/twee-factor/herstelcodes/",
                       data={"csrf_token": token, "codes_password": PASSWORD})
    new = CODE_RE.findall(resp.get_data(as_text=True))
    assert len(new) == 10 and not set(new) & set(old)

    other = new_client()
    _password_step(other, beheerder.email)
    assert "onjuist of al gebruikt" in _post(other, "/login/herstelcode/", code=old[1]).get_data(as_text=True)
    assert _post(other, "/login/herstelcode/", code=new[1]).location.endswith("/welkom/")


def test_recovery_codes_count_against_the_login_rate_limit(make_app):
    app = make_app(RATELIMIT_ENABLED=True, AUTH_RATE_LIMITED=True, AUTH_RATE_LIMIT="3 per minute")
    with app.app_context():
        user = accounts.create_user(email="limiet@vng.example", first_name="Li", last_name="Miet",
                                    password=PASSWORD, organisation=None, role_name="Functioneel beheerder")
        user.totp_secret, user.totp_enabled = pyotp.random_base32(), True
        db.session.commit()
        email = user.email
    client = app.test_client()
    assert _password_step(client, email).status_code == 302  # 1
    with app.app_context():
        token = csrf_token(client, "/login/herstelcode/")
    statuses = [client.post("/login/herstelcode/", data={"csrf_token": token, "code": "aaaa-bbbb-cccc-dddd"})
                .status_code for _ in range(4)]
    assert statuses == [200, 200, 200, 429]  # the limit of every login step (see test_ratelimit)


def test_a_logged_in_beheerder_without_two_factor_can_do_nothing_but_set_it_up(new_client, app, world):
    """E.g. someone given a beheerder role while logged in, or just in through an invitation."""
    user = world.users["raadpleger"]  # Gebruik-raadpleger: two-factor optional
    client = new_client()
    login(client, user)
    assert client.get("/welkom/").status_code == 200
    from flask import current_app

    current_app.config["TOTP_REQUIRED_ROLES"] = [*current_app.config["TOTP_REQUIRED_ROLES"], "Gebruik-raadpleger"]
    resp = client.get("/welkom/")
    assert resp.status_code == 302 and "/account/twee-factor/?next=/welkom/" in resp.location
    assert "verplicht" in client.get(resp.location).get_data(as_text=True)
    api = client.get("/api/v1/catalogus/pakketten/")
    assert api.status_code == 403 and "twee-factorauthenticatie" in api.json["message"]
    page = client.get("/account/twee-factor/?next=/welkom/").get_data(as_text=True)
    secret = SECRET_RE.search(page).group(1)
    token = csrf_token(client, "/account/twee-factor/")
    resp = client.post("/account/twee-factor/?next=/welkom/", data={"csrf_token": token,
                                                                    "code": pyotp.TOTP(secret).now()})
    assert len(CODE_RE.findall(resp.get_data(as_text=True))) == 10 and 'href="/welkom/"' in resp.get_data(as_text=True)
    assert client.get("/welkom/").status_code == 200
    db.session.expire_all()
    assert db.session.get(ScgUser, user.id).totp_enabled is True
