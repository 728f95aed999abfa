"""Time-based one-time passwords (TOTP): enrolment, codes that work once, recovery codes.

A code is accepted in a window of one step (30 s) either side, and never twice:
the step of the last accepted code is stored on the user with a conditional
UPDATE, so two requests racing with the same code give one login.

Recovery codes (``TOTP_RECOVERY_CODES``, default 10) are made at enrolment and shown
once; only their SHA-256 hashes are stored. Each works once, instead of a code from
the app, after the password (the login's "Authenticator kwijt?" step).
"""

from __future__ import annotations

import hashlib
import io
import secrets
import time

import pyotp
import qrcode
import qrcode.image.svg
from flask import current_app, session
from markupsafe import Markup
from sqlalchemy import delete, func, or_, select, update

from core.extensions import db
from core.models import ScgUser, TotpRecoveryCode, utcnow

WINDOW = 1  # steps either side of now
SESSION_SECRET = "scg_2fa_secret"


def matching_step(secret: str, code, at: float | None = None) -> int | None:
    """The time step whose code is ``code`` (within the window), or None."""
    if not secret or not isinstance(code, str):
        return None
    code = code.strip()
    if len(code) != 6 or not code.isdigit():
        return None
    totp = pyotp.TOTP(secret)
    now = time.time() if at is None else at
    for offset in range(-WINDOW, WINDOW + 1):
        moment = now + offset * totp.interval
        if totp.verify(code, for_time=moment, valid_window=0):
            return int(moment // totp.interval)
    return None


def use_code(user: ScgUser, code) -> bool:
    """True if ``code`` is the user's current code and was not used before (no commit)."""
    step = matching_step(user.totp_secret, code)
    if step is None:
        return False
    result = db.session.execute(
        update(ScgUser.__table__)
        .where(ScgUser.__table__.c.id == user.id)
        .where(or_(ScgUser.__table__.c.totp_last_step.is_(None), ScgUser.__table__.c.totp_last_step < step))
        .values(totp_last_step=step)
    )
    return result.rowcount == 1


def pending_secret() -> str:
    """The secret being enrolled in this session (made on first use)."""
    secret = session.get(SESSION_SECRET) or pyotp.random_base32()
    session[SESSION_SECRET] = secret
    return secret


def enrol(user: ScgUser, code) -> bool:
    """Switch TOTP on for ``user`` if ``code`` fits the pending secret (no commit)."""
    secret = pending_secret()
    step = matching_step(secret, code)
    if step is None:
        return False
    user.totp_secret = secret
    user.totp_enabled = True
    user.totp_last_step = step
    session.pop(SESSION_SECRET, None)
    return True


RECOVERY_ALPHABET = "abcdefghjkmnpqrstuvwxyz23456789"  # no 0/o, 1/l/i: easy to copy by hand
RECOVERY_GROUPS, RECOVERY_GROUP_LENGTH = 4, 4  # 16 characters of 31: about 79 bits


def _normalise_recovery(code: str) -> str:
    return "".join(ch for ch in code.lower() if ch.isalnum())


def _recovery_hash(code: str) -> str:
    return hashlib.sha256(_normalise_recovery(code).encode()).hexdigest()


def new_recovery_codes(user: ScgUser) -> list[str]:
    """Replace the user's recovery codes by fresh ones and return them, readable (no commit)."""
    count = current_app.config.get("TOTP_RECOVERY_CODES", 10)
    codes = ["-".join("".join(secrets.choice(RECOVERY_ALPHABET) for _ in range(RECOVERY_GROUP_LENGTH))
                      for _ in range(RECOVERY_GROUPS)) for _ in range(count)]
    db.session.execute(delete(TotpRecoveryCode).where(TotpRecoveryCode.user_id == user.id))
    db.session.add_all(TotpRecoveryCode(user_id=user.id, code_hash=_recovery_hash(c)) for c in codes)
    return codes


def use_recovery_code(user: ScgUser, code) -> bool:
    """True if ``code`` is one of the user's unused recovery codes; it is used up (no commit)."""
    if not isinstance(code, str) or len(_normalise_recovery(code)) != RECOVERY_GROUPS * RECOVERY_GROUP_LENGTH:
        return False
    result = db.session.execute(
        update(TotpRecoveryCode)
        .where(TotpRecoveryCode.user_id == user.id, TotpRecoveryCode.code_hash == _recovery_hash(code),
               TotpRecoveryCode.used_on.is_(None))
        .values(used_on=utcnow())
        .execution_options(synchronize_session=False)
    )
    return result.rowcount == 1


def recovery_codes_left(user: ScgUser) -> int:
    return db.session.scalar(select(func.count()).select_from(TotpRecoveryCode)
                             .where(TotpRecoveryCode.user_id == user.id, TotpRecoveryCode.used_on.is_(None)))


def drop_recovery_codes(user: ScgUser) -> None:
    db.session.execute(delete(TotpRecoveryCode).where(TotpRecoveryCode.user_id == user.id))


def qr_svg(uri: str) -> Markup:
    image = qrcode.make(uri, image_factory=qrcode.image.svg.SvgPathImage, box_size=8)
    buffer = io.BytesIO()
    image.save(buffer)
    svg = buffer.getvalue().decode()
    svg = svg.replace("<svg ", '<svg role="img" aria-label="QR-code voor uw authenticator-app" ', 1)
    return Markup(svg[svg.index("<svg"):])


def enrolment_context(user: ScgUser) -> dict:
    """What an enrolment page shows: the secret to type and its QR code."""
    secret = pending_secret()
    uri = pyotp.TOTP(secret).provisioning_uri(name=user.email, issuer_name=current_app.config["TOTP_ISSUER"])
    return {"secret": secret, "qr": qr_svg(uri)}
