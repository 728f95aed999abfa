"""F006's pages of organisation-owned rows, through the tenancy base class.

- ``InterestView`` (``/inzichten/interesse``): a gemeente's own interest in packages; its
  Gebruik-beheerder shows interest ("Interesse tonen", from the package page) and withdraws it.
- ``ReceivedInterestView`` (``/inzichten/ontvangen-interesse``): the interest shown in the
  supplier's own packages (tenancy column ``supplier_id``), with the contact only when shared.
- ``NotificationView`` (``/inzichten/meldingen``): the user's own notifications; mark as read.
"""

from __future__ import annotations

from flask import flash, redirect, request, url_for
from flask_appbuilder import expose
from flask_appbuilder.actions import action
from flask_appbuilder.models.filters import BaseFilter
from flask_appbuilder.models.sqla.interface import SQLAInterface
from flask_appbuilder.security.decorators import has_access
from sqlalchemy import select
from wtforms import BooleanField, TextAreaField
from wtforms.validators import Length, Optional

from core.catalogue.access import public_package_clause
from core.catalogue.models import Package
from core.extensions import db
from core.formatting import local_time
from core.tenancy import TenantModelView, current_organisation_id, current_user
from plugins.f006_inzichten import service
from plugins.f006_inzichten.models import Interest, Notification

NOT_A_MUNICIPALITY = "Alleen een gemeente of samenwerking kan interesse tonen in een pakket."
ALREADY = "Uw organisatie heeft al interesse getoond in {package}."
CHOOSE_PACKAGE = "Kies een gepubliceerd pakket uit de catalogus."


def _text(value) -> str:
    return "" if value is None else str(value)


class InterestView(TenantModelView):
    datamodel = SQLAInterface(Interest)
    route_base = "/inzichten/interesse"
    class_permission_name = "Interest"
    shared_relations = {"package": public_package_clause}
    add_template = "f006/interest_add.html"
    list_title = "Onze interesse in pakketten"
    show_title = "Interesse in een pakket"
    add_title = "Interesse tonen"
    add_row_message = "Uw interesse is doorgegeven aan de leverancier."
    delete_row_message = "Uw interesse is ingetrokken."
    label_columns = {"package": "Pakket", "message": "Bericht aan de leverancier",
                     "share_contact": "Contactpersoon delen", "contact_name": "Contactpersoon",
                     "contact_email": "E-mailadres", "created_on": "Getoond op", "organisation": "Organisatie"}
    description_columns = {
        "message": "Optioneel: wat wilt u de leverancier laten weten?",
        "share_contact": "Vink aan om uw naam en e-mailadres met de leverancier te delen, zodat die contact met u "
                         "kan opnemen. Zonder vinkje ziet de leverancier alleen de naam van uw organisatie.",
    }
    list_columns = ["package", "message", "created_on", "share_contact"]
    show_columns = ["organisation", "package", "message", "share_contact", "contact_name", "contact_email",
                    "created_on"]
    add_columns = ["package", "message", "share_contact"]
    edit_columns = ["message", "share_contact"]
    base_permissions = ["can_list", "can_show", "can_add", "can_delete"]
    exclude_route_methods = {"download", "edit"}
    base_order = ("created_on", "desc")
    formatters_columns = {"created_on": lambda v: local_time(v, empty=""), "message": _text,
                          "share_contact": lambda v: "Ja" if v else "Nee",
                          "contact_name": _text, "contact_email": _text}
    add_form_extra_fields = {
        "message": TextAreaField("Bericht aan de leverancier", render_kw={"rows": 4, "class": "form-control"},
                                 validators=[Optional(), Length(max=2000, message="Maximaal 2.000 tekens.")]),
        "share_contact": BooleanField("Deel mij als contactpersoon met de leverancier"),
    }

    def pre_add(self, item):
        super().pre_add(item)
        org = getattr(current_user(), "organisation", None)
        if org is None or org.type not in service.ATTRIBUTED_TYPES:
            raise ValueError(NOT_A_MUNICIPALITY)  # (also the Functioneel beheerder: interest is a gemeente's own)
        package = item.package
        if package is None:
            raise ValueError(CHOOSE_PACKAGE)
        if service.interest_of(item.organisation_id, package.id) is not None:
            raise ValueError(ALREADY.format(package=package.name))
        item.supplier_id = package.organisation_id
        user = current_user()
        if item.share_contact and user is not None:
            item.contact_name = user.get_full_name().strip() or user.email
            item.contact_email = user.email
        else:
            item.share_contact, item.contact_name, item.contact_email = False, None, None

    def post_add(self, item):
        service.interest_shown(item)
        db.session.commit()

    def render_template(self, template, **kwargs):
        if template == self.add_template:
            org = getattr(current_user(), "organisation", None)
            kwargs["not_for_us"] = NOT_A_MUNICIPALITY if (
                org is None or org.type not in service.ATTRIBUTED_TYPES) else None
        return super().render_template(template, **kwargs)

    def _get_add_widget(self, form, exclude_cols=None, widgets=None):
        """Started from a package page (``?pakket=<public id>``): that package is chosen already."""
        wanted = request.args.get("pakket")
        if request.method == "GET" and wanted:
            package = db.session.scalar(select(Package).where(Package.public_id == wanted[:36],
                                                              public_package_clause()))
            if package is not None:
                form.package.data = package
        return super()._get_add_widget(form, exclude_cols=exclude_cols, widgets=widgets)


class ReceivedInterestView(TenantModelView):
    """Interest in the supplier's own packages: read only; the contact only where shared."""

    datamodel = SQLAInterface(Interest)
    route_base = "/inzichten/ontvangen-interesse"
    class_permission_name = "ReceivedInterest"
    tenant_column = "supplier_id"
    base_permissions = ["can_list", "can_show"]
    exclude_route_methods = {"download", "add", "edit", "delete"}
    list_title = "Interesse van gemeenten"
    show_title = "Interesse van een gemeente"
    label_columns = {"organisation": "Gemeente", "package": "Pakket", "message": "Bericht",
                     "contact_name": "Contactpersoon", "contact_email": "E-mailadres", "created_on": "Getoond op"}
    list_columns = ["organisation", "package", "message", "contact_name", "contact_email", "created_on"]
    show_columns = ["organisation", "package", "message", "contact_name", "contact_email", "created_on"]
    base_order = ("created_on", "desc")
    formatters_columns = {"created_on": lambda v: local_time(v, empty=""), "message": _text,
                          "contact_name": lambda v: v or "Niet gedeeld", "contact_email": _text}


class OwnNotificationsFilter(BaseFilter):
    """Only the current user's own notifications (also for roles that see all organisations)."""

    name = "Eigen meldingen"
    arg_name = None

    def apply(self, query, value):
        user = current_user()
        return query.filter(self.model.user_id == (user.id if user is not None else -1))


class NotificationView(TenantModelView):
    datamodel = SQLAInterface(Notification)
    route_base = "/inzichten/meldingen"
    class_permission_name = "Notification"
    base_permissions = ["can_list", "can_show", "can_edit"]
    method_permission_name = {"list": "list", "show": "show", "mark_read": "edit", "all_read": "edit",
                              "open": "edit", "action": "edit", "action_post": "edit"}
    exclude_route_methods = {"download", "add", "edit", "delete"}
    base_filters = [["user_id", OwnNotificationsFilter, None]]
    list_template = "f006/notifications.html"
    list_title = "Meldingen"
    show_title = "Melding"
    label_columns = {"text": "Melding", "kind": "Soort", "created_on": "Datum", "read_on": "Gelezen op"}
    list_columns = ["text", "kind", "created_on", "read_on"]
    show_columns = ["text", "kind", "created_on", "read_on"]
    base_order = ("created_on", "desc")
    formatters_columns = {"created_on": lambda v: local_time(v, empty=""),
                          "read_on": lambda v: local_time(v, empty="Ongelezen"),
                          "kind": lambda v: dict(service.KINDS).get(v, v)}

    @action("mark_read", "Markeren als gelezen", None, "fa-check")
    def mark_read(self, items):
        items = items if isinstance(items, list) else [items]
        count = service.mark_read(current_user().id, [item.id for item in items])
        db.session.commit()
        flash(f"{count} melding(en) gemarkeerd als gelezen.", "success")
        return redirect(url_for("NotificationView.list"))

    @expose("/alles-gelezen", methods=["POST"])
    @has_access
    def all_read(self):
        count = service.mark_read(current_user().id)
        db.session.commit()
        flash(f"{count} melding(en) gemarkeerd als gelezen.", "success")
        return redirect(url_for("NotificationView.list"))

    @expose("/open/<int:pk>", methods=["POST"])
    @has_access
    def open(self, pk):
        """Open a notification: it is read now; go where it points (a local path only)."""
        from core.parents import local_path

        item = self.get_tenant_item(pk)
        if item is None:
            flash("Deze melding bestaat niet of is niet van u.", "danger")
            return redirect(url_for("NotificationView.list"))
        service.mark_read(current_user().id, [item.id])
        db.session.commit()
        return redirect(local_path(item.url) or url_for("NotificationView.list"))

    def render_template(self, template, **kwargs):
        if template == self.list_template:
            user = current_user()
            kwargs["unread"] = service.unread_count(user.id) if user is not None else 0
            kwargs["own_organisation_id"] = current_organisation_id()
        return super().render_template(template, **kwargs)
