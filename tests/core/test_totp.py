"""Two-factor authentication: optional for a raadpleger, mandatory for every beheerder role (TOTP_REQUIRED_ROLES)."""

from __future__ import annotations

import re
import time

import pyotp
import pytest

from core import accounts
from core.extensions import db
from core.models import ScgUser
from core.roles import AANBOD_BEHEERDER, FUNCTIONEEL_BEHEERDER, GEBRUIK_BEHEERDER
from core.security import PENDING_KEY, PENDING_MAX_AGE
from tests.support.actors import PASSWORD, csrf_token, login

SECRET_RE = re.compile(r'id="totp-secret">([A-Z2-7]+)<')


def _password_step(client, email, password=PASSWORD):
    token = csrf_token(client, "/login/")
    return client.post("/login/", data={"username": email, "password": password, "csrf_token": token})


def _code_step(client, code, path="/login/code/"):
    token = csrf_token(client, path)
    return client.post(path, data={"code": code, "csrf_token": token})


def _reload(user) -> ScgUser:
    db.session.expire_all()
    return db.session.get(ScgUser, user.id)


def test_raadpleger_turns_two_factor_on_and_then_needs_the_code(new_client, world):
    user = world.users["raadpleger"]
    client = new_client()
    login(client, user)
    page = client.get("/account/twee-factor/").get_data(as_text=True)
    assert "<svg" in page and 'aria-label="QR-code voor uw authenticator-app"' in page
    secret = SECRET_RE.search(page).group(1)
    resp = _code_step(client, "123456" if pyotp.TOTP(secret).now() != "123456" else "654321",
                      "/account/twee-factor/")
    assert "Deze code klopt niet" in resp.get_data(as_text=True)
    assert _reload(user).totp_enabled is False
    enrol_code = pyotp.TOTP(secret).now()
    resp = _code_step(client, enrol_code, "/account/twee-factor/")
    assert resp.status_code == 200 and "Uw herstelcodes" in resp.get_data(as_text=True)
    assert _reload(user).totp_enabled is True and _reload(user).totp_secret == secret

    browser = new_client()
    resp = _password_step(browser, user.email)
    assert resp.status_code == 302 and resp.location.endswith("/login/code/")
    assert browser.get("/welkom/").status_code == 302  # the password alone is not a login
    wrong = str((int(pyotp.TOTP(secret).now()) + 500000) % 1000000).zfill(6)
    resp = _code_step(browser, wrong)
    assert resp.status_code == 200
    assert "Deze code is onjuist of verlopen" in resp.get_data(as_text=True)
    assert browser.get("/welkom/").status_code == 302
    # The code used to switch it on was used once: it does not log anybody in.
    resp = _code_step(browser, enrol_code)
    assert "Deze code is onjuist of verlopen" in resp.get_data(as_text=True)
    resp = _code_step(browser, pyotp.TOTP(secret).at(time.time() + 30))  # the next code
    assert resp.status_code == 302 and resp.location.endswith("/welkom/")
    assert browser.get("/welkom/").status_code == 200


def test_a_code_logs_in_once_in_the_browser_and_the_api(new_client, world):
    """A code seen over someone's shoulder or in a log cannot be used again."""
    fb = world.users["fb"]
    code = pyotp.TOTP(fb.totp_secret).now()
    first = new_client()
    assert _password_step(first, fb.email).status_code == 302
    assert _code_step(first, code).location.endswith("/welkom/")
    second = new_client()
    assert _password_step(second, fb.email).status_code == 302
    resp = _code_step(second, code)
    assert resp.status_code == 200 and "Deze code is onjuist of verlopen" in resp.get_data(as_text=True)
    assert second.get("/welkom/").status_code == 302
    resp = second.post("/api/v1/security/login", json={"username": fb.email, "password": PASSWORD, "totp": code})
    assert resp.status_code == 401 and "access_token" not in resp.get_data(as_text=True)
    later = pyotp.TOTP(fb.totp_secret).at(time.time() + 30)
    resp = second.post("/api/v1/security/login", json={"username": fb.email, "password": PASSWORD, "totp": later})
    assert resp.status_code == 200 and resp.json["access_token"]


def test_turning_two_factor_off_needs_the_password(client, world):
    user = world.users["raadpleger"]
    user.totp_secret, user.totp_enabled = pyotp.random_base32(), True
    db.session.commit()
    login(client, user)
    token = csrf_token(client, "/account/twee-factor/")
    resp = client.post("/account/twee-factor/", data={"password": "Niet-Mijn-Wachtwoord-1", "csrf_token": token})
    assert "Dit wachtwoord is onjuist." in resp.get_data(as_text=True)
    assert _reload(user).totp_enabled is True
    client.post("/account/twee-factor/", data={"password": PASSWORD, "csrf_token": token})
    assert _reload(user).totp_enabled is False and _reload(user).totp_secret is None


@pytest.mark.parametrize("who", ["fb", "aanbod", "gebruik"])
def test_a_beheerder_cannot_turn_it_off(client, world, who):
    user = world.users[who]
    login(client, user)
    page = client.get("/account/twee-factor/").get_data(as_text=True)
    assert "verplicht" in page
    from tests.support.tenancy_matrix import MatrixEnv

    token = MatrixEnv(client.application)._fetch_csrf(client)
    client.post("/account/twee-factor/", data={"password": PASSWORD, "csrf_token": token})
    assert _reload(user).totp_enabled is True


@pytest.fixture(params=[FUNCTIONEEL_BEHEERDER, AANBOD_BEHEERDER, GEBRUIK_BEHEERDER])
def new_beheerder(app, request):
    """A beheerder (each required role in turn) who has not set up two-factor yet."""
    from tests.support.actors import make_org

    org = None if request.param == FUNCTIONEEL_BEHEERDER else make_org(
        "Nieuw BV" if request.param == AANBOD_BEHEERDER else "Nieuwdorp",
        "leverancier" if request.param == AANBOD_BEHEERDER else "gemeente")
    user = accounts.create_user(email="nieuw@beheer.example", first_name="Nieuwe", last_name="Beheerder",
                                password=PASSWORD, organisation=org, role_name=request.param)
    db.session.commit()
    return user


def test_a_beheerder_must_set_up_two_factor_at_first_login(client, new_beheerder):
    resp = _password_step(client, new_beheerder.email)
    assert resp.status_code == 302 and resp.location.endswith("/login/code-instellen/")
    assert client.get("/welkom/").status_code == 302
    page = client.get("/login/code-instellen/").get_data(as_text=True)
    assert "<svg" in page and "Twee-factorauthenticatie instellen" in page
    secret = SECRET_RE.search(page).group(1)
    resp = _code_step(client, "000000" if pyotp.TOTP(secret).now() != "000000" else "111111",
                      "/login/code-instellen/")
    assert "Deze code klopt niet" in resp.get_data(as_text=True)
    assert _reload(new_beheerder).totp_enabled is False
    resp = _code_step(client, pyotp.TOTP(secret).now(), "/login/code-instellen/")
    page = resp.get_data(as_text=True)
    assert resp.status_code == 200 and "Uw herstelcodes" in page and 'href="/welkom/"' in page
    assert resp.headers["Cache-Control"] == "no-store"
    assert client.get("/welkom/").status_code == 200
    assert _reload(new_beheerder).totp_enabled is True and _reload(new_beheerder).totp_secret == secret


def test_api_login_has_no_way_around_two_factor(client, world, new_beheerder):
    fb = world.users["fb"]
    url = "/api/v1/security/login"
    resp = client.post(url, json={"username": new_beheerder.email, "password": PASSWORD})
    assert resp.status_code == 401 and "Stel eerst twee-factorauthenticatie in" in resp.json["message"]
    for extra in ({}, {"totp": ""}, {"totp": "12345"}, {"totp": None}, {"totp": ["1"]}, {"totp": 123456}):
        resp = client.post(url, json={"username": fb.email, "password": PASSWORD, **extra})
        assert resp.status_code == 401, extra
        assert "access_token" not in resp.get_data(as_text=True)
    wrong = str((int(pyotp.TOTP(fb.totp_secret).now()) + 500000) % 1000000).zfill(6)
    assert client.post(url, json={"username": fb.email, "password": PASSWORD, "totp": wrong}).status_code == 401
    resp = client.post(url, json={"username": fb.email, "password": PASSWORD,
                                  "totp": pyotp.TOTP(fb.totp_secret).now()})
    assert resp.status_code == 200 and resp.json["access_token"]


def test_api_login_of_a_supplier_with_two_factor_needs_the_code(client, world):
    user = world.users["aanbod"]
    user.totp_secret, user.totp_enabled = pyotp.random_base32(), True
    db.session.commit()
    url = "/api/v1/security/login"
    assert client.post(url, json={"username": user.email, "password": PASSWORD}).status_code == 401
    resp = client.post(url, json={"username": user.email, "password": PASSWORD,
                                  "totp": pyotp.TOTP(user.totp_secret).now()})
    assert resp.status_code == 200


def test_pending_code_step_expires(client, world):
    user = world.users["fb"]
    assert _password_step(client, user.email).status_code == 302
    with client.session_transaction() as sess:
        pending = dict(sess[PENDING_KEY])
        pending["at"] -= PENDING_MAX_AGE + 1
        sess[PENDING_KEY] = pending
    resp = client.get("/login/code/")
    assert resp.status_code == 302 and resp.location.endswith("/login/")
    with client.session_transaction() as sess:
        assert PENDING_KEY not in sess
    # a code after expiry does not log in either
    resp = client.post("/login/code/", data={"code": pyotp.TOTP(user.totp_secret).now(),
                                             "csrf_token": csrf_token(client, "/login/")})
    assert resp.status_code == 302 and resp.location.endswith("/login/")
    assert client.get("/welkom/").status_code == 302
    assert "tijd voor de code is verlopen" in client.get("/login/").get_data(as_text=True)


def test_code_page_without_password_step_sends_to_login(client, world):
    assert client.get("/login/code/").location.endswith("/login/")
    assert client.get("/login/code-instellen/").location.endswith("/login/")
