"""The supplier's services page ("Mijn diensten"): through the tenancy base class."""

from __future__ import annotations

from flask_appbuilder.models.sqla.interface import SQLAInterface
from sqlalchemy.orm import selectinload

from core.catalogue.access import public_package_clause
from core.catalogue.models import SERVICE_KINDS, Service, label
from core.formatting import local_time
from core.tenancy import TenantModelView
from plugins.f005_diensten.forms import FORM_VALIDATORS, check_service, description_field, kind_field


class ServiceInterface(SQLAInterface):
    """Loads the packages and contact person of a page of services in one query each (no N+1)."""

    def apply_all(self, query, *args, **kwargs):
        return super().apply_all(query, *args, **kwargs).options(
            selectinload(Service.packages), selectinload(Service.contact_person))

    def get_related_interface(self, col_name):
        return SQLAInterface(self.get_related_model(col_name), self.session)


def _packages(value) -> str:
    return ", ".join(f"{p.name} ({p.organisation.name})" for p in value or [])


def _text(value) -> str:
    return "" if value is None else str(value)


LABELS = {"organisation": "Organisatie", "name": "Naam", "kind": "Soort dienst", "description": "Omschrijving",
          "contact_person": "Contactpersoon", "packages": "Pakketten", "changed_on": "Gewijzigd op"}
DESCRIPTIONS = {
    "packages": "Gepubliceerde pakketten van uzelf of van andere leveranciers waarop u deze dienst aanbiedt.",
    "contact_person": "Een contactpersoon van uw eigen organisatie.",
}


class ServiceView(TenantModelView):
    datamodel = ServiceInterface(Service)
    route_base = "/diensten"
    class_permission_name = "Service"
    tenant_parent = "organisation"  # the form sets the relationship, not the column
    method_permission_name = {"list": "list", "show": "show", "add": "add", "edit": "edit", "delete": "delete",
                              "action": "edit", "action_post": "edit"}
    shared_relations = {"packages": public_package_clause}
    list_template = "f005/list.html"
    show_template = "f005/show.html"
    add_template = "f005/add.html"
    edit_template = "f005/edit.html"
    page_size = 50
    list_title = "Mijn diensten"
    empty_message = "Nog geen diensten"
    show_title = "Dienst"
    add_title = "Dienst toevoegen"
    edit_title = "Dienst wijzigen"
    add_row_message = "De dienst {name} is toegevoegd."
    edit_row_message = "De dienst {name} is opgeslagen."
    delete_row_message = "De dienst {name} is verwijderd."
    label_columns = LABELS
    description_columns = DESCRIPTIONS
    list_columns = ["name", "kind", "packages", "contact_person", "organisation"]
    show_columns = ["name", "kind", "description", "packages", "contact_person", "organisation", "changed_on"]
    add_columns = ["organisation", "name", "kind", "description", "contact_person", "packages"]
    edit_columns = ["name", "kind", "description", "contact_person", "packages"]
    search_columns = ["name", "kind"]
    order_columns = ["name", "kind"]
    base_order = ("name", "asc")
    formatters_columns = {"kind": lambda v: label(SERVICE_KINDS, v), "packages": _packages,
                          "contact_person": _text, "description": _text,
                          "changed_on": lambda v: local_time(v, empty="")}
    validators_columns = FORM_VALIDATORS
    add_form_extra_fields = {"kind": kind_field(), "description": description_field()}
    edit_form_extra_fields = add_form_extra_fields

    def pre_add(self, item):
        super().pre_add(item)
        check_service(item)

    def pre_update(self, item):
        super().pre_update(item)
        check_service(item)
