"""The roles of the domain, declared in one place.

Roles are FAB roles. Plugins may add roles (``register_roles`` hook); an app's
role table is ``app.extensions["scg_roles"]``, read through ``all_roles()``. Which
permissions a role holds is contributed by the plugins through the ``role_permissions`` hook and synced at start and by
``flask scg sync-roles``. The Functioneel beheerder is FAB's admin role and so
holds every permission.
"""

from __future__ import annotations

from dataclasses import dataclass

from flask import current_app, has_app_context

FUNCTIONEEL_BEHEERDER = "Functioneel beheerder"
VNG_RAADPLEGER = "VNG-raadpleger"
AANBOD_BEHEERDER = "Aanbod-beheerder"
GEBRUIK_BEHEERDER = "Gebruik-beheerder"
GEBRUIK_RAADPLEGER = "Gebruik-raadpleger"
BEZOEKER = "Bezoeker"


@dataclass(frozen=True)
class RoleSpec:
    name: str
    description: str
    organisation_types: tuple[str, ...]
    manages_organisation: bool = False  # may manage its organisation's users
    sees_all_organisations: bool = False  # reads data of every organisation


ROLES: dict[str, RoleSpec] = {
    spec.name: spec
    for spec in (
        RoleSpec(FUNCTIONEEL_BEHEERDER, "VNG-beheerder: keurt aanmeldingen goed, beheert alles.",
                 ("vng",), manages_organisation=True, sees_all_organisations=True),
        RoleSpec(VNG_RAADPLEGER, "VNG-medewerker: leest alles, gebruik alleen geaggregeerd.",
                 ("vng",), sees_all_organisations=True),
        RoleSpec(AANBOD_BEHEERDER, "Leverancier: beheert profiel, gebruikers, aanbod en diensten.",
                 ("leverancier",), manages_organisation=True),
        RoleSpec(GEBRUIK_BEHEERDER, "Gemeente of samenwerking: beheert organisatie, gebruikers en gebruik.",
                 ("gemeente", "samenwerking", "community"), manages_organisation=True),
        RoleSpec(GEBRUIK_RAADPLEGER, "Gemeente: leest het gebruik van de eigen organisatie.",
                 ("gemeente", "samenwerking", "community")),
        RoleSpec(BEZOEKER, "Niet ingelogd: leest het gepubliceerde aanbod.", ()),
    )
}


def collect_roles(pm) -> dict[str, RoleSpec]:
    """The role table of an app: the core ``ROLES`` plus the roles its plugins declare.

    Plugins declare roles through the ``register_roles`` hook; a name that is already
    taken (by core or another plugin) fails the start.
    """
    roles = dict(ROLES)
    for impl in reversed(pm.hook.register_roles.get_hookimpls()):  # registration order
        for spec in impl.function() or []:
            if not isinstance(spec, RoleSpec):
                raise TypeError(f"register_roles of {impl.plugin_name} returned {spec!r}, not a RoleSpec")
            if spec.name in roles:
                raise ValueError(f"role {spec.name!r} of {impl.plugin_name} already exists")
            roles[spec.name] = spec
    return roles


def all_roles() -> dict[str, RoleSpec]:
    """The current app's roles (core and plugin roles); core's ``ROLES`` outside an app."""
    if has_app_context():
        return current_app.extensions.get("scg_roles", ROLES)
    return ROLES


def roles_for_organisation_type(org_type: str) -> list[str]:
    """Roles that a member of an organisation of this type may be given."""
    return [r.name for r in all_roles().values() if org_type in r.organisation_types]


def manager_roles() -> set[str]:
    return {r.name for r in all_roles().values() if r.manages_organisation}


def global_roles() -> set[str]:
    return {r.name for r in all_roles().values() if r.sees_all_organisations}
