"""Ons applicatielandschap: the packages a gemeente or samenwerking uses, through the tenancy base class.

The Gebruik-beheerder adds, changes and ends the usages of its own organisation; the
Gebruik-raadpleger reads them; the Functioneel beheerder sees and edits every
landscape and picks the organisation on add. Suppliers have no right here at all.
"""

from __future__ import annotations

from flask import flash, redirect, request
from flask_appbuilder.actions import action
from flask_appbuilder.models.filters import BaseFilter
from flask_appbuilder.models.sqla.interface import SQLAInterface
from sqlalchemy import select
from sqlalchemy.orm import joinedload

from core.catalogue.access import public_package_clause
from core.catalogue.models import USAGE_STATUSES, Package, Usage, Version, label
from core.extensions import db
from core.formatting import local_time
from core.models import Organisation
from core.tenancy import ActingFor, TenantModelView, current_organisation_id, current_user
from plugins.f013_gebruik import service
from plugins.f013_gebruik.forms import FORM_VALIDATORS, note_field, status_date_field, status_field
from plugins.f013_gebruik.references import reference_of


def public_version_clause():
    """SQL condition on Version: a version of a public package (which package: checked on save)."""
    return Version.package_id.in_(select(Package.id).where(public_package_clause()).scalar_subquery())


class LandscapeOrganisationFilter(BaseFilter):
    """Choices of the organisation: only those that keep a landscape (gemeente, samenwerking)."""

    name = "Gemeenten en samenwerkingen"
    arg_name = None

    def apply(self, query, value):
        return query.filter(self.model.type.in_(service.LANDSCAPE_TYPES))


class EagerInterface(SQLAInterface):
    """Loads the relations in ``eager`` with a page of rows, in the same query (no N+1)."""

    eager: tuple = ()

    def apply_all(self, query, *args, **kwargs):
        return super().apply_all(query, *args, **kwargs).options(*(joinedload(rel) for rel in self.eager))

    def get_related_interface(self, col_name):
        return SQLAInterface(self.get_related_model(col_name), self.session)


class UsageInterface(EagerInterface):
    """Loads package, version, organisation and registering organisation of a page of usages."""

    eager = (Usage.package, Usage.version, Usage.organisation, Usage.registered_by)


def _date(value) -> str:
    return value.strftime("%d-%m-%Y") if value else ""


def _text(value) -> str:
    return "" if value is None else str(value)


def registered_by_text(value) -> str:
    """The list's and show page's mark of a usage a samenwerking registered."""
    return f"geregistreerd door {value.name}" if value is not None else ""


#: A samenwerking also keeps the usages it registered for its current member gemeenten.
ACTING_FOR = ActingFor("registered_by_id", service.samenwerking_members)


LABELS = {"organisation": "Organisatie", "package": "Pakket", "version": "Versie", "status": "Status",
          "status_date": "Statusdatum", "description": "Toelichting", "changed_on": "Gewijzigd op",
          "registered_by": "Herkomst"}
DESCRIPTIONS = {
    "package": "Een gepubliceerd pakket uit de catalogus, of een pakket dat een gemeente heeft aangemeld en dat "
               "nog wacht op de leverancier. Typ om te zoeken.",
    "version": "Optioneel: een versie van het gekozen pakket.",
    "organisation": "De gemeente of samenwerking die het pakket gebruikt. Een samenwerking kan ook gebruik "
                    "registreren voor een van haar deelnemende gemeenten.",
}


class UsageView(TenantModelView):
    datamodel = UsageInterface(Usage)
    route_base = "/gebruik"
    class_permission_name = "Usage"
    tenant_parent = "organisation"  # the form sets the relationship, not the column
    shared_relations = {"package": service.usable_package_clause, "version": public_version_clause}
    acting_for = ACTING_FOR
    method_permission_name = {"list": "list", "show": "show", "add": "add", "edit": "edit", "delete": "delete",
                              "action": "edit", "action_post": "edit", "end": "edit"}
    list_template = "f013/list.html"
    show_template = "f013/show.html"
    add_template = "f013/add.html"
    edit_template = "f013/edit.html"
    page_size = 50
    list_title = "Ons applicatielandschap"
    empty_message = "Nog geen pakketten in uw applicatielandschap"
    show_title = "Gebruik van een pakket"
    add_title = "Pakket toevoegen aan het applicatielandschap"
    edit_title = "Gebruik wijzigen"
    add_row_message = "Het pakket staat nu in het applicatielandschap."
    edit_row_message = "Het gebruik is gewijzigd."
    delete_row_message = "Het gebruik is verwijderd uit het applicatielandschap."
    label_columns = LABELS
    description_columns = DESCRIPTIONS
    list_columns = ["package", "version", "status", "status_date", "description", "organisation", "registered_by"]
    show_columns = ["organisation", "registered_by", "package", "version", "status", "status_date", "description",
                    "changed_on"]
    add_columns = ["organisation", "package", "version", "status", "status_date", "description"]
    edit_columns = ["version", "status", "status_date", "description"]
    search_columns = ["package", "status", "organisation"]
    order_columns = ["status", "status_date"]
    base_order = ("status_date", "desc")
    formatters_columns = {"status": lambda v: label(USAGE_STATUSES, v), "status_date": _date,
                          "version": _text, "description": _text, "changed_on": lambda v: local_time(v, empty=""),
                          "registered_by": registered_by_text}
    validators_columns = FORM_VALIDATORS
    add_form_extra_fields = {"status": status_field(), "status_date": status_date_field(),
                             "description": note_field()}
    edit_form_extra_fields = add_form_extra_fields
    add_form_query_rel_fields = {"organisation": [["id", LandscapeOrganisationFilter, None]]}

    # --- rules, history and events ---------------------------------------
    def pre_add(self, item):
        super().pre_add(item)
        service.check_usage(item, new=True)
        service.record_added(item)

    def pre_update(self, item):
        super().pre_update(item)
        service.check_usage(item, new=False)
        service.record_changed(item)

    @action("end", "Beëindigen", "Het gebruik beëindigen? De status wordt Uitgefaseerd; de geschiedenis blijft "
            "bewaard.", "fa-stop-circle", multiple=False)
    def end(self, item):
        if isinstance(item, list):  # (offered on a single row only)
            item = item[0]
        if service.end_usage(item):
            db.session.commit()
            flash(f"Het gebruik van {item.package.name} is beëindigd (uitgefaseerd).", "success")
        else:
            flash(f"Het gebruik van {item.package.name} was al beëindigd.", "info")
        return redirect(self.return_url(item))

    # --- the form ----------------------------------------------------------
    def _get_add_widget(self, form, exclude_cols=None, widgets=None):
        """Started from a package page (``?pakket=<public id>``): that package is chosen already."""
        self._no_version_text(form)
        self._for_whom(form)
        wanted = request.args.get("pakket")
        if request.method == "GET" and wanted:
            package = db.session.scalar(select(Package).where(Package.public_id == wanted,
                                                              service.usable_package_clause()))
            if package is not None:
                form.package.data = package
                self._versions_of(form, package)
        return super()._get_add_widget(form, exclude_cols=exclude_cols, widgets=widgets)

    def _get_edit_widget(self, form, exclude_cols=None, widgets=None):
        self._no_version_text(form)
        return super()._get_edit_widget(form, exclude_cols=exclude_cols, widgets=widgets)

    @staticmethod
    def _for_whom(form) -> None:
        """A samenwerking registers for itself (the default) or for one of its current members."""
        org_id = current_organisation_id()
        if "organisation" not in form or not ACTING_FOR.ids_for(org_id):
            return
        form.organisation.label.text = "Voor wie registreert u dit gebruik?"
        if request.method == "GET" and form.organisation.data is None:
            form.organisation.data = db.session.get(Organisation, org_id)

    @staticmethod
    def _no_version_text(form) -> None:
        if "version" in form:
            form.version.blank_text = "Geen versie"

    def prefill_form(self, form, pk):
        item = self.get_tenant_item(pk)
        if item is not None:
            self._versions_of(form, item.package)

    @staticmethod
    def _versions_of(form, package) -> None:
        """Offer only the versions of ``package`` (the save checks it again)."""
        if "version" in form and package is not None:
            form.version.query_func = lambda: db.session.scalars(
                select(Version).where(Version.package_id == package.id).order_by(Version.name)).all()

    def render_template(self, template, **kwargs):
        if template == self.show_template and "pk" in kwargs:
            item = self.get_tenant_item(kwargs["pk"])
            if item is not None:
                kwargs["history"] = service.history(item)
                # Who made a change is shown to the organisation itself only.
                kwargs["show_person"] = current_organisation_id() == item.organisation_id
                kwargs["usage"] = item
                kwargs["status_label"] = lambda value: label(USAGE_STATUSES, value)
                kwargs["reference"] = reference_of(item.id)
                # A reference is the municipality's own word: only its beheerder sets it.
                kwargs["may_set_reference"] = kwargs["show_person"] and self.appbuilder.sm.has_access(
                    "can_edit", "Reference")
                kwargs["own_organisation_id"] = current_organisation_id()
        if template == self.add_template:
            org = getattr(current_user(), "organisation", None)
            kwargs["not_for_us"] = service.NOT_A_MUNICIPALITY if (
                org is not None and org.type not in service.LANDSCAPE_TYPES) else None
        if template == self.list_template:
            kwargs["own_organisation_id"] = current_organisation_id()
            if self.appbuilder.sm.has_access("can_show", "IncomingProposal"):
                from plugins.f013_gebruik.proposals import open_for_organisation

                kwargs["open_proposals"] = open_for_organisation(current_organisation_id())
        return super().render_template(template, **kwargs)
