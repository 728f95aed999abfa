"""Helpers for the F001 tests: a valid registration and the steps of the journey."""

from __future__ import annotations

import pytest

from core.extensions import db
from core.models import AuditLog, Membership, Organisation, ScgUser
from plugins.f001_toegang.models import Registration
from tests.support.actors import PASSWORD, csrf_token, login

REGISTER = "/aanmelden/"

VALID = {
    "company_name": "Gemeentesoft BV",
    "kvk_number": "11223344",
    "website": "https://www.gemeentesoft.example",
    "company_email": "info@gemeentesoft.example",
    "phone": "+31 30 123 45 67",
    "description": "Zaaksystemen voor kleine gemeenten.",
    "software_kinds": ["zaakgericht", "documenten"],
    "first_name": "Sanne",
    "last_name": "de Vries",
    "email": "sanne@gemeentesoft.example",
    "password": PASSWORD,
    "password_confirm": PASSWORD,
    "privacy_consent": "y",
}


def register(client, **changes):
    """Post the registration form with VALID data changed by ``changes`` (None leaves a field out)."""
    data = dict(VALID)
    data.update(changes)
    data = {k: v for k, v in data.items() if v is not None}
    data["csrf_token"] = csrf_token(client, REGISTER)
    return client.post(REGISTER, data=data)


def counts() -> dict[str, int]:
    """How many organisations, users, memberships and registrations exist."""
    db.session.expire_all()
    return {model.__name__: db.session.query(model).count()
            for model in (Organisation, ScgUser, Membership, Registration)}


def confirm(client, link: str):
    """Open the confirmation link from the e-mail and press the button on it."""
    path = link.replace("http://localhost", "")
    page = client.get(path)
    assert page.status_code == 200, page.get_data(as_text=True)
    return client.post(path, data={"csrf_token": csrf_token(client, path)})


def audit_actions(action: str) -> list[AuditLog]:
    return db.session.query(AuditLog).filter(AuditLog.action == action).all()


@pytest.fixture
def registered(client, mailbox):
    """A supplier that filled in the form: (response, confirmation link)."""
    resp = register(client)
    assert resp.status_code == 302, resp.get_data(as_text=True)
    mail = mailbox.last_to(VALID["email"])
    return resp, mail.links[0]


def registration() -> Registration:
    db.session.expire_all()
    org = db.session.query(Organisation).filter_by(kvk_number=VALID["kvk_number"]).one()
    return db.session.query(Registration).filter_by(organisation_id=org.id).one()


@pytest.fixture
def confirmed(app, mailbox):
    """A registration whose e-mail address is confirmed, made by the supplier's own browser."""
    supplier = app.test_client()
    register(supplier)
    confirm(supplier, mailbox.last_to(VALID["email"]).links[0])
    mailbox.clear()
    return registration()


@pytest.fixture
def fb(app, world):
    """A client logged in as functioneel beheerder (with TOTP)."""
    client = app.test_client()
    login(client, world.users["fb"])
    return client


def post_action(client, pk: int, action: str, **data):
    """Press approve or reject, as the form on the detail page does (also when it is not shown)."""
    data["csrf_token"] = csrf_token(client, "/wachtwoord-vergeten/")  # the session's token
    return client.post(f"/beheer/aanmeldingen/{action}/{pk}", data=data)
