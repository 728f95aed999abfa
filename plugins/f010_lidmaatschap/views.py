"""The pages of F010: an organisation's own participations, and a group's member list."""

from __future__ import annotations

import datetime as dt

from flask import abort, flash, redirect, url_for
from flask_appbuilder import expose, has_access
from flask_appbuilder.models.filters import BaseFilter
from flask_appbuilder.models.sqla.interface import SQLAInterface
from flask_wtf import FlaskForm

from core.extensions import db
from core.tenancy import TenantModelView, current_user
from plugins.f010_lidmaatschap import service
from plugins.f010_lidmaatschap.models import Deelname

LABELS = {
    "group": "Samenwerking of community",
    "group_name": "Samenwerking of community",
    "group_type": "Soort",
    "organisation": "Deelnemer",
    "member_name": "Deelnemer",
    "member_type": "Soort",
    "member_contact": "Contactpersoon",
    "since": "Deelnemer sinds",
    "ended_on": "Beëindigd op",
    "state": "Status",
    "end_action": "Actie",
}


def _user_id() -> int | None:
    user = current_user()
    return user.id if user is not None else None


class ActiveFilter(BaseFilter):
    """Only participations that have not ended."""

    name = "Actief"
    arg_name = None

    def apply(self, query, value):
        return query.filter(Deelname.ended_on.is_(None))


class ConfirmForm(FlaskForm):
    """Only the CSRF token: the confirmation of ending a participation."""


class DeelnameView(TenantModelView):
    """Deelnames: the samenwerkingen and communities the own organisation takes part in."""

    datamodel = SQLAInterface(Deelname)
    route_base = "/deelnames"
    class_permission_name = "Deelname"
    method_permission_name = {"end": "end"}
    base_permissions = ["can_list", "can_show", "can_add", "can_end"]
    shared_relations = {"group": service.joinable_groups_clause}
    list_title = "Deelnames"
    empty_message = "Uw organisatie neemt nog niet deel aan een samenwerking of community"
    show_title = "Deelname"
    add_title = "Deelnemen aan een samenwerking of community"
    label_columns = LABELS
    list_columns = ["group_name", "group_type", "since", "ended_on", "end_action"]
    show_columns = ["member_name", "group_name", "group_type", "state", "since", "ended_on"]
    add_columns = ["group"]
    description_columns = {"group": "Typ om te zoeken. Een leverancier kan alleen deelnemen aan een community; "
                                    "uw deelname gaat direct in."}
    search_columns = ["since", "ended_on"]
    order_columns = ["since", "ended_on"]
    base_order = ("since", "desc")
    add_row_message = "U neemt nu deel."
    list_template = "f010/deelnames_list.html"
    add_template = "f010/add.html"
    show_template = "f010/show.html"

    def pre_add(self, item):
        super().pre_add(item)
        service.check_declaration(item)
        item.since = dt.date.today()
        item.declared_by_id = _user_id()
        service.declared(item, _user_id())

    @expose("/beeindigen/<int:pk>", methods=["GET", "POST"])
    @has_access
    def end(self, pk):
        item = self.get_tenant_item(pk)
        if item is None:
            abort(404)
        if item.ended_on is not None:
            flash("Deze deelname is al beëindigd.", "warning")
            return redirect(url_for("DeelnameView.list"))
        form = ConfirmForm()
        if form.validate_on_submit():
            service.end(item, _user_id())
            db.session.commit()
            flash(f"Uw deelname aan {item.group_name} is beëindigd.", "success")
            return redirect(url_for("DeelnameView.list"))
        return self.render_template("f010/end.html", item=item, form=form)


class DeelnemerView(TenantModelView):
    """Deelnemers: the current members of the own samenwerking or community. Read only: no add."""

    datamodel = SQLAInterface(Deelname)
    tenant_column = "group_id"
    route_base = "/deelnemers"
    class_permission_name = "Deelnemer"
    base_permissions = ["can_list", "can_show"]
    base_filters = [["ended_on", ActiveFilter, None]]
    list_title = "Deelnemers"
    empty_message = "Nog geen deelnemers"
    show_title = "Deelnemer"
    label_columns = LABELS
    list_columns = ["member_name", "member_type", "since", "member_contact"]
    show_columns = ["member_name", "member_type", "since", "member_contact"]
    search_columns = ["since"]
    order_columns = ["since"]
    base_order = ("since", "asc")
    list_template = "f010/deelnemers_list.html"
    show_template = "f010/show.html"


