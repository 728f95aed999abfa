"""Sync the domain roles and the permissions the plugins grant them."""

from __future__ import annotations

import logging

from sqlalchemy.orm import joinedload

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


def sync_roles(appbuilder, pm) -> dict[str, int]:
    """Make every domain role (core and plugin roles) exist with exactly the permissions the plugins grant.

    The Functioneel beheerder is FAB's admin role: FAB gives it every permission.
    Returns the number of permissions per role.
    """
    sm = appbuilder.sm
    grants = collect_grants(pm)
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
