"""Accounts: users, their memberships and roles. Shared by registration, invitations and seeds."""

from __future__ import annotations

from collections.abc import Collection

from flask import current_app
from sqlalchemy import select
from werkzeug.security import generate_password_hash

from core import audit
from core.extensions import db
from core.formatting import sentence
from core.models import Membership, Organisation, ScgUser
from core.roles import all_roles, manager_roles


class AccountError(ValueError):
    """A Dutch message for a person: the account change cannot be made."""


def normalise_email(email: str) -> str:
    return (email or "").strip().lower()


def find_user_by_email(email: str) -> ScgUser | None:
    email = normalise_email(email)
    return db.session.query(ScgUser).filter(
        (db.func.lower(ScgUser.email) == email) | (db.func.lower(ScgUser.username) == email)
    ).first()


def hash_password(password: str) -> str:
    return generate_password_hash(
        password,
        method=current_app.config.get("FAB_PASSWORD_HASH_METHOD", "scrypt"),
        salt_length=current_app.config.get("FAB_PASSWORD_HASH_SALT_LENGTH", 16),
    )


def _fab_role(name: str):
    sm = current_app.appbuilder.sm
    role = sm.find_role(name)
    if role is None:
        raise AccountError(f"Onbekende rol: {name}")
    return role


def create_user(*, email: str, first_name: str, last_name: str, password: str | None,
                organisation: Organisation | None, role_name: str, active: bool = True) -> ScgUser:
    """Create a user with a membership of ``organisation`` in role ``role_name`` (no commit)."""
    email = normalise_email(email)
    roles = all_roles()
    if role_name not in roles:
        raise AccountError(f"Onbekende rol: {role_name}")
    if organisation is not None and organisation.type not in roles[role_name].organisation_types:
        raise AccountError(f"De rol {role_name} past niet bij een organisatie van deze soort.")
    if find_user_by_email(email) is not None:
        raise AccountError("Er bestaat al een account met dit e-mailadres.")
    user = ScgUser(
        first_name=first_name.strip()[:64], last_name=last_name.strip()[:64], username=email, email=email,
        active=active, password=hash_password(password) if password else None,
    )
    user.roles = [_fab_role(role_name)]
    db.session.add(user)
    if organisation is not None:
        db.session.add(Membership(user=user, organisation=organisation, role_name=role_name))
    db.session.flush()
    return user


def set_role(user: ScgUser, membership: Membership, role_name: str) -> None:
    """Give ``user`` a new role in ``membership``'s organisation (no commit).

    The role is per membership: the user's FAB roles (what every permission check reads)
    only change when this is the membership the user acts in.
    """
    roles = all_roles()
    if role_name not in roles or membership.organisation.type not in roles[role_name].organisation_types:
        raise AccountError(f"De rol {role_name} past niet bij deze organisatie.")
    membership.role_name = role_name
    sync_roles(user)


def active_memberships(user: ScgUser) -> list[Membership]:
    """The user's active memberships, by organisation name (for the user menu)."""
    return sorted((m for m in user.memberships if m.active), key=lambda m: (m.organisation.name or "").lower())


def sync_roles(user: ScgUser, leaving: Collection[Membership] = ()) -> None:
    """Make the user's FAB roles those of the membership it acts in (no commit).

    FAB's permission checks read ``user.roles``; a role belongs to a membership, so the
    roles follow the active membership (``ScgUser.active_membership``: the chosen one,
    else the first active one). A user without any active membership keeps no domain
    role. An organisation that is no longer approved gives way to an approved one the user
    is also a member of. Users without memberships (the Functioneel beheerder made on the
    command line) and roles that no organisation type knows (made by hand in FAB) are left alone.
    ``leaving``: memberships being deleted in this flush (they count as gone already).
    """
    if not user.memberships:
        return
    live = [m for m in user.memberships if m.active and m not in leaving]
    membership = next((m for m in live if m.organisation_id == user.active_organisation_id),
                      live[0] if live else None)
    if membership is not None and not membership.organisation.is_active:
        # (e.g. the organisation acted for was rejected since): another approved one, if any
        membership = next((m for m in sorted(live, key=lambda m: (m.organisation.name or "").lower())
                           if m.organisation.is_active), membership)
    domain = set(all_roles())
    kept = [role for role in user.roles if role.name not in domain]
    wanted = [_fab_role(membership.role_name)] if membership is not None else []
    if membership is not None and user.active_organisation_id != membership.organisation_id:
        user.active_organisation_id = membership.organisation_id
    elif membership is None and leaving and user.active_organisation_id is not None:
        user.active_organisation_id = None
    new = kept + wanted
    if [r.id for r in new] != [r.id for r in user.roles]:
        user.roles = new


def sync_roles_of_removed_members(session, flush_context, instances) -> None:
    """``before_flush``: a deleted membership (removed colleague, deleted organisation) takes its role along.

    Without it the person would keep the role, and act for the organisation, until the next login.
    """
    leaving = [m for m in session.deleted if isinstance(m, Membership)]
    for user in {m.user for m in leaving if m.user is not None}:
        if user not in session.deleted:
            sync_roles(user, leaving)
            if not any(m not in leaving for m in user.memberships):  # the last one: no domain role at all
                domain = set(all_roles())
                user.roles = [role for role in user.roles if role.name not in domain]


def switch_organisation(user: ScgUser, organisation_id) -> Membership:
    """Let ``user`` act for another organisation it is an active member of (no commit).

    Every tenancy check reads ``user.organisation`` and every permission check
    ``user.roles``; both follow. Raises ``AccountError`` (Dutch) and changes nothing
    when the user has no active membership there.
    """
    try:
        organisation_id = int(organisation_id)
    except (TypeError, ValueError):
        organisation_id = None
    membership = next((m for m in user.memberships
                       if m.active and organisation_id is not None and m.organisation_id == organisation_id), None)
    if membership is None:
        raise AccountError("U bent geen actief lid van die organisatie; u kunt er niet namens werken.")
    if not membership.organisation.is_active:
        raise AccountError(f"{membership.organisation.name} is niet actief in de catalogus; "
                           "u kunt er nog niet namens werken.")
    previous = user.active_membership
    user.active_organisation_id = membership.organisation_id
    sync_roles(user)
    if previous is not membership:
        audit.record(db.session, "organisatie_gewisseld", object_type="Membership", object_id=membership.id,
                     organisation_id=membership.organisation_id, user=user,
                     details={"van": previous.organisation.name if previous is not None else None,
                              "naar": membership.organisation.name, "rol": membership.role_name})
    return membership


def add_membership(user: ScgUser, organisation: Organisation, role_name: str) -> Membership:
    """Make an existing account a member of another organisation (no commit).

    One membership per organisation: a second one is refused in Dutch. The user keeps
    acting for its current organisation until it switches in the user menu.
    """
    roles = all_roles()
    if role_name not in roles or organisation.type not in roles[role_name].organisation_types:
        raise AccountError(f"De rol {role_name} past niet bij een organisatie van deze soort.")
    if any(m.organisation_id == organisation.id for m in user.memberships):
        raise AccountError(sentence(f"U bent al lid van {organisation.name}."))
    membership = Membership(user=user, organisation=organisation, role_name=role_name)
    db.session.add(membership)
    db.session.flush()
    sync_roles(user)  # the first active membership when none was active (all others ended)
    return membership


def active_managers(organisation_id: int) -> list[ScgUser]:
    """Active users who manage the organisation (Aanbod-/Gebruik-beheerder)."""
    return [
        m.user for m in db.session.query(Membership).filter(
            Membership.organisation_id == organisation_id,
            Membership.active.is_(True),
            Membership.role_name.in_(manager_roles()),
        ).populate_existing()
        if m.user.active
    ]


def is_last_manager(user: ScgUser, organisation_id: int) -> bool:
    """True if ``user`` is the only active beheerder. Call it right before changing a manager.

    It locks the organisation's row until the transaction ends (PostgreSQL), so two
    beheerders who deactivate each other at the same moment are handled one after the
    other and the second sees that only one manager is left.
    """
    db.session.execute(select(Organisation.id).where(Organisation.id == organisation_id).with_for_update())
    managers = active_managers(organisation_id)
    return len(managers) == 1 and managers[0].id == user.id
