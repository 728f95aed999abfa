"""The write API of services (``/api/v1/diensten``), through the tenancy base class."""

from __future__ import annotations

from flask_appbuilder.models.sqla.interface import SQLAInterface

from core.catalogue.access import public_package_clause
from core.catalogue.models import Service
from core.tenancy import TenantModelRestApi
from plugins.f005_diensten.forms import api_kind, api_packages, check_service


class ServiceApi(TenantModelRestApi):
    """FAB joins the dotted to-many columns (packages) into the page query itself: no N+1."""

    datamodel = SQLAInterface(Service)
    resource_name = "diensten"
    class_permission_name = "ServiceApi"
    tenant_parent = "organisation"
    shared_relations = {"packages": public_package_clause}
    list_columns = show_columns = ["id", "public_id", "organisation.id", "organisation.name", "name", "kind",
                                   "description", "contact_person.id", "contact_person.name", "packages.id",
                                   "packages.public_id", "packages.name"]
    add_columns = ["organisation", "name", "kind", "description", "contact_person", "packages"]
    edit_columns = ["name", "kind", "description", "contact_person", "packages"]
    order_columns = ["name", "kind"]
    search_columns = ["name", "kind"]
    validators_columns = {"kind": api_kind, "packages": api_packages}

    def pre_add(self, item):
        super().pre_add(item)
        check_service(item)

    def pre_update(self, item):
        super().pre_update(item)
        check_service(item)
