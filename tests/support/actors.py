"""Organisations, people and logging in, for tests."""

from __future__ import annotations

import re
from dataclasses import dataclass, field

import pyotp
from flask import current_app
from sqlalchemy import select, update

from core import accounts
from core.extensions import db
from core.models import Organisation, OrganisationStatus, ScgUser
from core.roles import AANBOD_BEHEERDER, FUNCTIONEEL_BEHEERDER, GEBRUIK_BEHEERDER, GEBRUIK_RAADPLEGER, VNG_RAADPLEGER

PASSWORD = "Sterk-Wachtwoord-12"
CSRF_RE = re.compile(r'name="csrf_token" type="hidden" value="([^"]+)"')


def make_org(name: str, type_: str = "leverancier", status: str = OrganisationStatus.goedgekeurd.value,
             **kwargs) -> Organisation:
    org = Organisation(name=name, type=type_, status=status, **kwargs)
    db.session.add(org)
    db.session.commit()
    return org


def make_user(email: str, role: str, org: Organisation | None, password: str = PASSWORD, totp: bool = False,
              first_name: str = "Test", last_name: str = "Gebruiker"):
    """A user with a password; two-factor is set up when asked or when the role requires it
    (``TOTP_REQUIRED_ROLES``: by default every beheerder role, as in production)."""
    user = accounts.create_user(email=email, first_name=first_name, last_name=last_name, password=password,
                                organisation=org, role_name=role)
    if totp or role in current_app.config["TOTP_REQUIRED_ROLES"]:
        user.totp_secret = pyotp.random_base32()
        user.totp_enabled = True
    db.session.commit()
    return user


def unused_code(client, user) -> str:
    """A current TOTP code the user has not used yet.

    A code works once; tests log the same person in many times a minute, so the
    record of the last used code is cleared first (tests of the replay rule
    itself use ``pyotp`` directly).
    """
    with client.application.app_context():
        db.session.execute(update(ScgUser.__table__).where(ScgUser.__table__.c.id == user.id)
                           .values(totp_last_step=None))
        db.session.commit()
        secret = db.session.scalar(select(ScgUser.totp_secret).where(ScgUser.id == user.id))
    return pyotp.TOTP(secret).now()


def csrf_token(client, path: str) -> str:
    html = client.get(path).get_data(as_text=True)
    match = CSRF_RE.search(html)
    assert match, f"no CSRF token on {path}"
    return match.group(1)


def login(client, user, password: str = PASSWORD):
    """Log in through the real login form, and the TOTP step when the user has one.

    A user whose role requires two-factor but who has none yet (e.g. just given a beheerder
    role) sets it up when the app asks, as a person would.
    """
    token = csrf_token(client, "/login/")
    resp = client.post("/login/", data={"username": user.email, "password": password, "csrf_token": token})
    if resp.status_code == 302 and resp.location.endswith("/login/code-instellen/"):
        enrol_after_password(client)
        return resp
    if resp.status_code == 302 and "/login/code" in resp.location:
        token = csrf_token(client, "/login/code/")
        resp = client.post("/login/code/", data={"code": unused_code(client, user), "csrf_token": token})
    assert resp.status_code == 302, f"login failed for {user.email}: {resp.status_code}"
    return resp


def api_token(client, user, password: str = PASSWORD) -> str:
    payload = {"username": user.email, "password": password}
    with client.application.app_context():
        enabled = db.session.scalar(select(ScgUser.totp_enabled).where(ScgUser.id == user.id))
    if enabled:
        payload["totp"] = unused_code(client, user)
    resp = client.post("/api/v1/security/login", json=payload)
    assert resp.status_code == 200, resp.get_data(as_text=True)
    return resp.json["access_token"]


@dataclass
class World:
    """Two suppliers, a municipality and VNG staff, each with their people."""

    supplier: Organisation
    other_supplier: Organisation
    gemeente: Organisation
    other_gemeente: Organisation
    users: dict = field(default_factory=dict)

    @classmethod
    def build(cls, app) -> "World":
        supplier = make_org("ICT Solutions BV", kvk_number="12345678", email="info@ictsolutions.example")
        other = make_org("Concurrent BV", kvk_number="87654321", email="info@concurrent.example")
        gemeente = make_org("Voorbeeldstad", "gemeente", cbs_code="9991", email="info@voorbeeldstad.example")
        other_gemeente = make_org("Andersdorp", "gemeente", cbs_code="9992")
        vng = make_org("VNG Realisatie", "vng")
        w = cls(supplier, other, gemeente, other_gemeente)
        w.users = {
            "aanbod": make_user("jan@ictsolutions.example", AANBOD_BEHEERDER, supplier, first_name="Jan",
                                last_name="Pietersen"),
            "aanbod_other": make_user("piet@concurrent.example", AANBOD_BEHEERDER, other),
            "gebruik": make_user("gb@voorbeeldstad.example", GEBRUIK_BEHEERDER, gemeente),
            "raadpleger": make_user("gr@voorbeeldstad.example", GEBRUIK_RAADPLEGER, gemeente),
            "gebruik_other": make_user("gb@andersdorp.example", GEBRUIK_BEHEERDER, other_gemeente),
            "vng": make_user("raadpleger@vng.example", VNG_RAADPLEGER, vng),
            "fb": make_user("beheerder@vng.example", FUNCTIONEEL_BEHEERDER, None),
        }
        return w


NONCE_RE = re.compile(r' nonce="[^"]*"')


def without_nonces(html: str) -> str:
    """A page without its CSP nonces, which differ per response: to compare two answers."""
    return NONCE_RE.sub("", html)


SECRET_RE = re.compile(r'id="totp-secret">([A-Z2-7]+)<')


def enrol_after_password(client, path: str = "/login/code-instellen/"):
    """Set up two-factor where the app asks for it (after the password, or the account page).

    Reads the key from the page as a person would scan it and enters its current code;
    returns the key and the answer (the page with the recovery codes).
    """
    secret = SECRET_RE.search(client.get(path).get_data(as_text=True)).group(1)
    resp = client.post(path, data={"code": pyotp.TOTP(secret).now(), "csrf_token": csrf_token(client, path)})
    assert resp.status_code == 200 and "Uw herstelcodes" in resp.get_data(as_text=True), resp.status_code
    return secret, resp
