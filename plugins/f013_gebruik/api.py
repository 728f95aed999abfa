"""The REST API of the own landscape (``/api/v1/gebruik``), through the tenancy base class.

List, show, add and edit; ending a usage is an edit of its status to ``uitgefaseerd``.
"""

from __future__ import annotations

from flask import g
from flask_appbuilder.models.sqla.interface import SQLAInterface

from core.catalogue.models import Usage
from core.tenancy import TenantModelRestApi
from plugins.f013_gebruik import service
from plugins.f013_gebruik.forms import api_status
from plugins.f013_gebruik.views import ACTING_FOR, public_version_clause


class UsageApi(TenantModelRestApi):
    datamodel = SQLAInterface(Usage)
    resource_name = "gebruik"
    class_permission_name = "UsageApi"
    tenant_parent = "organisation"
    shared_relations = {"package": service.usable_package_clause, "version": public_version_clause}
    acting_for = ACTING_FOR  # a samenwerking also keeps the usages it registered for its current members
    allow_browser_login = False
    list_columns = show_columns = ["id", "public_id", "organisation.id", "organisation.name", "package.id",
                                   "package.public_id", "package.name", "version.id", "version.name", "status",
                                   "status_date", "description", "changed_on", "registered_by.id",
                                   "registered_by.name"]
    add_columns = ["organisation", "package", "version", "status", "status_date", "description"]
    edit_columns = ["version", "status", "status_date", "description"]
    order_columns = ["status", "status_date", "changed_on"]
    search_columns = ["status", "package", "organisation"]
    validators_columns = {"status": api_status}
    openapi_spec_tag = "Gebruik (applicatielandschap)"

    def pre_add(self, item):
        super().pre_add(item)
        service.check_usage(item, new=True)
        service.record_added(item)

    def put_headless(self, pk):
        # The schema loads related rows (and so flushes) before pre_update: remember the
        # values the history compares while they are still the stored ones.
        item = self.datamodel.get(pk, self._base_filters)
        g.f013_before = service.snapshot(item) if item is not None else None
        return super().put_headless(pk)

    def pre_update(self, item):
        super().pre_update(item)
        service.check_usage(item, new=False)
        service.record_changed(item, getattr(g, "f013_before", None))
