"""F011 Catalogus: hooks. The public catalogue for everybody, the anonymous Bezoeker included."""

from __future__ import annotations

from flask import current_app
from flask_sqlalchemy.session import Session as FlaskSQLASession

from core.plugins import hookimpl
from core.roles import ROLES

MENU = "Catalogus"


@hookimpl
def register_views(appbuilder):
    from core.catalogue import search
    from core.catalogue.queries import public_packages_of_supplier
    from plugins.f011_catalogus.views import CatalogueView, package_url

    # Installed after the audit listener (create_app), so the audit log never lists search text.
    search.install(FlaskSQLASession)
    appbuilder.add_view_no_menu(CatalogueView())
    # For the public supplier page (F002's template): its public packages, without importing F011.
    current_app.jinja_env.globals["catalogus_pakketten_van"] = public_packages_of_supplier
    current_app.jinja_env.globals["catalogus_pakket_url"] = package_url


@hookimpl
def register_menu(appbuilder):
    appbuilder.add_link(MENU, href="/catalogus/", label="Catalogus", icon="fa-search")


@hookimpl
def role_permissions():
    return {name: [("menu_access", MENU)] for name in ROLES}
