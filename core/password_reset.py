"""Password reset links, shared by the public reset page (F001) and user management (F003).

A reset link is signed, expires after RESET_LINK_MAX_AGE and works once. It also
carries a fingerprint of the current password hash, so that it stops working as
soon as the password has changed by any other way.
"""

from __future__ import annotations

import hashlib

from flask import current_app, url_for

from core import mail, tokens
from core.models import ScgUser

PURPOSE = "password-reset"
#: The page where a reset link leads; F001 serves it.
RESET_ENDPOINT = "PasswordResetView.reset"


class ResetUnavailable(RuntimeError):
    """No plugin serves the reset page (F001 is left out), so no reset link can be made."""


def available() -> bool:
    return RESET_ENDPOINT in current_app.view_functions


def _fingerprint(user: ScgUser) -> str:
    return hashlib.sha256((user.password or "").encode()).hexdigest()[:16]


def reset_link(user: ScgUser) -> str:
    if not available():
        raise ResetUnavailable(f"{RESET_ENDPOINT} is not registered (is F001 disabled?)")
    token = tokens.make(PURPOSE, user_id=user.id, pw=_fingerprint(user))
    return mail.absolute_url(url_for(RESET_ENDPOINT, token=token))


def send_reset_mail(user: ScgUser) -> None:
    """E-mail ``user`` a link to choose a new password."""
    mail.send(user.email, "Nieuw wachtwoord instellen", "password_reset",
              user=user, link=reset_link(user),
              hours=current_app.config["RESET_LINK_MAX_AGE"] // 3600)


def user_for_token(token: str) -> tuple[ScgUser, dict]:
    """The user a valid reset token is for; raises ``tokens.TokenError``."""
    from core.extensions import db

    payload = tokens.load(PURPOSE, token, current_app.config["RESET_LINK_MAX_AGE"])
    user = db.session.get(ScgUser, payload.get("user_id"))
    if user is None or not user.active or payload.get("pw") != _fingerprint(user):
        raise tokens.TokenError("invalid")
    return user, payload
