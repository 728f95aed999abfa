"""Registration, confirmation, review and password reset: the logic behind the F001 pages.

Status changes of an organisation are conditional UPDATEs (``... WHERE status =
<expected>``) whose row count says whether this request made the change. Two
beheerders who approve at the same moment therefore give one approval, one audit
entry, one event and one e-mail. E-mail goes out only after the commit.
"""

from __future__ import annotations

import logging
from collections.abc import Iterable
from dataclasses import dataclass

from flask import current_app, url_for
from sqlalchemy import update
from sqlalchemy.exc import IntegrityError

from core import accounts, audit, concepts, mail, password_reset, tokens
from core.events import OrganisationApproved, OrganisationRegistered, OrganisationRejected, RegistrationConfirmed, emit
from core.extensions import db
from core.models import Organisation, OrganisationStatus, OrganisationType, ScgUser, utcnow
from core.roles import AANBOD_BEHEERDER
from plugins.f001_toegang.models import Registration

log = logging.getLogger(__name__)

CONFIRM_PURPOSE = "confirm-registration"

AANGEMELD = OrganisationStatus.aangemeld.value
BEVESTIGD = OrganisationStatus.bevestigd.value
GOEDGEKEURD = OrganisationStatus.goedgekeurd.value
AFGEWEZEN = OrganisationStatus.afgewezen.value


class RegistrationError(ValueError):
    """A registration that cannot be made; ``field`` names the form field it is about."""

    def __init__(self, field: str | None, message: str):
        super().__init__(message)
        self.field = field
        self.message = message


@dataclass(frozen=True)
class RegistrationData:
    company_name: str
    kvk_number: str
    website: str
    company_email: str
    phone: str
    description: str
    software_kinds: list[str]
    first_name: str
    last_name: str
    email: str
    password: str


def _contact() -> str:
    return current_app.config["VNG_CONTACT_EMAIL"]


def duplicate_kvk_message() -> str:
    return ("Dit KvK-nummer is al aangemeld. Uw bedrijf kan zich maar één keer aanmelden. "
            f"Werkt u bij dit bedrijf? Vraag een collega om u uit te nodigen, of mail {_contact()}.")


def send_safely(to: str | list[str], subject: str, template: str, **context) -> bool:
    """Put an e-mail in the outbox (sent after the caller's commit, retried when the server fails).

    Returns whether it was queued; a mail that cannot even be made is logged, never a 500.
    """
    try:
        mail.send(to, subject, template, **context)
        return True
    except Exception:  # noqa: BLE001 - e.g. a template error: the change itself must still go through
        log.exception("E-mail %r aan %s kon niet worden gemaakt", subject, to)
        return False


# --- registration ------------------------------------------------------------

def register(data: RegistrationData, ip: str | None) -> tuple[Registration | None, bool]:
    """Create the organisation (aangemeld), its first user and the registration; mail the link.

    Returns the registration and whether the confirmation e-mail was sent. Raises
    ``RegistrationError`` when the KvK number is already known; then nothing is stored.

    An e-mail address that already has an account is answered like a new one (the
    page must not tell who has an account): nothing is stored, the registration is
    None, and the owner of that address gets an e-mail saying someone tried.
    """
    if db.session.query(Organisation.id).filter(Organisation.kvk_number == data.kvk_number).first():
        raise RegistrationError("kvk_number", duplicate_kvk_message())
    existing = accounts.find_user_by_email(data.email)
    if existing is not None:
        accounts.hash_password(data.password)  # as long as a real registration: no timing difference
        audit.record(db.session, "aanmelden_bestaand_adres", object_type="ScgUser", object_id=existing.id,
                     details={"ip": (ip or "")[:45]})
        queued = send_account_exists(existing)
        db.session.commit()
        return None, queued
    try:
        org = Organisation(
            name=data.company_name, type=OrganisationType.leverancier.value, status=AANGEMELD,
            kvk_number=data.kvk_number, website=data.website, email=data.company_email,
            phone=data.phone, description=data.description,
        )
        db.session.add(org)
        user = accounts.create_user(email=data.email, first_name=data.first_name, last_name=data.last_name,
                                    password=data.password, organisation=org, role_name=AANBOD_BEHEERDER)
        registration = Registration(organisation=org, user=user, software_kinds=",".join(data.software_kinds),
                                    privacy_consent_on=utcnow(), ip=(ip or "")[:45] or None)
        db.session.add(registration)
        db.session.flush()
        emit(OrganisationRegistered(organisation_id=org.id, user_id=user.id, actor_id=user.id))
        queued = send_confirmation(registration)  # in the outbox, committed with the registration
        db.session.commit()
    except IntegrityError as exc:
        # Another request registered the same KvK number or e-mail address a moment ago.
        db.session.rollback()
        raise RegistrationError(None, "Dit bedrijf of dit e-mailadres is zojuist al aangemeld. "
                                      f"Controleer uw e-mail of mail {_contact()}.") from exc
    except accounts.AccountError as exc:
        db.session.rollback()
        raise RegistrationError("email", str(exc)) from exc
    return registration, queued


def send_account_exists(user: ScgUser) -> bool:
    """Tell the owner of an address that someone tried to register with it."""
    return send_safely(
        user.email, "Aanmelding met uw e-mailadres bij de Softwarecatalogus", "f001_account_exists",
        user=user, login_link=mail.absolute_url(url_for("ScgAuthDBView.login")),
        reset_link=mail.absolute_url(url_for("PasswordResetView.request_reset")),
    )


def confirmation_link(registration: Registration) -> str:
    token = tokens.make(CONFIRM_PURPOSE, registration_id=registration.id, user_id=registration.user_id)
    return mail.absolute_url(url_for("RegistrationView.confirm", token=token))


def send_confirmation(registration: Registration) -> bool:
    return send_safely(
        registration.user.email, "Bevestig uw aanmelding bij de Softwarecatalogus", "f001_confirm",
        registration=registration, user=registration.user, organisation=registration.organisation,
        link=confirmation_link(registration), hours=current_app.config["CONFIRM_LINK_MAX_AGE"] // 3600,
    )


def registration_for_token(token: str) -> tuple[Registration, dict]:
    """The registration a valid, unused confirmation link is for; raises ``tokens.TokenError``."""
    payload = tokens.load(CONFIRM_PURPOSE, token, current_app.config["CONFIRM_LINK_MAX_AGE"])
    registration = db.session.get(Registration, payload.get("registration_id"))
    if registration is None or registration.user_id != payload.get("user_id"):
        raise tokens.TokenError("invalid")
    return registration, payload


def confirm(token: str) -> tuple[Registration, bool]:
    """Use a confirmation link. Returns the registration and whether this click confirmed it
    (False: it was confirmed or reviewed before). Raises ``tokens.TokenError``."""
    registration, payload = registration_for_token(token)
    tokens.consume(CONFIRM_PURPOSE, payload)
    now = utcnow()
    result = db.session.execute(
        update(Organisation)
        .where(Organisation.id == registration.organisation_id, Organisation.status == AANGEMELD)
        .values(status=BEVESTIGD, changed_on=now)
        .execution_options(synchronize_session=False)
    )
    confirmed = result.rowcount == 1
    if confirmed:
        registration.confirmed_on = now
        audit.record(db.session, "bevestigen", object_type="Organisation", object_id=registration.organisation_id,
                     organisation_id=registration.organisation_id, user=registration.user)
        emit(RegistrationConfirmed(organisation_id=registration.organisation_id, user_id=registration.user_id,
                                   actor_id=registration.user_id))
        send_safely(_contact(), f"Nieuwe aanmelding: {registration.organisation.name}", "f001_review_waiting",
                    registration=registration, organisation=registration.organisation,
                    link=mail.absolute_url(url_for("RegistrationQueueView.show", pk=registration.id)))
    db.session.commit()  # also when already confirmed: the link is used now
    return registration, confirmed


def resend_confirmation(email: str) -> None:
    """Send a fresh link if ``email`` belongs to a registration that still waits for confirmation.

    Says nothing about whether it did: the page that calls it shows the same text either way.
    """
    user = accounts.find_user_by_email(email)
    if user is None:
        return
    registration = db.session.query(Registration).filter(Registration.user_id == user.id).first()
    if registration is None or registration.organisation.status != AANGEMELD:
        return
    send_confirmation(registration)
    db.session.commit()


# --- review by the functioneel beheerder -----------------------------------------

def _review(registration: Registration, actor: ScgUser, status: str, reason: str | None) -> bool:
    """Move a confirmed registration to ``status``; True if this request made the change."""
    now = utcnow()
    result = db.session.execute(
        update(Organisation)
        .where(Organisation.id == registration.organisation_id, Organisation.status == BEVESTIGD)
        .values(status=status, rejection_reason=reason, reviewed_on=now, reviewed_by_id=actor.id, changed_on=now)
        .execution_options(synchronize_session=False)
    )
    if result.rowcount != 1:
        db.session.rollback()
        return False
    return True


def approve(registration: Registration, actor: ScgUser, concept_ids: Iterable[int] = ()) -> tuple[bool, bool]:
    """Approve; returns (approved by this request, e-mail sent).

    ``concept_ids``: concept suppliers named like this organisation (``concepts.matching_concepts``)
    whose packages it takes on; any other id is ignored.
    """
    org_id = registration.organisation_id
    chosen = set(concept_ids)
    if not _review(registration, actor, GOEDGEKEURD, None):
        return False, False
    audit.record(db.session, "goedkeuren", object_type="Organisation", object_id=org_id,
                 organisation_id=org_id, user=actor)
    for concept in concepts.matching_concepts(registration.organisation):
        if concept.id in chosen:
            concepts.link_concept(concept, registration.organisation, actor)
    emit(OrganisationApproved(organisation_id=org_id, actor_id=actor.id))
    db.session.expire(registration.organisation)  # the status was changed by an UPDATE
    sent = send_safely(
        registration.user.email, "Uw aanmelding bij de Softwarecatalogus is goedgekeurd", "f001_approved",
        user=registration.user, organisation=registration.organisation,
        link=mail.absolute_url(url_for("ScgAuthDBView.login")),
    )
    db.session.commit()
    return True, sent


def reject(registration: Registration, actor: ScgUser, reason: str) -> tuple[bool, bool]:
    """Reject with ``reason``; returns (rejected by this request, e-mail sent)."""
    org_id = registration.organisation_id
    if not _review(registration, actor, AFGEWEZEN, reason):
        return False, False
    audit.record(db.session, "afwijzen", object_type="Organisation", object_id=org_id,
                 organisation_id=org_id, user=actor, details={"reden": reason})
    emit(OrganisationRejected(organisation_id=org_id, reason=reason, actor_id=actor.id))
    db.session.expire(registration.organisation)  # the status was changed by an UPDATE
    sent = send_safely(
        registration.user.email, "Uw aanmelding bij de Softwarecatalogus is afgewezen", "f001_rejected",
        user=registration.user, organisation=registration.organisation, reason=reason, contact=_contact(),
    )
    db.session.commit()
    return True, sent


def waiting_count() -> int:
    return (db.session.query(Registration).join(Organisation, Registration.organisation_id == Organisation.id)
            .filter(Organisation.status == BEVESTIGD).count())


# --- password reset ---------------------------------------------------------------

def request_password_reset(email: str) -> None:
    """Mail a reset link if ``email`` is an active account; silent either way."""
    user = accounts.find_user_by_email(email)
    if user is None or not user.active:
        return
    audit.record(db.session, "wachtwoord_vergeten", object_type="ScgUser", object_id=user.id, user=user)
    password_reset.send_reset_mail(user)  # in the outbox: delivered after the commit, retried when it fails
    db.session.commit()


def reset_password(token: str, new_password: str) -> ScgUser:
    """Set a new password through a reset link; the link works once. Raises ``tokens.TokenError``."""
    user, payload = password_reset.user_for_token(token)
    tokens.consume(password_reset.PURPOSE, payload)
    user.password = accounts.hash_password(new_password)
    user.fail_login_count = 0
    audit.record(db.session, "wachtwoord_herstellen", object_type="ScgUser", object_id=user.id, user=user)
    db.session.commit()
    return user
