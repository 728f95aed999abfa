"""F011 Catalogus: hooks. The public catalogue for everybody, the anonymous Bezoeker included."""

from __future__ import annotations

from flask import current_app

from core.plugins import hookimpl
from core.roles import BEZOEKER, FUNCTIONEEL_BEHEERDER, all_roles

MENU = "Catalogus"

#: Anyone may read these APIs (FAB serves an API without login when the public role,
#: Bezoeker, holds the permission) ...
PUBLIC_API_READ = [(p, api) for api in ("PublicPackageApi", "PublicSupplierApi", "PublicReferentiecomponentApi",
                                        "PublicStandaardApi") for p in ("can_get", "can_info")]
#: ... and the OpenAPI description (``/api/v1/_openapi``) with its Swagger UI (``/swagger/v1``):
#: a description of the endpoints, no data. Logged-in users need them on their own roles,
#: since FAB checks a page's public role only for visitors.
API_DOCS = [("can_get", "OpenApi"), ("can_show", "SwaggerView")]


@hookimpl
def register_views(appbuilder):
    from core.catalogue.queries import public_packages_of_supplier
    from plugins.f011_catalogus.views import CatalogueView, package_url

    appbuilder.add_view_no_menu(CatalogueView())
    # For the public supplier page (F002's template): its public packages, without importing F011.
    current_app.jinja_env.globals["catalogus_pakketten_van"] = public_packages_of_supplier
    current_app.jinja_env.globals["catalogus_pakket_url"] = package_url


@hookimpl
def register_apis(appbuilder):
    from plugins.f011_catalogus.api import APIS

    for api in APIS:
        appbuilder.add_api(api)


@hookimpl
def register_menu(appbuilder):
    appbuilder.add_link(MENU, href="/catalogus/", label="Catalogus", icon="fa-search")


@hookimpl
def role_permissions():
    grants = {name: [("menu_access", MENU)] for name in all_roles()}
    for name in grants:
        if name != FUNCTIONEEL_BEHEERDER:
            grants[name] += API_DOCS
    grants[BEZOEKER] += PUBLIC_API_READ
    return grants
