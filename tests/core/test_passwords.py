"""Password rule: at least 12 characters, not common or breached, not guessable, not the e-mail name; in plain
Dutch, on every form that sets a password."""

from __future__ import annotations

import pytest
from flask import current_app
from flask_appbuilder.exceptions import PasswordComplexityValidationError

from core.extensions import db
from core.models import ScgUser
from core.passwords import password_problems, validate_password
from core.roles import VNG_RAADPLEGER
from tests.support.actors import PASSWORD, csrf_token, login


@pytest.mark.parametrize("password,message", [
    ("Kort-12ab", "Gebruik minstens 12 tekens; nu zijn het er 9."),
    ("", "Gebruik minstens 12 tekens; nu zijn het er 0."),
    ("welkom123456", "lijsten van veelgebruikte of uitgelekte wachtwoorden"),
    ("wachtwoord12", "lijsten van veelgebruikte of uitgelekte wachtwoorden"),
    ("Wachtwoord2026!", "lijsten van veelgebruikte of uitgelekte wachtwoorden"),
    ("password1234", "lijsten van veelgebruikte of uitgelekte wachtwoorden"),
    ("123456789012", "lijsten van veelgebruikte of uitgelekte wachtwoorden"),
    ("aaaaaaaaaaaa", "te makkelijk te raden"),
    ("abcdefghijkl", "te makkelijk te raden"),
])
def test_short_common_and_guessable_passwords_are_refused_in_plain_dutch(app, password, message):
    problems = password_problems(password)
    assert len(problems) == 1 and message in problems[0]
    with pytest.raises(PasswordComplexityValidationError, match=message):
        validate_password(password)


@pytest.mark.parametrize("password", [
    "paarse fiets onder de brug",  # a passphrase: no capitals, digits or signs needed
    "zaakwijzer koffie regenjas",
    PASSWORD,
    "Kx9#mQ2vLp7!",
    "lange zin " * 20,  # longer than zxcvbn takes: judged by its start, never an error
])
def test_long_or_unguessable_passwords_pass(app, password):
    assert password_problems(password) == []
    validate_password(password)


def test_the_e_mail_name_is_not_allowed_in_the_password(app):
    assert password_problems("Sanne-Zwemt-Graag-88", email="sanne@gemeentesoft.example") == [
        "Gebruik uw e-mailadres of de naam ervan niet in uw wachtwoord."]
    assert password_problems("Sanne-Zwemt-Graag-88", email="piet@gemeentesoft.example") == []


def test_minimum_length_follows_config(make_app):
    app = make_app(PASSWORD_MIN_LENGTH=30)
    with app.app_context():
        assert password_problems(PASSWORD) == [f"Gebruik minstens 30 tekens; nu zijn het er {len(PASSWORD)}."]


def test_the_check_works_offline(app, monkeypatch):
    """No network at run time: the word lists ship with the package."""
    import socket

    def no_network(*args, **kwargs):
        raise AssertionError("the password check tried to use the network")

    monkeypatch.setattr(socket, "create_connection", no_network)
    monkeypatch.setattr(socket.socket, "connect", no_network)
    assert password_problems("welkom123456") and password_problems("paarse fiets onder de brug") == []


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
    resp = _add_user(client, "welkom123456")
    assert resp.status_code == 200
    assert "lijsten van veelgebruikte of uitgelekte wachtwoorden" in resp.get_data(as_text=True)
    assert db.session.query(ScgUser).filter_by(email="nieuw@voorbeeld.example").first() is None


def test_fab_user_add_form_accepts_a_strong_password(app, client, world):
    login(client, world.users["fb"])
    resp = _add_user(client, "Heel-Sterk-Wachtwoord-42")
    assert resp.status_code == 302
    assert db.session.query(ScgUser).filter_by(email="nieuw@voorbeeld.example").one().totp_enabled is False


def _change_own_password(client, password):
    token = csrf_token(client, "/resetmypassword/form")
    return client.post("/resetmypassword/form", data={"password": password, "conf_password": password,
                                                      "csrf_token": token})


def test_changing_the_own_password_follows_the_same_rule(app, client, world):
    """Mijn gegevens > wachtwoord wijzigen (FAB's own form): short, common and the own e-mail name are refused."""
    user = world.users["fb"]  # beheerder@vng.example; the other roles have no FAB password form
    login(client, user)
    form = client.get("/resetmypassword/form").get_data(as_text=True)
    assert "Wachtwoord wijzigen" in form and "Minstens 12 tekens — nog 12 te gaan" in form
    assert "this application does not check" not in form  # FAB's own (wrong) hint is gone
    for password, message in [("kort", "Gebruik minstens 12 tekens"),
                              ("welkom123456", "lijsten van veelgebruikte"),
                              ("Beheerder-Fietst-Naar-Huis", "Gebruik uw e-mailadres of de naam ervan")]:
        resp = _change_own_password(client, password)
        assert resp.status_code == 200 and message in resp.get_data(as_text=True)
    before = db.session.get(ScgUser, user.id).password
    resp = _change_own_password(client, "paarse fiets onder de brug")
    assert resp.status_code == 302
    assert "Uw wachtwoord is gewijzigd." in client.get(resp.location).get_data(as_text=True)
    db.session.expire_all()
    assert db.session.get(ScgUser, user.id).password != before


def test_the_demo_password_printed_by_the_run_command_follows_the_rule(app):
    from core.builtin.demo import DEMO_PASSWORD, DEMO_USERS, MULTI_EMAIL

    for email in [row[0] for row in DEMO_USERS] + ["gebruik@gemeente.example", MULTI_EMAIL]:
        assert password_problems(DEMO_PASSWORD, email) == [], email
