"""The pages of usage proposals, through the tenancy base class (the rules are in ``proposals``).

- ``SupplierProposalView`` (``/voorstellen``, tenant column ``supplier_id``): the
  supplier's sent proposals, the form to propose a usage of an own published package
  to a gemeente or samenwerking, and withdrawing an open proposal (Aanbod-beheerder).
- ``IncomingProposalView`` (``/gebruik/voorstellen``, tenant column ``organisation_id``):
  the proposals to the own municipality; the show page is the decision page: accept,
  correct and accept, or reject with a reason (Gebruik-beheerder; the Gebruik-raadpleger
  reads). The landscape page lists the open ones above the usages.

The Functioneel beheerder sees every proposal and can decide for a municipality.
"""

from __future__ import annotations

from flask import flash, g, redirect, request, url_for
from flask_appbuilder import expose
from flask_appbuilder.fieldwidgets import Select2Widget
from flask_appbuilder.security.decorators import has_access
from flask_wtf import FlaskForm
from sqlalchemy import select
from wtforms import HiddenField, TextAreaField, widgets
from wtforms.validators import Length, Optional

from core.catalogue.models import USAGE_STATUSES, Package, Version, label
from core.extensions import db
from core.form_fields import DutchDateField, DutchSelectField
from core.formatting import local_time
from core.parents import local_path
from core.tenancy import TenantModelView, current_organisation_id, current_user
from plugins.f013_gebruik import proposals
from plugins.f013_gebruik.forms import StatusSelectField
from plugins.f013_gebruik.models import OPEN, Proposal
from plugins.f013_gebruik.service import UsageRejected
from plugins.f013_gebruik.views import EagerInterface, _date, _text

NO_VERSION = ("", "Geen versie")


class ProposalInterface(EagerInterface):
    """Loads the organisations, package and version of a page of proposals in the same query (no N+1)."""

    eager = (Proposal.organisation, Proposal.supplier, Proposal.package, Proposal.version)


LABELS = {"organisation": "Gemeente of samenwerking", "supplier": "Leverancier", "package": "Pakket",
          "version": "Versie", "status": "Status", "status_date": "Statusdatum", "note": "Toelichting",
          "state": "Stand", "reason": "Reden", "proposed_on": "Voorgesteld op", "decided_on": "Afgehandeld op"}
FORMATTERS = {"status": lambda v: label(USAGE_STATUSES, v), "status_date": _date, "version": _text, "note": _text,
              "state": proposals.state_label, "reason": _text, "proposed_on": lambda v: local_time(v, empty=""),
              "decided_on": lambda v: local_time(v, empty="")}


# --- forms -----------------------------------------------------------------------------

class SearchableSelectWidget(Select2Widget):
    """FAB's searchable dropdown with a Dutch placeholder (the page gives its box the field's name)."""

    def __call__(self, field, **kwargs):
        kwargs["class"] = "my_select2 form-control"
        kwargs["data-placeholder"] = "Typ om te zoeken"
        return widgets.Select.__call__(self, field, **kwargs)


class ChoiceField(DutchSelectField):
    """A dropdown of ids; the rules check the chosen row again on save."""


class ProposeForm(FlaskForm):
    organisation = ChoiceField("Gemeente of samenwerking", widget=SearchableSelectWidget(),
                               description="Typ om te zoeken. Alleen goedgekeurde gemeenten en samenwerkingen.")
    package = ChoiceField("Pakket", description="Een gepubliceerd pakket van uw organisatie.")
    version = ChoiceField("Versie", description="Optioneel: de versie die de gemeente gebruikt.")
    status = StatusSelectField("Status", choices=list(USAGE_STATUSES), default="in_productie")
    status_date = DutchDateField("Statusdatum", validators=[Optional()],
                                 description="Sinds wanneer geldt deze status (of wanneer is die gepland).")
    note = TextAreaField("Toelichting", render_kw={"rows": 4},
                         validators=[Optional(), Length(max=2000, message="Maximaal 2.000 tekens.")],
                         description="Voor de gemeente: waarom u dit voorstelt. Bij een nieuw gebruik wordt dit de "
                                     "toelichting van het gebruik.")

    def fill(self, supplier_id, chosen_package_id=None) -> None:
        self.organisation.message = proposals.NOT_A_LANDSCAPE
        self.package.message = proposals.NOT_OWN_PACKAGE
        self.organisation.choices = [("", "Kies een gemeente of samenwerking")] + [
            (str(o.id), o.name) for o in proposals.landscape_organisations()]
        packages = proposals.own_packages(supplier_id)
        self.package.choices = [("", "Kies een pakket")] + [(str(p.id), p.name) for p in packages]
        wanted = [int(chosen_package_id)] if chosen_package_id and str(chosen_package_id).isdigit() else \
            [p.id for p in packages]
        self.version.message = "Kies een versie van het gekozen pakket, of geen versie."
        self.version.choices = [NO_VERSION] + [
            (str(v.id), f"{v.package.name} {v.name}" if len(wanted) > 1 else v.name)
            for v in proposals.versions_of_packages(wanted)]


class DecideForm(FlaskForm):
    #: "accepteren" (as proposed), "corrigeren" (accept with the fields below) or "afwijzen".
    besluit = HiddenField()
    version = ChoiceField("Versie", description="De versie die uw organisatie gebruikt.")
    status = StatusSelectField("Status", choices=list(USAGE_STATUSES))
    status_date = DutchDateField("Statusdatum", validators=[Optional()])
    reason = TextAreaField("Reden (optioneel)", render_kw={"rows": 3},
                           validators=[Optional(), Length(max=2000, message="Maximaal 2.000 tekens.")],
                           description="De leverancier krijgt deze reden in de e-mail over uw besluit.")

    def fill(self, proposal: Proposal) -> None:
        self.version.message = "Kies een versie van het pakket, of geen versie."
        self.version.choices = [NO_VERSION] + [(str(v.id), v.name) for v in db.session.scalars(
            select(Version).where(Version.package_id == proposal.package_id).order_by(Version.name))]
        if not self.is_submitted():
            self.version.data = str(proposal.version_id) if proposal.version_id else ""
            self.status.data = proposal.status
            self.status_date.data = proposal.status_date


# --- the supplier's side ---------------------------------------------------------------

class SupplierProposalView(TenantModelView):
    """Sent proposals of the own supplier; propose; withdraw an open one."""

    datamodel = ProposalInterface(Proposal)
    route_base = "/voorstellen"
    class_permission_name = "SupplierProposal"
    tenant_column = "supplier_id"
    base_permissions = ["can_list", "can_show", "can_add", "can_withdraw"]
    include_route_methods = {"list", "show", "add", "withdraw"}  # never edited or deleted
    list_template = "f013/proposal_sent_list.html"
    show_template = "f013/proposal_sent_show.html"
    list_title = "Voorgesteld gebruik"
    empty_message = "U hebt nog geen gebruik voorgesteld"
    show_title = "Voorstel"
    page_size = 50
    label_columns = LABELS
    formatters_columns = FORMATTERS
    list_columns = ["organisation", "package", "version", "status", "status_date", "note", "state", "proposed_on"]
    show_columns = ["organisation", "package", "version", "status", "status_date", "note", "state", "reason",
                    "proposed_on", "decided_on"]
    search_columns = ["state", "organisation", "package"]
    order_columns = ["state", "proposed_on"]
    base_order = ("proposed_on", "desc")

    def _supplier(self):
        user = current_user()
        org = getattr(user, "organisation", None)
        return org if org is not None and org.type == "leverancier" else None

    @expose("/add", methods=["GET", "POST"])
    @has_access
    def add(self):
        supplier = self._supplier()
        form = ProposeForm()
        wanted = request.args.get("pakket")
        package = None
        if wanted and supplier is not None:
            package = db.session.scalar(select(Package).where(Package.public_id == wanted,
                                                              proposals.own_package_clause(supplier.id)))
        form.fill(supplier.id if supplier else None, package.id if package else None)
        if request.method == "GET" and package is not None:
            form.package.data = str(package.id)
        back = local_path(request.args.get("next")) or url_for(".list")
        status = 200
        if supplier is None:
            flash(proposals.NOT_A_SUPPLIER, "warning")
        elif form.validate_on_submit():
            try:
                proposal = proposals.propose(
                    g.user, supplier, form.organisation.data or None, form.package.data or None,
                    version=form.version.data or None, status=form.status.data,
                    status_date=form.status_date.data, note=form.note.data)
            except UsageRejected as exc:
                db.session.rollback()
                form.form_errors.append(exc.message)
                status = 400
            else:
                flash(f"Uw voorstel is verstuurd naar {proposal.organisation.name}. Het telt pas mee als de "
                      "gemeente het accepteert.", "success")
                return redirect(back)
        elif form.is_submitted():
            status = 400
        return self.render_template("f013/proposal_add.html", form=form, title="Gebruik voorstellen aan een gemeente",
                                    back=back, supplier=supplier, package=package), status

    @expose("/intrekken/<int:pk>", methods=["GET", "POST"])
    @has_access
    def withdraw(self, pk):
        proposal = self.get_tenant_item(pk)
        if proposal is None:
            flash("Dit voorstel bestaat niet of u heeft er geen toegang toe.", "danger")
            return redirect(url_for(".list"))
        if request.method != "POST" or not FlaskForm().validate_on_submit():
            flash("Intrekken kan alleen met de knop op de pagina van het voorstel.", "warning")
            return redirect(url_for(".show", pk=pk))
        outcome = proposals.withdraw(proposal, g.user)
        if outcome.done:
            flash("Uw voorstel is ingetrokken.", "success")
        else:
            flash(outcome.message, "warning")
        return redirect(url_for(".show", pk=pk))

    def render_template(self, template, **kwargs):
        if template == self.show_template and "pk" in kwargs:
            kwargs["proposal"] = self.get_tenant_item(kwargs["pk"])
            kwargs["state_label"] = proposals.state_label
        return super().render_template(template, **kwargs)


# --- the municipality's side -----------------------------------------------------------

class IncomingProposalView(TenantModelView):
    """Proposals to the own municipality; the show page decides."""

    datamodel = ProposalInterface(Proposal)
    route_base = "/gebruik/voorstellen"
    class_permission_name = "IncomingProposal"
    base_permissions = ["can_list", "can_show", "can_decide"]
    include_route_methods = {"list", "show", "decide"}  # never edited or deleted
    list_template = "f013/proposal_incoming_list.html"
    list_title = "Voorstellen van leveranciers"
    empty_message = "Er zijn geen voorstellen van leveranciers"
    show_title = "Voorstel van een leverancier"
    page_size = 50
    label_columns = LABELS
    formatters_columns = FORMATTERS
    list_columns = ["supplier", "package", "version", "status", "status_date", "note", "state", "proposed_on",
                    "organisation"]
    search_columns = ["state", "supplier", "package", "organisation"]
    order_columns = ["state", "proposed_on"]
    base_order = ("proposed_on", "desc")

    def _render_decision(self, proposal: Proposal, form: DecideForm | None = None, status: int = 200):
        if form is None:
            form = DecideForm(formdata=None)
            form.fill(proposal)
        may_decide = proposal.state == OPEN and self.appbuilder.sm.has_access("can_decide", self.class_permission_name)
        return self.render_template(
            "f013/proposal_decide.html", proposal=proposal, form=form, may_decide=may_decide,
            title=f"Voorstel: {proposal.package.name}", state_label=proposals.state_label,
            status_label=lambda v: label(USAGE_STATUSES, v), own=current_organisation_id() == proposal.organisation_id,
            decided_usage=proposal.usage if proposal.usage_id else None), status

    def _not_found(self):
        flash("Dit voorstel bestaat niet of u heeft er geen toegang toe.", "danger")
        return redirect(url_for(".list"))

    @expose("/show/<int:pk>")
    @has_access
    def show(self, pk):
        proposal = self.get_tenant_item(pk)
        if proposal is None:
            return self._not_found()
        return self._render_decision(proposal)

    @expose("/besluit/<int:pk>", methods=["GET", "POST"])
    @has_access
    def decide(self, pk):
        proposal = self.get_tenant_item(pk)
        if proposal is None:
            return self._not_found()
        if request.method != "POST":
            flash("Besluiten kan alleen met de knoppen op deze pagina.", "warning")
            return redirect(url_for(".show", pk=pk))
        form = DecideForm()
        form.fill(proposal)
        choice = form.besluit.data
        counted = {"accepteren": (), "corrigeren": ("version", "status", "status_date"),
                   "afwijzen": ("reason",)}.get(choice)
        form.validate()
        for name in ("version", "status", "status_date", "reason"):
            if name not in (counted or ()):  # the fields of another choice do not count
                form[name].errors = []
        if counted is None:
            form.form_errors.append("Kies accepteren, corrigeren of afwijzen.")
        if form.csrf_token.errors:
            form.form_errors.append("De pagina was verlopen. Probeer het opnieuw.")
            form.csrf_token.errors = []
        if form.form_errors or any(form[name].errors for name in counted):
            return self._render_decision(proposal, form, 400)
        try:
            if choice == "afwijzen":
                outcome = proposals.reject(proposal, g.user, form.reason.data)
                done_text = "Het voorstel is afgewezen. De leverancier krijgt daarover een e-mail."
            elif choice == "corrigeren":
                outcome = proposals.accept(proposal, g.user, version=form.version.data or None,
                                           status=form.status.data, status_date=form.status_date.data)
                done_text = "Het voorstel is gecorrigeerd en geaccepteerd: het pakket staat in het applicatielandschap."
            else:
                outcome = proposals.accept(proposal, g.user)
                done_text = "Het voorstel is geaccepteerd: het pakket staat in het applicatielandschap."
        except UsageRejected as exc:
            db.session.rollback()
            form.form_errors.append(exc.message)
            return self._render_decision(proposals.get(pk), form, 400)
        flash(done_text if outcome.done else outcome.message, "success" if outcome.done else "warning")
        return redirect(url_for(".show", pk=pk))
