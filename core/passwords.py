"""Password policy for every form that sets a password.

One rule, in plain Dutch: at least PASSWORD_MIN_LENGTH (12) characters, not a
common or breached password, not too easy to guess, and not the user's e-mail
name. Guessability comes from ``zxcvbn`` (offline: its word and password lists
ship with the package, nothing is looked up on the network), with a few Dutch
words added that its English lists lack. Configured as
FAB_PASSWORD_COMPLEXITY_VALIDATOR, so FAB's own forms use it too.
"""

from __future__ import annotations

from flask import current_app
from flask_appbuilder.exceptions import PasswordComplexityValidationError
from wtforms.validators import ValidationError
from zxcvbn import zxcvbn

#: zxcvbn scores 0..4; 3 is "safely unguessable" for an online attack with rate limiting.
MIN_SCORE = 3
#: zxcvbn refuses longer input (and is slow on it); a longer password is judged by its first 72 characters.
CHECKED_LENGTH = 72
#: Dutch words people often build passwords from; zxcvbn's lists are English.
DUTCH_WORDS = (
    "wachtwoord", "welkom", "geheim", "gemeente", "softwarecatalogus", "catalogus", "software", "gemma", "vng",
    "voorjaar", "zomer", "herfst", "winter", "maandag", "dinsdag", "woensdag", "donderdag", "vrijdag", "zaterdag",
    "zondag", "januari", "februari", "maart", "april", "mei", "juni", "juli", "augustus", "september", "oktober",
    "november", "december", "hallo", "inloggen", "beheerder", "admin", "nederland", "amsterdam", "rotterdam",
    "utrecht", "ajax", "feyenoord", "liefde", "schatje", "voetbal", "toegang", "leverancier", "wijzigen",
)

TOO_SHORT = "Gebruik minstens {n} tekens; nu zijn het er {count}."
COMMON = ("Dit wachtwoord staat in lijsten van veelgebruikte of uitgelekte wachtwoorden. "
          "Kies een wachtwoord dat u nergens anders gebruikt.")
GUESSABLE = ("Dit wachtwoord is te makkelijk te raden. Maak het langer of gebruik een paar losse woorden "
             "die niet bij elkaar horen.")
EMAIL_NAME = "Gebruik uw e-mailadres of de naam ervan niet in uw wachtwoord."


def min_length() -> int:
    try:
        return int(current_app.config.get("PASSWORD_MIN_LENGTH", 12))
    except RuntimeError:  # outside an app context
        return 12


def _email_name(email: str | None) -> str:
    return (email or "").split("@", 1)[0].strip().lower()


def _is_common(result: dict) -> bool:
    """One common password or word, perhaps with digits and signs around it ("Welkom2026!", "welkom123456")."""
    sequence = result["sequence"]
    with_letters = [m for m in sequence if any(c.isalpha() for c in m["token"])]
    if not with_letters:
        return any(m["pattern"] == "dictionary" for m in sequence)
    return len(with_letters) == 1 and with_letters[0]["pattern"] == "dictionary"


def password_problems(password: str | None, email: str | None = None) -> list[str]:
    """Dutch sentences saying what is wrong with ``password`` (empty list: fine)."""
    password = password or ""
    n = min_length()
    if len(password) < n:
        return [TOO_SHORT.format(n=n, count=len(password))]
    name = _email_name(email)
    if len(name) >= 3 and name in password.lower():
        return [EMAIL_NAME]
    result = zxcvbn(password[:CHECKED_LENGTH], user_inputs=list(DUTCH_WORDS) + ([name] if name else []))
    if _is_common(result):
        return [COMMON]
    if result["score"] < MIN_SCORE:
        return [GUESSABLE]
    return []


def _email_of_request() -> str | None:
    """Whose password FAB's own forms set: the own (change password), the chosen user's, or the new user's."""
    from flask import g, has_request_context, request

    if not has_request_context():
        return None
    endpoint = request.endpoint or ""
    if endpoint.startswith("ResetMyPasswordView.") and getattr(g, "user", None) is not None:
        return getattr(g.user, "email", None)
    if endpoint.startswith("ResetPasswordView."):
        from core.extensions import db
        from core.models import ScgUser

        pk = request.args.get("pk", "")
        user = db.session.get(ScgUser, int(pk)) if pk.isdigit() else None
        return user.email if user is not None else None
    email = request.form.get("email")
    return email if isinstance(email, str) else None


def validate_password(password: str, email: str | None = None) -> None:
    """FAB complexity validator: raise with a Dutch message when the password does not follow the rule.

    FAB calls it with the password only; the e-mail address then comes from the request.
    """
    problems = password_problems(password, email if email is not None else _email_of_request())
    if problems:
        raise PasswordComplexityValidationError(" ".join(problems))


class StrongPassword:
    """WTForms validator using the same rule.

    ``email_field`` names the form field with the person's e-mail address; a
    view may instead set ``form.password_email`` (e.g. the address of an
    invitation or of the account whose password is reset).
    """

    def __init__(self, email_field: str | None = None):
        self.email_field = email_field

    def __call__(self, form, field):
        email = getattr(form, "password_email", None)
        if self.email_field and email is None:
            email = getattr(getattr(form, self.email_field, None), "data", None)
        try:
            validate_password(field.data or "", email)
        except PasswordComplexityValidationError as exc:
            raise ValidationError(str(exc)) from exc


def as_typed(value):
    """WTForms filter for password fields: a password is taken as typed; only non-text is refused (None)."""
    return value if isinstance(value, str) else None


def rule_text() -> str:
    """The rule in one sentence, for under a password field."""
    return (f"Minstens {min_length()} tekens. Kies iets dat niet makkelijk te raden is, bijvoorbeeld een paar "
            "losse woorden; veelgebruikte of uitgelekte wachtwoorden en uw e-mailadres worden geweigerd.")
