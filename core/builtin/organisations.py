"""Organisations: list, show and edit, through tenancy, for people and the API."""

from __future__ import annotations

from flask import request, url_for
from flask_appbuilder.models.sqla.interface import SQLAInterface
from wtforms import SelectField
from wtforms.validators import URL, DataRequired, Email, Length, Optional, Regexp

from core.formatting import local_time
from core.menu import ORGANISATIE, in_category
from core.models import ORGANISATION_TYPE_LABELS, Membership, Organisation, OrganisationStatus, ScgUser
from core.parents import ParentPage
from core.permissions import menu, read, view_menu_of
from core.plugins import hookimpl
from core.roles import AANBOD_BEHEERDER, GEBRUIK_BEHEERDER, GEBRUIK_RAADPLEGER, VNG_RAADPLEGER
from core.tenancy import TenantModelRestApi, TenantModelView

LABELS = {
    "name": "Naam",
    "type": "Soort",
    "type_label": "Soort",
    "status": "Status",
    "status_label": "Status",
    "kvk_number": "KvK-nummer",
    "cbs_code": "CBS-code",
    "gm_code": "GM-code",
    "province": "Provincie",
    "website": "Website",
    "email": "E-mailadres",
    "phone": "Telefoonnummer",
    "description": "Korte omschrijving",
    "rejection_reason": "Reden afwijzing",
    "created_on": "Aangemaakt op",
    "changed_on": "Gewijzigd op",
}

VALIDATORS = {
    "name": [Length(min=2, max=200, message="De naam moet 2 tot 200 tekens lang zijn.")],
    "kvk_number": [Optional(), Regexp(r"^\d{8}$", message="Een KvK-nummer bestaat uit 8 cijfers.")],
    "website": [Optional(), URL(require_tld=True, message="Vul een volledige webadres in, met https://."),
                Length(max=500)],
    "email": [Optional(), Email(message="Vul een geldig e-mailadres in."), Length(max=320)],
    "phone": [Optional(), Regexp(r"^[0-9+() \-]{6,30}$", message="Vul een geldig telefoonnummer in.")],
    "description": [Optional(), Length(max=255, message="Maximaal 255 tekens.")],
}


def _or_dash(value) -> str:
    return "–" if value is None or value == "" else value


class OrganisationView(TenantModelView):
    datamodel = SQLAInterface(Organisation)
    tenant_column = "id"
    route_base = "/organisaties"
    class_permission_name = "Organisation"
    method_permission_name = {"list": "list", "show": "show", "edit": "edit", "add": "add",
                              "delete": "delete", "action": "list", "action_post": "list"}
    list_title = "Organisaties"
    empty_message = "Nog geen organisaties"
    show_title = "Organisatie"
    add_title = "Organisatie toevoegen"
    edit_title = "Organisatie wijzigen"
    add_row_message = "De organisatie {name} is toegevoegd."
    edit_row_message = "De gegevens van {name} zijn opgeslagen."
    delete_row_message = "De organisatie {name} is verwijderd."
    label_columns = LABELS
    list_columns = ["name", "type_label", "status_label", "kvk_number", "cbs_code", "changed_on"]
    show_columns = ["name", "type_label", "status_label", "kvk_number", "cbs_code", "gm_code", "province",
                    "website", "email", "phone", "description", "rejection_reason", "created_on"]
    add_columns = ["name", "type", "kvk_number", "cbs_code", "website", "email", "phone", "description"]
    edit_columns = ["name", "website", "email", "phone", "description"]
    search_columns = ["name", "type", "status", "kvk_number", "cbs_code"]
    order_columns = ["name", "kvk_number", "cbs_code", "changed_on"]
    base_order = ("name", "asc")
    validators_columns = VALIDATORS
    #: Empty values show as a dash, times as Dutch local time (never "None" or a raw timestamp).
    formatters_columns = {**{name: _or_dash for name in ("kvk_number", "cbs_code", "gm_code", "province", "website",
                                                         "email", "phone", "description", "rejection_reason")},
                          "created_on": local_time, "changed_on": local_time}
    #: VNG creates organisations of every type, samenwerkingen and communities included.
    add_form_extra_fields = {"type": SelectField(
        "Soort", choices=list(ORGANISATION_TYPE_LABELS.items()),
        validators=[DataRequired(message="Kies de soort organisatie.")])}
    page_size = 50

    edit_template = "scg/organisation_edit.html"

    def pre_add(self, item):
        super().pre_add(item)
        item.status = OrganisationStatus.goedgekeurd.value  # created by VNG: active at once

    def render_template(self, template, **kwargs):
        """The edit page knows its organisation, for the ``organisation_edit`` slot (e.g. F002's profile page)."""
        if template == self.edit_template and "organisation" not in kwargs:
            pk = (request.view_args or {}).get("pk")
            kwargs["organisation"] = self.get_tenant_item(pk) if pk is not None and str(pk).isdigit() else None
        return super().render_template(template, **kwargs)

    def parent_page(self, item=None):
        """A saved organisation returns to its own page; the add page and a delete to the list."""
        if item is None or getattr(item, "id", None) is None:
            return self.list_page()
        return ParentPage(url=url_for(".show", pk=item.id), crumbs=self.list_page().crumbs)

    def parent_page_after_delete(self, item):
        return self.list_page()


class OrganisationApi(TenantModelRestApi):
    datamodel = SQLAInterface(Organisation)
    tenant_column = "id"
    resource_name = "organisaties"
    class_permission_name = "OrganisationApi"
    list_columns = ["id", "name", "type", "status", "kvk_number", "cbs_code", "website", "changed_on"]
    show_columns = ["id", "name", "type", "status", "kvk_number", "cbs_code", "gm_code", "province",
                    "website", "email", "phone", "description"]
    add_columns = ["name", "type", "kvk_number", "cbs_code", "website", "email", "phone", "description"]
    edit_columns = ["name", "website", "email", "phone", "description"]
    search_columns = ["name", "type", "status", "kvk_number", "cbs_code"]
    order_columns = ["name", "changed_on"]
    label_columns = LABELS

    def pre_add(self, item):
        super().pre_add(item)
        item.status = OrganisationStatus.goedgekeurd.value


MENU = "Mijn organisatie"
#: Members read their organisation; managers also edit it (adding and deleting is the Functioneel beheerder's).
READ = read(OrganisationView, OrganisationApi) + menu(MENU, ORGANISATIE)
EDIT = READ + [("can_edit", view_menu_of(OrganisationView)), ("can_put", view_menu_of(OrganisationApi))]


@hookimpl
def register_models():
    return [Organisation, Membership, ScgUser]


@hookimpl
def register_views(appbuilder):
    appbuilder.add_view(OrganisationView, MENU, label="Organisaties", icon="fa-building", **in_category(ORGANISATIE))


@hookimpl
def register_apis(appbuilder):
    appbuilder.add_api(OrganisationApi)


@hookimpl
def role_permissions():
    return {AANBOD_BEHEERDER: EDIT, GEBRUIK_BEHEERDER: EDIT, GEBRUIK_RAADPLEGER: READ, VNG_RAADPLEGER: READ}
