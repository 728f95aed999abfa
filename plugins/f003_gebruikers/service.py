"""User management rules: invitations, roles, (de)activation, join requests.

Views and the API call these functions; they hold every rule (the last
beheerder, roles that fit the organisation type, open invitations) so that a
page, an action, a bulk action and the API behave the same. Functions change
the session but never commit: the caller commits or rolls back.
"""

from __future__ import annotations

from dataclasses import replace
from urllib.parse import urlsplit

from flask import current_app, url_for

from core import accounts, audit, mail, tokens
from core.events import UserDeactivated, UserInvited, UserJoined, UserReactivated, emit
from core.extensions import db
from core.models import Membership, Organisation, OrganisationStatus, ScgUser, utcnow
from core.password_reset import ResetUnavailable, send_reset_mail
from core.roles import FUNCTIONEEL_BEHEERDER, GEBRUIK_RAADPLEGER, manager_roles, roles_for_organisation_type
from core.slots import slot_links
from core.tenancy import TenantViolation, current_organisation_id, sees_all_organisations
from plugins.f003_gebruikers.models import Invitation, JoinRequest

INVITATION_PURPOSE = "invitation"
MAX_REASON = 2000

# Addresses of general mail services never identify an organisation.
PUBLIC_MAIL_DOMAINS = frozenset({
    "gmail.com", "googlemail.com", "hotmail.com", "hotmail.nl", "outlook.com", "outlook.nl", "live.com",
    "live.nl", "msn.com", "yahoo.com", "yahoo.nl", "icloud.com", "me.com", "mac.com", "aol.com",
    "proton.me", "protonmail.com", "gmx.com", "gmx.net", "gmx.de", "ziggo.nl", "kpnmail.nl", "kpnplanet.nl",
    "planet.nl", "home.nl", "xs4all.nl", "hetnet.nl", "casema.nl", "upcmail.nl", "chello.nl", "tele2.nl",
    "online.nl", "quicknet.nl", "zeelandnet.nl", "mail.com",
})


class ManagementError(Exception):
    """A Dutch message for the beheerder: the change cannot be made."""

    def __init__(self, message: str, invitation: Invitation | None = None, field: str | None = None):
        super().__init__(message)
        self.message = message
        self.invitation = invitation
        self.field = field  # the form field the message is about, if any

    def __str__(self) -> str:
        return self.message


class LinkError(Exception):
    """An invitation link that cannot be used, with a Dutch explanation."""

    MESSAGES = {
        "expired": "Deze uitnodiging is verlopen.",
        "invalid": "Deze link is ongeldig of beschadigd.",
        "used": "Deze uitnodiging is al gebruikt.",
        "superseded": "U heeft later een nieuwe uitnodiging gekregen; deze link werkt daarom niet meer. "
                      "Gebruik de link in de nieuwste e-mail.",
        "revoked": "Deze uitnodiging is ingetrokken.",
        "account": "Er bestaat al een account met dit e-mailadres, en dat is al lid van deze organisatie.",
        "organisation": "De organisatie van deze uitnodiging is niet actief in de catalogus.",
        "other_account": "Deze uitnodiging is voor een ander e-mailadres dan dat van het account waarmee u bent "
                         "ingelogd.",
    }

    def __init__(self, reason: str):
        super().__init__(self.MESSAGES[reason])
        self.reason = reason

    @property
    def message(self) -> str:
        return self.MESSAGES[self.reason]


# --- roles ---------------------------------------------------------------

def assignable_roles(org_type: str) -> list[str]:
    """Roles a beheerder may give in an organisation of this type (never Functioneel beheerder)."""
    return [name for name in roles_for_organisation_type(org_type) if name != FUNCTIONEEL_BEHEERDER]


def default_join_role(org_type: str) -> str | None:
    """The least privileged role for someone who asked to join."""
    roles = assignable_roles(org_type)
    if GEBRUIK_RAADPLEGER in roles:
        return GEBRUIK_RAADPLEGER
    non_managers = [r for r in roles if r not in manager_roles()]
    return (non_managers or roles or [None])[0]


def check_role_fits(organisation: Organisation, role_name: str | None) -> str:
    roles = assignable_roles(organisation.type)
    if not role_name or role_name not in roles:
        raise ManagementError(
            f"Deze rol past niet bij een organisatie van het type {organisation.type_label}. "
            f"Kies uit: {', '.join(roles) or 'geen rollen'}.",
            field="role",
        )
    return role_name


def full_name(user: ScgUser | None) -> str:
    if user is None:
        return ""
    return f"{user.first_name or ''} {user.last_name or ''}".strip() or (user.email or "")


# --- members ---------------------------------------------------------------

def _is_manager(membership: Membership) -> bool:
    return membership.role_name in manager_roles()


def _would_leave_no_manager(membership: Membership) -> bool:
    return (membership.active and membership.user.active and _is_manager(membership)
            and accounts.is_last_manager(membership.user, membership.organisation_id))


def _refuse_self(membership: Membership, actor, what: str) -> None:
    if actor is not None and membership.user_id == actor.id:
        raise ManagementError(f"U kunt {what}. Vraag dit aan een andere beheerder.")


def check_membership_related(membership: Membership) -> None:
    """A membership points at its user and its organisation; only the organisation must be the own one.

    (The membership is what makes its user a member, so the generic "related user must
    be an active member" rule would refuse every deactivated membership.)
    """
    if sees_all_organisations():
        return
    own = current_organisation_id()
    if membership.organisation_id != own or (membership.organisation is not None
                                             and membership.organisation.id != own):
        raise TenantViolation()


def deactivate(membership: Membership, actor) -> None:
    """Stop a member acting for the organisation; they can no longer log in."""
    if not membership.active:
        raise ManagementError("Deze gebruiker is al gedeactiveerd.")
    _refuse_self(membership, actor, "uw eigen account niet deactiveren")
    if _would_leave_no_manager(membership):
        raise ManagementError(
            "Dit is de laatste actieve beheerder van de organisatie. Geef eerst een collega de rol "
            f"{membership.role_name}; daarna kunt u deze gebruiker deactiveren."
        )
    membership.active = False
    user = membership.user
    if not any(m.active for m in user.memberships if m is not membership):
        user.active = False
    accounts.sync_roles(user)  # acting for this organisation? then for another one now, with that role
    audit.record(db.session, "gebruiker_gedeactiveerd", object_type="Membership", object_id=membership.id,
                 organisation_id=membership.organisation_id, details={"email": user.email})
    emit(UserDeactivated(organisation_id=membership.organisation_id, user_id=user.id,
                         actor_id=getattr(actor, "id", None)))


def reactivate(membership: Membership, actor) -> None:
    if membership.active and membership.user.active:
        raise ManagementError("Deze gebruiker is al actief.")
    membership.active = True
    membership.user.active = True
    accounts.sync_roles(membership.user)
    audit.record(db.session, "gebruiker_geheractiveerd", object_type="Membership", object_id=membership.id,
                 organisation_id=membership.organisation_id, details={"email": membership.user.email})
    emit(UserReactivated(organisation_id=membership.organisation_id, user_id=membership.user_id,
                         actor_id=getattr(actor, "id", None)))


def change_role(membership: Membership, role_name: str, actor) -> bool:
    """Give a member another role; returns False when nothing changed."""
    check_role_fits(membership.organisation, role_name)
    if role_name == membership.role_name:
        return False
    _refuse_self(membership, actor, "uw eigen rol niet wijzigen")
    if role_name not in manager_roles() and _would_leave_no_manager(membership):
        raise ManagementError(
            "Dit is de laatste actieve beheerder van de organisatie. Geef eerst een collega de rol "
            f"{membership.role_name}; daarna kunt u deze rol wijzigen."
        )
    try:
        accounts.set_role(membership.user, membership, role_name)
    except accounts.AccountError as exc:
        raise ManagementError(str(exc)) from exc
    audit.record(db.session, "rol_gewijzigd", object_type="Membership", object_id=membership.id,
                 organisation_id=membership.organisation_id,
                 details={"email": membership.user.email, "rol": role_name})
    return True


def _send(to, subject: str, template: str, **context) -> None:
    """Put the mail in the outbox: it goes out after the caller's commit and is retried when the
    mail server fails, so a mail server that is down never stops an invitation."""
    mail.send(to, subject, template, **context)


def send_password_reset(membership: Membership, actor) -> None:
    user = membership.user
    if not (membership.active and user.active):
        raise ManagementError("Deze gebruiker is gedeactiveerd; heractiveer de gebruiker eerst.")
    try:
        send_reset_mail(user)
    except ResetUnavailable as exc:
        raise ManagementError("Wachtwoord-reset is in deze installatie niet beschikbaar.") from exc
    audit.record(db.session, "wachtwoord_reset_verstuurd", object_type="Membership", object_id=membership.id,
                 organisation_id=membership.organisation_id, details={"email": user.email})


# --- invitations ---------------------------------------------------------------

def invitable_organisations():
    """Organisations the Functioneel beheerder can invite into: every approved one."""
    return (db.session.query(Organisation)
            .filter(Organisation.status == OrganisationStatus.goedgekeurd.value)
            .order_by(Organisation.name).all())


def open_invitation(organisation_id: int, email: str) -> Invitation | None:
    return db.session.query(Invitation).filter(
        Invitation.organisation_id == organisation_id,
        db.func.lower(Invitation.email) == accounts.normalise_email(email),
        Invitation.status == "open",
    ).first()


def _issue_link(invitation: Invitation) -> str:
    token = tokens.make(INVITATION_PURPOSE, invitation_id=invitation.id)
    payload = tokens.load(INVITATION_PURPOSE, token, current_app.config["INVITE_LINK_MAX_AGE"])
    invitation.current_jti = payload["jti"]
    return mail.absolute_url(url_for("InvitationAcceptView.accept", token=token))


def member_of(organisation_id: int, email: str) -> Membership | None:
    """The membership (active or not) of the account with this address in the organisation, if any."""
    user = accounts.find_user_by_email(email)
    if user is None:
        return None
    return next((m for m in user.memberships if m.organisation_id == organisation_id), None)


def _refuse_member(organisation: Organisation, email: str, outcome: str) -> None:
    """One account has one membership per organisation: inviting a member again is refused."""
    membership = member_of(organisation.id, email)
    if membership is None:
        return
    if membership.active:
        raise ManagementError(f"Deze persoon is al lid van {organisation.name}. {outcome}", field="email")
    raise ManagementError(f"Deze persoon is al lid van {organisation.name}, maar gedeactiveerd. "
                          f"Heractiveer de gebruiker in de lijst Gebruikers. {outcome}", field="email")


def _mail_invitation(invitation: Invitation, actor, join_request: bool = False) -> None:
    link = _issue_link(invitation)
    existing = accounts.find_user_by_email(invitation.email)
    _send(invitation.email, f"Uitnodiging: werk mee namens {invitation.organisation.name}", "f003_invitation",
          invitation=invitation, inviter=full_name(actor) if actor is not None else "",
          organisation=invitation.organisation, link=link, join_request=join_request,
          existing_account=existing is not None, account=existing,
          days=max(1, current_app.config["INVITE_LINK_MAX_AGE"] // 86400))


def invite(organisation: Organisation, email: str, role_name: str, actor, first_name: str = "",
           last_name: str = "", join_request: bool = False) -> Invitation:
    """Create an invitation and e-mail its link."""
    email = accounts.normalise_email(email)
    if not organisation.is_active:
        raise ManagementError("Deze organisatie is niet actief in de catalogus; u kunt er niemand voor uitnodigen.",
                              field="organisation")
    check_role_fits(organisation, role_name)
    _refuse_member(organisation, email, "Er is geen uitnodiging verstuurd.")
    existing = open_invitation(organisation.id, email)
    if existing is not None:
        raise ManagementError(
            "Er staat al een uitnodiging open voor dit e-mailadres. U kunt die opnieuw versturen.",
            invitation=existing,
        )
    invitation = Invitation(organisation=organisation, organisation_id=organisation.id, email=email,
                            first_name=(first_name or "").strip()[:64] or None,
                            last_name=(last_name or "").strip()[:64] or None, role_name=role_name,
                            status="open", invited_by_id=getattr(actor, "id", None), send_count=1,
                            created_on=utcnow(), last_sent_on=utcnow())
    db.session.add(invitation)
    db.session.flush()
    _mail_invitation(invitation, actor, join_request=join_request)
    audit.record(db.session, "uitnodigen", object_type="Invitation", object_id=invitation.id,
                 organisation_id=organisation.id, details={"email": email, "rol": role_name})
    emit(UserInvited(organisation_id=organisation.id, email=email, role_name=role_name,
                     actor_id=getattr(actor, "id", None)))
    return invitation


def resend(invitation: Invitation, actor) -> None:
    """Send a fresh link; every older link of this invitation stops working."""
    if invitation.status != "open":
        raise ManagementError(f"Deze uitnodiging is {invitation.status_label.lower()} en kan niet opnieuw "
                              "worden verstuurd.")
    _refuse_member(invitation.organisation, invitation.email, "De uitnodiging is niet opnieuw verstuurd.")
    _mail_invitation(invitation, actor)
    invitation.send_count = (invitation.send_count or 0) + 1
    invitation.last_sent_on = utcnow()
    audit.record(db.session, "uitnodigen", object_type="Invitation", object_id=invitation.id,
                 organisation_id=invitation.organisation_id,
                 details={"email": invitation.email, "rol": invitation.role_name, "opnieuw": True})


def revoke(invitation: Invitation, actor) -> None:
    if invitation.status != "open":
        raise ManagementError(f"Deze uitnodiging is al {invitation.status_label.lower()}.")
    invitation.status = "ingetrokken"
    invitation.current_jti = None
    audit.record(db.session, "uitnodiging_ingetrokken", object_type="Invitation", object_id=invitation.id,
                 organisation_id=invitation.organisation_id, details={"email": invitation.email})


def invitation_for_token(token: str) -> tuple[Invitation, dict]:
    """The open invitation a link is for; raises ``LinkError`` with the reason."""
    if not token or len(token) > 2000:
        raise LinkError("invalid")
    try:
        payload = tokens.load(INVITATION_PURPOSE, token, current_app.config["INVITE_LINK_MAX_AGE"])
    except tokens.TokenError as exc:
        raise LinkError(exc.reason) from exc
    invitation_id = payload.get("invitation_id")
    invitation = db.session.get(Invitation, invitation_id) if isinstance(invitation_id, int) else None
    if invitation is None:
        raise LinkError("invalid")
    if invitation.status == "geaccepteerd":
        raise LinkError("used")
    if invitation.status == "ingetrokken":
        raise LinkError("revoked")
    if invitation.current_jti != payload["jti"]:
        raise LinkError("superseded")
    if member_of(invitation.organisation_id, invitation.email) is not None:
        raise LinkError("account")
    if not invitation.organisation.is_active:
        raise LinkError("organisation")
    return invitation, payload


def accept(token: str, first_name: str, last_name: str, password: str) -> ScgUser:
    """Create the invitee's account from a valid link (once)."""
    invitation, payload = invitation_for_token(token)
    try:
        user = accounts.create_user(email=invitation.email, first_name=first_name, last_name=last_name,
                                    password=password, organisation=invitation.organisation,
                                    role_name=invitation.role_name)
    except accounts.AccountError as exc:
        raise LinkError("invalid") from exc
    _mark_accepted(invitation, payload, user)
    user.login_count = 1
    user.last_login = utcnow()
    audit.record(db.session, "uitnodiging_geaccepteerd", object_type="Invitation", object_id=invitation.id,
                 organisation_id=invitation.organisation_id, user=user, details={"email": user.email})
    emit(UserJoined(organisation_id=invitation.organisation_id, user_id=user.id))
    return user


def invitation_is_for_existing_account(invitation: Invitation) -> ScgUser | None:
    """The account the invitation's address already has (in another organisation), or None."""
    return accounts.find_user_by_email(invitation.email)


def join(token: str, user) -> Membership:
    """An existing account accepts an invitation: one more membership, no second account (once).

    Only the account the invitation was sent to can use it; it must be logged in.
    """
    invitation, payload = invitation_for_token(token)
    if user is None or accounts.normalise_email(user.email) != accounts.normalise_email(invitation.email):
        raise LinkError("other_account")
    try:
        membership = accounts.add_membership(user, invitation.organisation, invitation.role_name)
    except accounts.AccountError as exc:
        raise LinkError("account") from exc
    _mark_accepted(invitation, payload, user)
    audit.record(db.session, "uitnodiging_geaccepteerd", object_type="Invitation", object_id=invitation.id,
                 organisation_id=invitation.organisation_id, user=user,
                 details={"email": user.email, "bestaand_account": True})
    emit(UserJoined(organisation_id=invitation.organisation_id, user_id=user.id))
    return membership


def _mark_accepted(invitation: Invitation, payload: dict, user) -> None:
    """Use the link (once, atomically) and close the invitation and open join requests of this person."""
    try:
        tokens.consume(INVITATION_PURPOSE, payload)
    except tokens.TokenError as exc:
        raise LinkError(exc.reason) from exc
    invitation.status = "geaccepteerd"
    invitation.accepted_user_id = user.id
    invitation.accepted_on = utcnow()
    invitation.current_jti = None
    # A request to join that is still open for this person is answered by the account.
    for join_request in db.session.query(JoinRequest).filter(
            JoinRequest.organisation_id == invitation.organisation_id,
            db.func.lower(JoinRequest.email) == user.email, JoinRequest.status == "open"):
        join_request.status = "goedgekeurd"
        join_request.decided_by_id = invitation.invited_by_id
        join_request.decided_on = utcnow()


# --- join requests ---------------------------------------------------------------

def email_domain(email: str) -> str:
    return accounts.normalise_email(email).rpartition("@")[2]


def organisation_domains(organisation: Organisation) -> set[str]:
    """Domains of the organisation's e-mail address and website (without www.)."""
    domains = set()
    if organisation.email and "@" in organisation.email:
        domains.add(organisation.email.strip().lower().rpartition("@")[2])
    if organisation.website:
        site = organisation.website.strip()
        try:
            host = urlsplit(site if "://" in site else f"https://{site}").hostname or ""
        except ValueError:
            host = ""
        host = host.lower()
        domains.add(host[4:] if host.startswith("www.") else host)
    return {d for d in domains if d and "." in d and d not in PUBLIC_MAIL_DOMAINS}


def domain_matches(organisation: Organisation, email: str) -> bool:
    return email_domain(email) in organisation_domains(organisation)


def joinable_organisations():
    return (db.session.query(Organisation)
            .filter(Organisation.status == OrganisationStatus.goedgekeurd.value, Organisation.type != "vng")
            .order_by(Organisation.name).all())


def organisations_for_email(email: str) -> list[Organisation]:
    domain = email_domain(email)
    if not domain or domain in PUBLIC_MAIL_DOMAINS:
        return []
    candidates = db.session.query(Organisation).filter(
        Organisation.status == OrganisationStatus.goedgekeurd.value,
        Organisation.type != "vng",
        db.or_(db.func.lower(Organisation.email).like(f"%@{domain}"),
               db.func.lower(Organisation.website).like(f"%{domain}%")),
    ).all()
    return [o for o in candidates if domain_matches(o, email)]


def resolve_join_organisation(email: str, organisation: Organisation | None) -> Organisation:
    """The organisation someone may ask to join with this address, or a Dutch ``ManagementError``."""
    domain = email_domain(email)
    if domain in PUBLIC_MAIL_DOMAINS:
        raise ManagementError(
            f"Met een adres van een algemene e-maildienst (@{domain}) kunnen we u niet aan een organisatie "
            "koppelen. Gebruik het e-mailadres dat u van uw organisatie heeft."
        )
    if organisation is not None:
        if not domain_matches(organisation, email):
            raise ManagementError(
                f"Het domein van uw e-mailadres (@{domain}) hoort niet bij {organisation.name}. Gebruik het "
                "e-mailadres dat u van uw organisatie heeft, of vraag een beheerder van uw organisatie om een "
                "uitnodiging."
            )
        return organisation
    found = organisations_for_email(email)
    if not found:
        raise ManagementError(
            f"We vinden geen organisatie bij het domein @{domain}. Kies uw organisatie in de lijst; het "
            "domein van uw e-mailadres moet passen bij het e-mailadres of de website van die organisatie."
        )
    if len(found) > 1:
        raise ManagementError("Bij dit domein horen meerdere organisaties. Kies uw organisatie in de lijst.")
    return found[0]


def submit_join_request(organisation: Organisation, email: str, first_name: str, last_name: str,
                        motivation: str | None) -> str:
    """Record a join request and tell who needs to know.

    Returns what happened (``created``, ``duplicate`` or ``account``) for tests and logs;
    the person sees the same page in every case, so nothing about accounts is revealed.
    """
    email = accounts.normalise_email(email)
    user = accounts.find_user_by_email(email)
    if user is not None and member_of(organisation.id, email) is not None:
        # Ways back in that other plugins offer (F001: a new password), as absolute links.
        account_links = [replace(link, url=mail.absolute_url(link.url)) for link in slot_links("existing_account")]
        _send(email, "Uw verzoek om aan te sluiten", "f003_join_account_exists", user=user,
              organisation=organisation, account_links=account_links,
              login_url=mail.absolute_url(url_for("ScgAuthDBView.login")))
        audit.record(db.session, "aansluitverzoek", result="geweigerd", organisation_id=organisation.id,
                     details={"email": email, "reden": "account bestaat"})
        return "account"
    duplicate = db.session.query(JoinRequest).filter(
        JoinRequest.organisation_id == organisation.id,
        db.func.lower(JoinRequest.email) == email,
        JoinRequest.status == "open",
    ).first()
    if duplicate is not None:
        return "duplicate"
    request_ = JoinRequest(organisation_id=organisation.id, email=email, first_name=first_name.strip()[:64],
                           last_name=last_name.strip()[:64], motivation=(motivation or "").strip()[:MAX_REASON] or None,
                           status="open", created_on=utcnow())
    db.session.add(request_)
    db.session.flush()
    managers = [u.email for u in accounts.active_managers(organisation.id)]
    recipients = managers or [current_app.config["VNG_CONTACT_EMAIL"]]
    _send(recipients, f"Verzoek om aan te sluiten bij {organisation.name}", "f003_join_request",
          join_request=request_, organisation=organisation, has_managers=bool(managers),
          link=mail.absolute_url(url_for("JoinRequestAdminView.show", pk=request_.id)))
    audit.record(db.session, "aansluitverzoek", object_type="JoinRequest", object_id=request_.id,
                 organisation_id=organisation.id, details={"email": email})
    return "created"


def approve_join_request(join_request: JoinRequest, actor, role_name: str | None = None) -> Invitation:
    """Approve: the person gets an invitation link (the same flow as any invitation)."""
    if join_request.status != "open":
        raise ManagementError("Dit verzoek is al beoordeeld.")
    organisation = join_request.organisation
    role_name = check_role_fits(organisation, role_name or default_join_role(organisation.type))
    existing = open_invitation(organisation.id, join_request.email)
    if existing is not None:
        existing.role_name = role_name
        resend(existing, actor)
        invitation = existing
    else:
        invitation = invite(organisation, join_request.email, role_name, actor, join_request.first_name,
                            join_request.last_name, join_request=True)
    join_request.status = "goedgekeurd"
    join_request.decided_by_id = getattr(actor, "id", None)
    join_request.decided_on = utcnow()
    return invitation


def decline_join_request(join_request: JoinRequest, actor, reason: str | None = None) -> None:
    if join_request.status != "open":
        raise ManagementError("Dit verzoek is al beoordeeld.")
    reason = (reason or "").strip()[:MAX_REASON] or None
    join_request.status = "afgewezen"
    join_request.decision_reason = reason
    join_request.decided_by_id = getattr(actor, "id", None)
    join_request.decided_on = utcnow()
    _send(join_request.email, "Uw verzoek om aan te sluiten", "f003_join_declined",
          join_request=join_request, organisation=join_request.organisation, reason=reason)
    audit.record(db.session, "aansluitverzoek_afgewezen", object_type="JoinRequest", object_id=join_request.id,
                 organisation_id=join_request.organisation_id, details={"email": join_request.email})
