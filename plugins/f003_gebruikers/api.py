"""REST API of the members of an organisation: read, and change role or active (PUT)."""

from __future__ import annotations

from flask import g
from flask_appbuilder.models.sqla.interface import SQLAInterface
from sqlalchemy import inspect as sa_inspect
from werkzeug.exceptions import BadRequest

from core.extensions import db
from core.models import Membership
from core.tenancy import TenantModelRestApi
from plugins.f003_gebruikers import service


class ManagementRefused(BadRequest):
    """A refused change as a 400 with the Dutch message (FAB's ``@safe`` returns str(e))."""

    def __init__(self, message: str):
        super().__init__(description=message)
        self.message = message

    def __str__(self) -> str:
        return self.message


def _previous(item, key):
    history = sa_inspect(item).attrs[key].history
    return history.deleted[0] if history.deleted else getattr(item, key)


class MembershipApi(TenantModelRestApi):
    """``/api/v1/gebruikers/``: members of the own organisation (all for VNG roles).

    No POST or DELETE: colleagues join through an invitation, never by an API call.
    PUT accepts only ``active`` and ``role_name``, under the same rules as the pages.
    """

    datamodel = SQLAInterface(Membership)
    resource_name = "gebruikers"
    class_permission_name = "OrganisationUsersApi"
    include_route_methods = {"get", "get_list", "info", "put"}
    base_permissions = ["can_get", "can_info", "can_put"]
    list_columns = ["id", "organisation.id", "organisation.name", "role_name", "active", "user.first_name",
                    "user.last_name", "user.email", "user.last_login", "created_on"]
    show_columns = list_columns
    edit_columns = ["active", "role_name"]
    # There is no POST, but /_info still describes add_columns; FAB's default (every
    # column) would list all users as choices for "user". Describe only plain fields.
    add_columns = ["role_name", "active"]
    add_title = "Toevoegen kan alleen via een uitnodiging"
    search_columns = ["role_name", "active"]
    order_columns = ["role_name", "active", "created_on"]
    label_columns = {"organisation.id": "Organisatie-ID", "organisation.name": "Organisatie", "role_name": "Rol",
                     "active": "Actief", "user.first_name": "Voornaam", "user.last_name": "Achternaam",
                     "user.email": "E-mailadres", "user.last_login": "Laatst ingelogd", "created_on": "Lid sinds"}
    description_columns = {"active": "false deactiveert de gebruiker, true heractiveert",
                           "role_name": "Een rol die past bij het type organisatie"}

    def check_related(self, item):
        service.check_membership_related(item)

    def pre_update(self, item):
        new_active, new_role = item.active, item.role_name
        old_active, old_role = _previous(item, "active"), _previous(item, "role_name")
        try:
            with db.session.no_autoflush:
                item.active, item.role_name = old_active, old_role
                super().pre_update(item)
            if new_role != old_role:
                service.change_role(item, new_role, g.user)
            if bool(new_active) != bool(old_active):
                (service.reactivate if new_active else service.deactivate)(item, g.user)
        except service.ManagementError as exc:
            db.session.rollback()
            raise ManagementRefused(exc.message) from exc
        except BadRequest:
            db.session.rollback()
            raise
