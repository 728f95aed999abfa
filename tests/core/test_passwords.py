"""Password policy: at least 12 characters and complexity, in Dutch, on every form that sets one."""

from __future__ import annotations

import pytest
from flask_appbuilder.exceptions import PasswordComplexityValidationError

from core.passwords import password_problems, validate_password
from tests.support.actors import PASSWORD


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
