"""Password policy for every form that sets a password.

At least PASSWORD_MIN_LENGTH (12) characters and FAB's complexity check.
Configured as FAB_PASSWORD_COMPLEXITY_VALIDATOR, so FAB's own forms use it too.
"""

from __future__ import annotations

import re

from flask import current_app
from flask_appbuilder.exceptions import PasswordComplexityValidationError
from wtforms.validators import ValidationError


def _min_length() -> int:
    try:
        return int(current_app.config.get("PASSWORD_MIN_LENGTH", 12))
    except RuntimeError:  # outside an app context
        return 12


def password_problems(password: str | None) -> list[str]:
    """Dutch messages for what is wrong with ``password`` (empty list: fine)."""
    password = password or ""
    n = _min_length()
    checks = [
        (len(password) >= n, f"minstens {n} tekens"),
        (len(re.findall(r"[A-Z]", password)) >= 2, "twee hoofdletters"),
        (len(re.findall(r"[a-z]", password)) >= 3, "drie kleine letters"),
        (len(re.findall(r"[0-9]", password)) >= 2, "twee cijfers"),
        (re.search(r"[^A-Za-z0-9]", password) is not None, "één speciaal teken"),
    ]
    return [label for ok, label in checks if not ok]


def validate_password(password: str) -> None:
    """FAB complexity validator: raise with a Dutch message when too weak."""
    problems = password_problems(password)
    if problems:
        raise PasswordComplexityValidationError(
            "Het wachtwoord is te zwak; nodig: " + ", ".join(problems) + "."
        )


class StrongPassword:
    """WTForms validator using the same policy."""

    def __call__(self, form, field):
        try:
            validate_password(field.data or "")
        except PasswordComplexityValidationError as exc:
            raise ValidationError(str(exc)) from exc
