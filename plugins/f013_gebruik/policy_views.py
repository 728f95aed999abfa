"""The pages of the proposal policy: a municipality's blocked suppliers, and VNG's queue of open proposals.

- Geblokkeerde leveranciers (``ProposalBlockView``): the Gebruik-beheerder blocks an
  approved supplier (add) and lifts the block (delete); the Gebruik-raadpleger reads;
  the Functioneel beheerder does everything for every municipality.
- Openstaande gebruiksvoorstellen (``ProposalQueueView``): for the VNG-raadpleger and the
  Functioneel beheerder, read only: the open proposals, oldest first, with their age,
  whether the municipality has an active Gebruik-beheerder yet, and their expiry date.
  Overdue proposals are expired first (``proposal_policy.expire_overdue``).
"""

from __future__ import annotations

from flask import flash, g, request
from flask_appbuilder.models.sqla.filters import FilterEqual
from sqlalchemy import select
from wtforms.validators import DataRequired

from core.extensions import db
from core.formatting import local_time, sentence
from core.models import Organisation, utcnow
from core.tenancy import TenantModelView, current_organisation_id, current_user
from plugins.f013_gebruik import proposal_policy as policy
from plugins.f013_gebruik import service
from plugins.f013_gebruik.models import OPEN, Proposal, ProposalBlock
from plugins.f013_gebruik.views import EagerInterface, LandscapeOrganisationFilter, _date

BLOCKS_MENU = "Geblokkeerde leveranciers"
QUEUE_MENU = "Openstaande gebruiksvoorstellen"

ALREADY_BLOCKED = "U ontvangt al geen voorstellen van {supplier}."
SUPPLIER_REQUIRED = "Kies uit de lijst de leverancier van wie u geen voorstellen meer wilt ontvangen."


class BlockInterface(EagerInterface):
    """Loads supplier and organisation of a page of blocks in the same query (no N+1)."""

    eager = (ProposalBlock.supplier, ProposalBlock.organisation)


class ProposalBlockView(TenantModelView):
    datamodel = BlockInterface(ProposalBlock)
    route_base = "/geblokkeerde-leveranciers"
    class_permission_name = "ProposalBlock"
    base_permissions = ["can_list", "can_show", "can_add", "can_delete"]
    tenant_parent = "organisation"
    shared_relations = {"supplier": policy.approved_supplier_clause}
    list_template = "f013/blocks_list.html"
    add_template = "f013/block_add.html"
    list_title = BLOCKS_MENU
    empty_message = "U hebt geen leveranciers geblokkeerd"
    show_title = "Geblokkeerde leverancier"
    add_title = "Geen voorstellen meer van een leverancier"
    add_row_message = "U ontvangt geen voorstellen meer van deze leverancier."
    delete_row_message = "De blokkade is opgeheven: deze leverancier kan u weer het gebruik van een pakket voorstellen."
    label_columns = {"supplier": "Leverancier", "organisation": "Gemeente", "created_on": "Geblokkeerd sinds"}
    description_columns = {
        "supplier": "De leverancier van wie uw organisatie geen voorstellen meer wil ontvangen. Zijn open "
                    "voorstellen aan u worden afgewezen. Typ om te zoeken.",
        "organisation": "De gemeente of samenwerking die de voorstellen niet meer wil ontvangen.",
    }
    list_columns = ["supplier", "created_on", "organisation"]
    show_columns = ["supplier", "created_on", "organisation"]
    add_columns = ["organisation", "supplier"]
    # a supplier that is not in the list (not approved, not a supplier) arrives as no choice
    validators_columns = {"supplier": [DataRequired(message=SUPPLIER_REQUIRED)]}
    search_columns = ["created_on"]  # (a supplier filter would list every supplier on the page)
    order_columns = ["created_on"]
    base_order = ("created_on", "desc")
    formatters_columns = {"created_on": lambda v: local_time(v, empty="")}
    add_form_query_rel_fields = {"organisation": [["id", LandscapeOrganisationFilter, None]]}

    def pre_add(self, item):
        super().pre_add(item)
        org = db.session.get(Organisation, item.organisation_id) if item.organisation_id else item.organisation
        if org is None or org.type not in service.LANDSCAPE_TYPES:
            raise service.UsageRejected(service.NOT_A_MUNICIPALITY)
        if item.supplier is None:
            raise service.UsageRejected(SUPPLIER_REQUIRED)
        item.supplier_id = item.supplier.id
        with db.session.no_autoflush:
            if policy.is_blocked(org.id, item.supplier.id):
                raise service.UsageRejected(sentence(ALREADY_BLOCKED.format(supplier=item.supplier.name)))
        user = current_user()
        item.created_by_id = user.id if user is not None else None
        g.f013_closed = (item.supplier.name, policy.close_for_block(item, item.created_by_id))

    def post_add(self, item):
        name, closed = getattr(g, "f013_closed", ("", 0))
        if closed:
            flash(f"{closed} open voorstel{'len' if closed != 1 else ''} van {name} "
                  f"{'zijn' if closed != 1 else 'is'} afgewezen.", "info")

    def _get_add_widget(self, form, exclude_cols=None, widgets=None):
        """``?leverancier=<id>`` (from a proposal): that supplier is chosen; the own organisation too."""
        if request.method == "GET":
            own = current_organisation_id()
            if own is not None and "organisation" in form:
                form.organisation.data = db.session.get(Organisation, own)
            wanted = request.args.get("leverancier", type=int)
            if wanted:
                supplier = db.session.scalar(select(Organisation).where(Organisation.id == wanted,
                                                                        policy.approved_supplier_clause()))
                if supplier is not None:
                    form.supplier.data = supplier
        return super()._get_add_widget(form, exclude_cols=exclude_cols, widgets=widgets)


class QueueInterface(EagerInterface):
    """Open proposals with municipality, supplier and package in one query; computed columns per page.

    ``age`` (days since proposed), ``expires_on`` and ``has_user`` (the municipality has an
    active Gebruik-beheerder: one query per page) are no columns of the table.
    """

    COMPUTED = ("age", "expires_on", "has_user")
    eager = (Proposal.organisation, Proposal.supplier, Proposal.package)

    def _computed(self, item, col, with_user, today):
        if col == "age":
            return policy.age_in_days(item, today)
        if col == "expires_on":
            return policy.expiry_date(item)
        if col == "has_user":
            return "Ja" if item.organisation_id in with_user else "Nee, nog niet"
        return self._get_attr_value(item, col)

    def get_values(self, lst, list_columns):
        lst = list(lst)
        with_user = policy.organisations_with_active_user({p.organisation_id for p in lst})
        today = utcnow().date()
        for item in lst:
            yield {col: self._computed(item, col, with_user, today) for col in list_columns}

    def get_values_item(self, item, show_columns):
        with_user = policy.organisations_with_active_user({item.organisation_id})
        return [self._computed(item, col, with_user, utcnow().date()) for col in show_columns]


class ProposalQueueView(TenantModelView):
    datamodel = QueueInterface(Proposal)
    route_base = "/gebruiksvoorstellen-wachtrij"
    class_permission_name = "ProposalQueue"
    base_permissions = ["can_list", "can_show"]
    base_filters = [["state", FilterEqual, OPEN]]
    list_template = "f013/queue_list.html"
    list_title = QUEUE_MENU
    empty_message = "Er wachten geen voorstellen"
    show_title = "Openstaand gebruiksvoorstel"
    page_size = 50
    label_columns = {"proposed_on": "Voorgesteld op", "age": "Wacht (dagen)", "organisation": "Gemeente",
                     "has_user": "Gemeente heeft een beheerder", "supplier": "Leverancier", "package": "Pakket",
                     "expires_on": "Verloopt op", "note": "Toelichting van de leverancier"}
    list_columns = ["proposed_on", "age", "organisation", "has_user", "supplier", "package", "expires_on", "note"]
    show_columns = list_columns
    search_columns = ["proposed_on"]
    order_columns = ["proposed_on"]
    base_order = ("proposed_on", "asc")
    formatters_columns = {"proposed_on": _date, "expires_on": _date, "note": lambda v: v or ""}

    def _list(self, **kwargs):
        policy.expire_overdue()
        return super()._list(**kwargs)

    def _show(self, pk):
        policy.expire_overdue()
        return super()._show(pk)

    def render_template(self, template, **kwargs):
        if template == self.list_template:
            from flask import current_app

            kwargs["expiry_days"] = current_app.config[policy.EXPIRY_SETTING]
        return super().render_template(template, **kwargs)
