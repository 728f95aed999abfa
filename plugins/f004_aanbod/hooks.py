"""F004 Aanbod: the supplier's packages with modules and versions, publishing, REST API."""

from __future__ import annotations

from flask import url_for

from core.plugins import hookimpl
from core.roles import AANBOD_BEHEERDER, VNG_RAADPLEGER
from core.welcome import Step

CATEGORY = "Mijn aanbod"
PACKAGES_MENU, MODULES_MENU, VERSIONS_MENU = "Pakketten", "Modules", "Versies"
#: (view permission name, API permission name) per kind of row.
PERMISSION_NAMES = {"packages": ("Package", "PackageApi"), "modules": ("PackageModule", "PackageModuleApi"),
                    "versions": ("PackageVersion", "PackageVersionApi")}
MENU = [("menu_access", CATEGORY), ("menu_access", PACKAGES_MENU), ("menu_access", MODULES_MENU),
        ("menu_access", VERSIONS_MENU)]


def _crud(view: str, api: str) -> list[tuple[str, str]]:
    return [(p, view) for p in ("can_list", "can_show", "can_add", "can_edit", "can_delete")] + [
        (p, api) for p in ("can_get", "can_info", "can_post", "can_put", "can_delete")]


def _read(view: str, api: str) -> list[tuple[str, str]]:
    return [("can_list", view), ("can_show", view), ("can_get", api), ("can_info", api)]


SUPPLIER = [grant for view, api in PERMISSION_NAMES.values() for grant in _crud(view, api)] + MENU
VNG_READ = [grant for view, api in PERMISSION_NAMES.values() for grant in _read(view, api)] + MENU


@hookimpl
def register_views(appbuilder):
    from plugins.f004_aanbod.views import ModuleView, PackageView, VersionView

    common = {"category": CATEGORY, "category_label": CATEGORY, "category_icon": "fa-shopping-bag"}
    appbuilder.add_view(PackageView, PACKAGES_MENU, label="Pakketten", icon="fa-cube", **common)
    appbuilder.add_view(ModuleView, MODULES_MENU, label="Modules", icon="fa-puzzle-piece", **common)
    appbuilder.add_view(VersionView, VERSIONS_MENU, label="Versies", icon="fa-code-fork", **common)


@hookimpl
def register_apis(appbuilder):
    from plugins.f004_aanbod.api import ModuleApi, PackageApi, VersionApi

    appbuilder.add_api(PackageApi)
    appbuilder.add_api(ModuleApi)
    appbuilder.add_api(VersionApi)


@hookimpl
def role_permissions():
    return {AANBOD_BEHEERDER: SUPPLIER, VNG_RAADPLEGER: VNG_READ}


@hookimpl
def welcome_steps(user, organisation):
    from plugins.f004_aanbod import service

    roles = {role.name for role in user.roles}
    if organisation is None or organisation.type != "leverancier" or AANBOD_BEHEERDER not in roles:
        return []
    if service.has_packages(organisation.id):
        return []
    return [Step("Zet uw eerste pakket in de etalage", "Beschrijf uw pakket, kies de referentiecomponenten die "
                 "het invult en publiceer het, zodat gemeenten het vinden.", url_for("PackageView.add"),
                 order=20)]
