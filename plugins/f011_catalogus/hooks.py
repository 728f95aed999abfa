"""F011 Catalogus: hooks. The public catalogue for everybody, the anonymous Bezoeker included."""

from __future__ import annotations

from flask import render_template, url_for
from markupsafe import Markup
from flask_sqlalchemy.session import Session as FlaskSQLASession

from core.plugins import hookimpl
from core.roles import BEZOEKER, FUNCTIONEEL_BEHEERDER, ROLES
from core.slots import Link, Section

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
    from core.catalogue import search
    from plugins.f011_catalogus.views import CatalogueView

    # Installed after the audit listener (create_app), so the audit log never lists search text.
    search.install(FlaskSQLASession)
    appbuilder.add_view_no_menu(CatalogueView())


@hookimpl
def page_links(slot, user):
    if slot == "start_browse":
        return [Link("Zoek in de catalogus", url_for("CatalogueView.index"), order=10, primary=True)]
    return []


@hookimpl
def page_sections(slot, obj, user):
    """The supplier's public packages on the public supplier page (F002's)."""
    if slot != "supplier_page":
        return []
    from core.catalogue.queries import public_packages_of_supplier
    from plugins.f011_catalogus.views import package_url

    html = render_template("f011/_supplier_packages.html", pakketten=public_packages_of_supplier(obj.id),
                           package_url=package_url)
    return [Section("Pakketten", Markup(html), order=10)]


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
    grants = {name: [("menu_access", MENU)] for name in ROLES}
    for name in ROLES:
        if name != FUNCTIONEEL_BEHEERDER:
            grants[name] += API_DOCS
    grants[BEZOEKER] += PUBLIC_API_READ
    return grants
