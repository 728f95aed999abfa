"""Password rule: at least 12 characters, not common or breached, not guessable, not the e-mail name; in plain
Dutch, on every form that sets a password."""

from __future__ import annotations

import pytest
from flask_appbuilder.exceptions import PasswordComplexityValidationError

from core.passwords import password_problems, validate_password
from tests.support.actors import PASSWORD


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



def test_the_demo_password_printed_by_the_run_command_follows_the_rule(app):
    from core.builtin.demo import DEMO_PASSWORD, DEMO_USERS, MULTI_EMAIL

    for email in [row[0] for row in DEMO_USERS] + ["gebruik@gemeente.example", MULTI_EMAIL]:
        assert password_problems(DEMO_PASSWORD, email) == [], email
