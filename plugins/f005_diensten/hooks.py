"""F005 Diensten: a supplier's services (functioneel beheer, hosting, ...) on published packages."""

from __future__ import annotations

from flask import url_for

from core.menu import AANBOD, in_category
from core.permissions import crud, menu, read
from core.plugins import hookimpl
from core.roles import AANBOD_BEHEERDER, VNG_RAADPLEGER
from core.welcome import Step, count_text

CATEGORY = AANBOD  # the same menu category as F004's packages
MENU = "Mijn diensten"


@hookimpl
def register_views(appbuilder):
    from plugins.f005_diensten.views import ServiceView

    appbuilder.add_view(ServiceView, MENU, label="Mijn diensten", icon="fa-handshake-o", **in_category(CATEGORY))


@hookimpl
def register_apis(appbuilder):
    from plugins.f005_diensten.api import ServiceApi

    appbuilder.add_api(ServiceApi)


@hookimpl
def role_permissions():
    from plugins.f005_diensten.api import ServiceApi
    from plugins.f005_diensten.views import ServiceView

    return {AANBOD_BEHEERDER: crud(ServiceView, ServiceApi) + menu(MENU, CATEGORY),
            VNG_RAADPLEGER: read(ServiceView, ServiceApi) + menu(MENU, CATEGORY)}


@hookimpl
def welcome_steps(user, organisation):
    roles = {role.name for role in user.roles}
    if organisation is None or organisation.type != "leverancier" or AANBOD_BEHEERDER not in roles:
        return []
    from sqlalchemy import func, select

    from core.catalogue.models import Service
    from core.extensions import db

    services = db.session.scalar(select(func.count(Service.id)).where(Service.organisation_id == organisation.id))
    return [Step("Bied diensten aan", "Laat gemeenten weten welke diensten u levert op uw eigen pakketten of op "
                 "die van andere leveranciers, zoals functioneel beheer, hosting of opleidingen.",
                 url_for("ServiceView.list"), order=40, done=services > 0,
                 reason=count_text(services, "{n} dienst", "{n} diensten") if services else "Nog geen dienst")]


@hookimpl
def io_handlers():
    from plugins.f005_diensten.io import HANDLERS

    return HANDLERS
