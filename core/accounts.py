"""Accounts: users, their memberships and roles. Shared by registration, invitations and seeds."""

from __future__ import annotations

from flask import current_app
from sqlalchemy import select
from werkzeug.security import generate_password_hash

from core.extensions import db
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
    """Give ``user`` a new role in ``membership``'s organisation (no commit)."""
    roles = all_roles()
    if role_name not in roles or membership.organisation.type not in roles[role_name].organisation_types:
        raise AccountError(f"De rol {role_name} past niet bij deze organisatie.")
    membership.role_name = role_name
    user.roles = [_fab_role(role_name)]


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
