"""Password policy: at least 12 characters and complexity, in Dutch, on every form that sets one."""

from __future__ import annotations

import pytest
from flask import current_app
from flask_appbuilder.exceptions import PasswordComplexityValidationError

from core.extensions import db
from core.models import ScgUser
from core.passwords import password_problems, validate_password
from core.roles import VNG_RAADPLEGER
from tests.support.actors import PASSWORD, csrf_token, login


@pytest.mark.parametrize("password,missing", [
    ("Kort-12ab", "minstens 12 tekens"),
    ("alleenkleineletters-12", "twee hoofdletters"),
    ("ZONDERKLEINE-12", "drie kleine letters"),
    ("Geen-Cijfers-Hier", "twee cijfers"),
    ("GeenSpeciaal12abc", "één speciaal teken"),
])
def test_weak_passwords_are_refused_in_dutch(app, password, missing):
    assert missing in password_problems(password)
    with pytest.raises(PasswordComplexityValidationError, match="Het wachtwoord is te zwak") as err:
        validate_password(password)
    assert missing in str(err.value)


def test_a_strong_password_passes(app):
    assert password_problems(PASSWORD) == []
    validate_password(PASSWORD)


def test_minimum_length_follows_config(make_app):
    app = make_app(PASSWORD_MIN_LENGTH=20)
    with app.app_context():
        assert "minstens 20 tekens" in password_problems(PASSWORD)


def _add_user(client, password, email="nieuw@voorbeeld.example"):
    token = csrf_token(client, "/users/add")
    role = current_app.appbuilder.sm.find_role(VNG_RAADPLEGER)
    return client.post("/users/add", data={
        "first_name": "Nieuwe", "last_name": "Gebruiker", "username": email, "email": email,
        "active": "y", "roles": [str(role.id)], "password": password, "conf_password": password,
        "csrf_token": token,
    })


def test_fab_user_add_form_refuses_a_weak_password(app, client, world):
    """The admin's own user form (FAB /users/add) uses the same policy."""
    login(client, world.users["fb"])
    resp = _add_user(client, "Zwak-1")
    assert resp.status_code == 200
    assert "Het wachtwoord is te zwak" in resp.get_data(as_text=True)
    assert db.session.query(ScgUser).filter_by(email="nieuw@voorbeeld.example").first() is None


def test_fab_user_add_form_accepts_a_strong_password(app, client, world):
    login(client, world.users["fb"])
    resp = _add_user(client, "Heel-Sterk-Wachtwoord-42")
    assert resp.status_code == 302
    assert db.session.query(ScgUser).filter_by(email="nieuw@voorbeeld.example").one().totp_enabled is False
