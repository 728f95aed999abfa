"""Sync the domain roles and the permissions the plugins grant them, with the Functioneel beheerder's changes.

The code's grants are the defaults; the rights changed on "Rollen en rechten" are
``RoleGrantOverride`` rows applied on top of them (``core.role_rights``), so they
survive every sync (at start and ``flask scg sync-roles``).
"""

from __future__ import annotations

import logging

from sqlalchemy import inspect
from sqlalchemy.orm import joinedload

from core import role_rights
from core.models import RoleGrantOverride
from core.roles import FUNCTIONEEL_BEHEERDER, all_roles

log = logging.getLogger(__name__)


def collect_grants(pm) -> dict[str, set[tuple[str, str]]]:
    grants: dict[str, set[tuple[str, str]]] = {name: set() for name in all_roles()}
    for result in pm.hook.role_permissions():
        for role, perms in (result or {}).items():
            if role not in grants:
                raise ValueError(f"role_permissions names unknown role {role!r}")
            grants[role].update((p, v) for p, v in perms)
    return grants


def overrides_of(appbuilder, grants) -> dict[str, dict[tuple[str, str], bool]]:
    """The stored overrides that still pass the guard, per role (none before the table exists)."""
    session = appbuilder.sm.session
    if not inspect(session.get_bind()).has_table(RoleGrantOverride.__tablename__):
        return {}
    rows = session.query(RoleGrantOverride).all()
    return role_rights.effective_overrides(role_rights.catalogue(appbuilder), grants, rows) if rows else {}


def wanted_grants(appbuilder, pm) -> dict[str, set[tuple[str, str]]]:
    """Per role the pairs it should hold: the code's grants with the overrides applied."""
    grants = collect_grants(pm)
    wanted = {name: set(pairs) for name, pairs in grants.items()}
    for role, changes in overrides_of(appbuilder, grants).items():
        for pair, granted in changes.items():
            (wanted[role].add if granted else wanted[role].discard)(pair)
    return wanted


def sync_roles(appbuilder, pm) -> dict[str, int]:
    """Make every domain role (core and plugin roles) exist with exactly the permissions the plugins grant,
    changed by the overrides of "Rollen en rechten".

    The Functioneel beheerder is FAB's admin role: FAB gives it every permission.
    Returns the number of permissions per role.
    """
    sm = appbuilder.sm
    grants = wanted_grants(appbuilder, pm)
    # All existing permission-view pairs in one query; FAB's add_permission_view_menu
    # (three queries per pair) runs only for pairs that do not exist yet. App start
    # went from ~300 x 3 queries to a handful.
    existing = {(pv.permission.name, pv.view_menu.name): pv
                for pv in sm.session.query(sm.permissionview_model)
                .options(joinedload(sm.permissionview_model.permission),
                         joinedload(sm.permissionview_model.view_menu))}
    counts = {}
    for name in all_roles():
        role = sm.find_role(name) or sm.add_role(name)
        if name == FUNCTIONEEL_BEHEERDER:
            counts[name] = len(role.permissions)
            continue
        wanted = []
        for permission, view_menu in sorted(grants[name]):
            pv = existing.get((permission, view_menu))
            if pv is None:
                pv = sm.add_permission_view_menu(permission, view_menu)
                if pv is not None:
                    existing[(permission, view_menu)] = pv
            if pv is not None:
                wanted.append(pv)
        if {p.id for p in role.permissions} != {p.id for p in wanted}:
            role.permissions = wanted
            sm.session.commit()
        counts[name] = len(wanted)
    return counts
