"""The audit log, readable by the Functioneel beheerder (FAB admin role) only."""

from __future__ import annotations

from flask_appbuilder.models.sqla.interface import SQLAInterface

from core.menu import BEHEER, in_category
from core.models import AuditLog, OutboxMail, UsedToken
from core.plugins import hookimpl
from core.tenancy import TenantModelView


class AuditLogView(TenantModelView):
    """Read-only: no add, edit or delete exists for anybody.

    Only the Functioneel beheerder holds its permissions; through the tenancy base
    class a role of an organisation that were granted them would see only its own rows.
    """

    datamodel = SQLAInterface(AuditLog)
    route_base = "/auditlog"
    class_permission_name = "AuditLog"
    base_permissions = ["can_list", "can_show"]
    # Only these routes exist: no add, edit, delete, action or download endpoint at all.
    include_route_methods = {"list", "show"}
    list_title = "Auditlog"
    empty_message = "Het auditlog is nog leeg"
    show_title = "Auditregel"
    label_columns = {
        "timestamp": "Tijdstip", "username": "Gebruiker", "user_id": "Gebruiker-ID",
        "organisation_id": "Organisatie-ID", "action": "Actie", "object_type": "Soort object",
        "object_id": "Object-ID", "result": "Resultaat", "ip": "IP-adres", "details": "Details",
    }
    list_columns = ["timestamp", "username", "organisation_id", "action", "object_type", "object_id", "result", "ip"]
    show_columns = list_columns + ["user_id", "details"]
    search_columns = ["timestamp", "username", "organisation_id", "action", "object_type", "object_id", "result", "ip"]
    base_order = ("timestamp", "desc")
    page_size = 50


@hookimpl
def register_models():
    return [AuditLog, UsedToken, OutboxMail]  # OutboxMail: core.mail


@hookimpl
def register_views(appbuilder):
    appbuilder.add_view(AuditLogView, "Auditlog", label="Auditlog", icon="fa-list",
                        **in_category(BEHEER))
