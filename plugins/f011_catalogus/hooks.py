"""F011 Catalogus: hooks. The public catalogue for everybody, the anonymous Bezoeker included."""

from __future__ import annotations

from flask import render_template, url_for
from markupsafe import Markup

from core.permissions import menu, read
from core.plugins import hookimpl
from core.roles import BEZOEKER, FUNCTIONEEL_BEHEERDER, all_roles
from core.slots import Link, Section

MENU = "Catalogus"


@hookimpl
def register_views(appbuilder):
    from plugins.f011_catalogus.views import CatalogueView

    appbuilder.add_view_no_menu(CatalogueView())


@hookimpl
def welcome_steps(user, organisation):
    """Everyone logged in may look around the catalogue; for municipal staff it is where usage starts."""
    from core.roles import GEBRUIK_BEHEERDER, GEBRUIK_RAADPLEGER
    from core.welcome import Step

    roles = {role.name for role in user.roles}
    if not roles & {GEBRUIK_BEHEERDER, GEBRUIK_RAADPLEGER}:
        return []
    return [Step("Zoek in de catalogus", "Vergelijk pakketten op referentiecomponent, standaard en leverancier, "
                 "en zie welke gemeenten ze gebruiken.", url_for("CatalogueView.index"), order=50)]


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
