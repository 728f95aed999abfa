"""Signed, expiring, single-use links (confirmation, invitation, password reset).

A token carries a purpose, a payload and a random id. ``load`` checks signature,
purpose and age; ``consume`` records the id in ``used_token`` inside the caller's
transaction, so that a link works once even with several workers.
"""

from __future__ import annotations

import secrets

from flask import current_app
from itsdangerous import BadSignature, SignatureExpired, URLSafeTimedSerializer
from sqlalchemy.exc import IntegrityError

from core.extensions import db
from core.models import UsedToken


class TokenError(Exception):
    """A link that cannot be used; ``reason`` is expired, invalid or used."""

    MESSAGES = {
        "expired": "Deze link is verlopen.",
        "invalid": "Deze link is ongeldig of beschadigd.",
        "used": "Deze link is al gebruikt.",
    }

    def __init__(self, reason: str, payload: dict | None = None):
        super().__init__(self.MESSAGES[reason])
        self.reason = reason
        self.payload = payload or {}

    @property
    def message(self) -> str:
        return self.MESSAGES[self.reason]


def _serializer(purpose: str) -> URLSafeTimedSerializer:
    return URLSafeTimedSerializer(current_app.config["SECRET_KEY"], salt=f"scg-{purpose}")


def make(purpose: str, **payload) -> str:
    payload = dict(payload, jti=secrets.token_urlsafe(16))
    return _serializer(purpose).dumps(payload)


def load(purpose: str, token: str, max_age: int) -> dict:
    """Return the payload of a valid, unused token or raise ``TokenError``."""
    serializer = _serializer(purpose)
    try:
        payload = serializer.loads(token, max_age=max_age)
    except SignatureExpired as exc:
        # The signature is valid, only too old: tell which account it was for.
        try:
            payload = serializer.loads_unsafe(token)[1]
        except Exception:  # pragma: no cover - defensive
            payload = None
        raise TokenError("expired", payload if isinstance(payload, dict) else None) from exc
    except (BadSignature, ValueError, TypeError) as exc:
        raise TokenError("invalid") from exc
    if not isinstance(payload, dict) or "jti" not in payload:
        raise TokenError("invalid")
    if db.session.get(UsedToken, payload["jti"]) is not None:
        raise TokenError("used", payload)
    return payload


def consume(purpose: str, payload: dict) -> None:
    """Mark the token used; raises ``TokenError('used')`` if another request beat us."""
    try:
        with db.session.begin_nested():
            db.session.add(UsedToken(jti=payload["jti"], purpose=purpose))
    except IntegrityError as exc:
        raise TokenError("used", payload) from exc
