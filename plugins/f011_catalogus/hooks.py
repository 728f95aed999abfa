"""F011 Catalogus: hooks. The public catalogue for everybody, the anonymous Bezoeker included."""

from __future__ import annotations

from flask import current_app

from core.permissions import menu, read
from core.plugins import hookimpl
from core.roles import BEZOEKER, FUNCTIONEEL_BEHEERDER, all_roles

MENU = "Catalogus"


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
    from flask_appbuilder.api.manager import OpenApi, SwaggerView

    from plugins.f011_catalogus.api import APIS

    # The OpenAPI description (``/api/v1/_openapi``) with its Swagger UI (``/swagger/v1``):
    # a description of the endpoints, no data. Logged-in users need them on their own roles,
    # since FAB checks a page's public role only for visitors.
    api_docs = read(OpenApi, SwaggerView)
    grants = {name: menu(MENU) + (api_docs if name != FUNCTIONEEL_BEHEERDER else []) for name in all_roles()}
    # Anyone may read the public APIs (FAB serves an API without login when the public
    # role, Bezoeker, holds the permission).
    grants[BEZOEKER] += read(*APIS)
    return grants
