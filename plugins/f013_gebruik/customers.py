"""Klantoverzicht: the supplier's customers, per own package.

Per package of the supplier (the package's owner is the supplier's organisation): the
organisations that use it (name, status, version, since when: the first history entry
of the usage), the open proposals and the rejected ones with the municipality's reason,
each with totals, and per customer the reference state. The supplier sees nothing else
of those organisations: no note of the usage, no other usage, no koppeling.

Tenancy is explicit (this is not a model view): the rows are those of packages whose
``organisation_id`` is the user's own organisation; the Functioneel beheerder (no
organisation of his own) chooses a supplier. The page reads a fixed number of
statements: packages, usages, references, proposals.
"""

from __future__ import annotations

import io as _io
from dataclasses import dataclass, field

from flask import abort, flash, redirect, request, send_file, url_for
from flask_appbuilder import BaseView, expose
from flask_appbuilder.security.decorators import has_access
from flask_wtf import FlaskForm
from sqlalchemy import func, select
from sqlalchemy.orm import joinedload
from wtforms import RadioField

from core import io as core_io
from core import spreadsheets
from core.catalogue.models import ACTIVE_USAGE_STATUSES, USAGE_STATUSES, Package, Usage, Version, label
from core.extensions import db
from core.models import Organisation
from core.tenancy import current_organisation_id, current_user, sees_all_organisations
from plugins.f013_gebruik.models import Proposal, Reference, UsageChange

REJECTED = "afgewezen"
OPEN = "open"
FORMATS = {"xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
           "csv": "text/csv; charset=utf-8"}


@dataclass
class Customer:
    usage_id: int
    name: str
    status: str
    version: str | None
    since: object  # datetime of the first history entry, or None
    reference: Reference | None = None

    @property
    def active(self) -> bool:
        return self.status in ACTIVE_USAGE_STATUSES

    @property
    def status_label(self) -> str:
        return label(USAGE_STATUSES, self.status)

    @property
    def reference_state(self) -> str:
        ref = self.reference
        if ref is not None and ref.opted_in and self.active:
            return "Referentie"
        if ref is not None and ref.asked_on is not None and not ref.opted_in:
            return "Gevraagd, nog geen referentie"
        return "Geen referentie"


@dataclass
class ProposalRow:
    id: int
    name: str
    state: str
    proposed_on: object
    decided_on: object
    reason: str | None


@dataclass
class PackageCustomers:
    package: Package
    customers: list[Customer] = field(default_factory=list)
    open_proposals: list[ProposalRow] = field(default_factory=list)
    rejected: list[ProposalRow] = field(default_factory=list)

    @property
    def active_count(self) -> int:
        return sum(1 for c in self.customers if c.active)

    @property
    def ended_count(self) -> int:
        return sum(1 for c in self.customers if not c.active)

    @property
    def reference_count(self) -> int:
        return sum(1 for c in self.customers if c.reference_state == "Referentie")


def overview(supplier_id: int | None) -> list[PackageCustomers]:
    """The klantoverzicht of ``supplier_id``: one entry per own package, by name (4 statements)."""
    if supplier_id is None:
        return []
    packages = list(db.session.scalars(select(Package).where(Package.organisation_id == supplier_id)
                                       .order_by(func.lower(Package.name), Package.id)))
    sections = {p.id: PackageCustomers(p) for p in packages}
    if not sections:
        return []
    ids = list(sections)
    since = (select(UsageChange.usage_id, func.min(UsageChange.changed_on).label("since"))
             .group_by(UsageChange.usage_id).subquery("since"))
    # Only the columns the page shows: never the usage's note.
    rows = db.session.execute(
        select(Usage.id, Usage.package_id, Usage.status, Organisation.name, Version.name.label("version"),
               since.c.since)
        .join(Organisation, Organisation.id == Usage.organisation_id)
        .outerjoin(Version, Version.id == Usage.version_id)
        .outerjoin(since, since.c.usage_id == Usage.id)
        .where(Usage.package_id.in_(ids))
        .order_by(func.lower(Organisation.name), Usage.id)).all()
    references = {r.usage_id: r for r in db.session.scalars(
        select(Reference).where(Reference.package_id.in_(ids)))}
    for row in rows:
        sections[row.package_id].customers.append(Customer(row.id, row.name, row.status, row.version, row.since,
                                                           references.get(row.id)))
    proposals = db.session.execute(
        select(Proposal.id, Proposal.package_id, Proposal.state, Proposal.proposed_on, Proposal.decided_on,
               Proposal.reason, Organisation.name)
        .join(Organisation, Organisation.id == Proposal.organisation_id)
        .where(Proposal.package_id.in_(ids), Proposal.supplier_id == supplier_id,
               Proposal.state.in_((OPEN, REJECTED)))
        .order_by(Proposal.proposed_on.desc(), Proposal.id.desc())).all()
    for p in proposals:
        row = ProposalRow(p.id, p.name, p.state, p.proposed_on, p.decided_on, p.reason)
        target = sections[p.package_id]
        (target.open_proposals if p.state == OPEN else target.rejected).append(row)
    return list(sections.values())


def own_usage(usage_id: int, supplier_id: int | None) -> Usage | None:
    """A usage of one of the supplier's own packages, or None."""
    if supplier_id is None:
        return None
    return db.session.scalar(
        select(Usage).join(Package, Package.id == Usage.package_id)
        .where(Usage.id == usage_id, Package.organisation_id == supplier_id)
        .options(joinedload(Usage.package).joinedload(Package.organisation), joinedload(Usage.organisation)))


# --- the page ------------------------------------------------------------------------------
class ExportForm(FlaskForm):
    formaat = RadioField("Formaat", choices=[("xlsx", "Excel (.xlsx)"), ("csv", "CSV (.csv), puntkomma-gescheiden")],
                         default="xlsx", validate_choice=False)


class AskForm(FlaskForm):
    """Only the CSRF token."""


def _suppliers() -> list[tuple[int, str]]:
    return [(r.id, r.name) for r in db.session.execute(
        select(Organisation.id, Organisation.name).where(Organisation.type == "leverancier")
        .order_by(Organisation.name))]


class CustomerView(BaseView):
    """Klantoverzicht of the supplier's Aanbod-beheerder."""

    route_base = "/klanten"
    default_view = "index"
    class_permission_name = "Klantoverzicht"
    method_permission_name = {"index": "list", "export": "export", "ask": "ask"}

    def _supplier_id(self) -> int | None:
        """The supplier whose customers are shown: the own organisation; the Functioneel beheerder chooses one."""
        own = current_organisation_id()
        if own is not None:
            return own
        if sees_all_organisations():
            wanted = request.values.get("leverancier", "")
            if wanted.isdigit() and db.session.scalar(select(Organisation.id).where(
                    Organisation.id == int(wanted), Organisation.type == "leverancier")) is not None:
                return int(wanted)
        return None

    @expose("/")
    @has_access
    def index(self):
        supplier_id = self._supplier_id()
        sections = overview(supplier_id)
        user = current_user()
        return self.render_template(
            "f013/customers.html", sections=sections, supplier_id=supplier_id,
            supplier=db.session.get(Organisation, supplier_id) if supplier_id else None,
            choose=_suppliers() if current_organisation_id(user) is None and sees_all_organisations(user) else None,
            may_ask=current_organisation_id(user) is not None and supplier_id == current_organisation_id(user),
            export_form=ExportForm(), ask_form=AskForm(), title="Klantoverzicht",
            totals={"packages": len(sections), "active": sum(s.active_count for s in sections),
                    "open": sum(len(s.open_proposals) for s in sections),
                    "rejected": sum(len(s.rejected) for s in sections),
                    "references": sum(s.reference_count for s in sections)})

    def _back(self, supplier_id=None):
        if supplier_id is not None and current_organisation_id() is None:
            return url_for(".index", leverancier=supplier_id)
        return url_for(".index")

    @expose("/exporteren", methods=["POST"])
    @has_access
    def export(self):
        from plugins.f013_gebruik.io import CUSTOMERS

        form = ExportForm()
        supplier_id = self._supplier_id()
        if not form.validate_on_submit() or form.formaat.data not in FORMATS:
            flash("Kies Excel of CSV en probeer het opnieuw.", "danger")
            return redirect(self._back(supplier_id))
        if supplier_id is None:
            flash("Kies eerst een leverancier.", "danger")
            return redirect(self._back())
        user = current_user()
        try:
            org_id = core_io.export_organisation(user, supplier_id)
            out = _io.BytesIO()
            if form.formaat.data == "xlsx":
                rows = spreadsheets.write_xlsx([(CUSTOMERS, CUSTOMERS.iter_rows(user, org_id))], out)
            else:
                rows = spreadsheets.write_csv(CUSTOMERS, CUSTOMERS.iter_rows(user, org_id), out)
        except PermissionError as exc:  # core.io.NotAllowed too
            flash(str(exc), "danger")
            return redirect(self._back(supplier_id))
        core_io.record_export(user, [CUSTOMERS], org_id, rows, form.formaat.data)
        out.seek(0)
        org = db.session.get(Organisation, org_id)
        response = send_file(out, mimetype=FORMATS[form.formaat.data], as_attachment=True,
                             download_name=f"klanten-{_slug(org.name)}.{form.formaat.data}", max_age=0)
        response.headers["Cache-Control"] = "no-store"
        return response

    @expose("/referentie/<int:pk>", methods=["POST"])
    @has_access
    def ask(self, pk):
        """Vraag als referentie: only the supplier itself asks (it mails the customer in its name)."""
        from plugins.f013_gebruik import references

        usage = own_usage(pk, current_organisation_id())
        if usage is None:
            abort(404)
        if not AskForm().validate_on_submit():
            flash("Het formulier is verlopen. Probeer het opnieuw.", "danger")
            return redirect(self._back())
        reference = references.reference_of(usage.id)
        if reference is not None and reference.opted_in:
            flash(f"{usage.organisation.name} is al referentie voor {usage.package.name}.", "info")
            return redirect(self._back())
        try:
            references.ask(usage)
        except ValueError as exc:
            db.session.rollback()
            flash(str(exc), "danger")
            return redirect(self._back())
        flash(f"{usage.organisation.name} krijgt een e-mail met de vraag of zij referentie wil zijn voor "
              f"{usage.package.name}.", "success")
        return redirect(self._back())


def _slug(text: str) -> str:
    import re

    return re.sub(r"[^a-z0-9]+", "-", text.lower()).strip("-")[:60] or "leverancier"
