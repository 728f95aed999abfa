"""Usage proposals: a supplier proposes "gemeente X uses package P"; X accepts or rejects (no request handling).

The flow, shared by the pages and the REST API:

- ``propose``: an Aanbod-beheerder proposes a usage of one of its own *published*
  packages (optionally a version of it, a status, a status date and a note) to an
  approved gemeente or samenwerking. The proposal counts nowhere until it is accepted;
  the municipality's Gebruik-beheerders get an e-mail. When the municipality uses the
  package already, the proposal is a change of version, status or status date of that
  usage; a proposal that would change none of those is refused (there is nothing to
  accept). The note is the supplier's explanation; it becomes the note of a *new*
  usage, and never overwrites the municipality's own note of an existing one.
- ``accept`` (optionally with corrected version, status or status date) adds or
  changes the usage through ``service.record_added`` / ``record_changed``, so the
  usage's history says it came from a proposal of the supplier and UsageAdded /
  UsageChanged follow; ``reject`` takes an optional reason; ``withdraw`` is the
  supplier's, while the proposal is open. The supplier's Aanbod-beheerders get an
  e-mail of a decision.
- Every transition is one conditional ``UPDATE ... WHERE state = 'open'``: of an
  accept and a withdraw at the same moment exactly one wins; the other is told the
  final state ("Dit voorstel is ingetrokken").

Every transition is audited (``audit.record``) and emitted as a core event
(ProposalMade, ProposalDecided, ProposalWithdrawn), in the transaction of the change.
"""

from __future__ import annotations

import datetime as dt
import logging
from dataclasses import dataclass

from flask import url_for
from sqlalchemy import select, update
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import joinedload

from core import audit, mail
from core.catalogue.access import is_public, public_package_clause
from core.catalogue.models import USAGE_STATUSES, Package, Usage, Version, label
from core.events import ProposalDecided, ProposalMade, ProposalWithdrawn, emit
from core.extensions import db
from core.models import Membership, Organisation, OrganisationStatus, ScgUser, utcnow
from core.roles import AANBOD_BEHEERDER, GEBRUIK_BEHEERDER
from plugins.f013_gebruik import proposal_policy, service
from plugins.f013_gebruik.models import OPEN, PROPOSAL_STATES, Proposal
from plugins.f013_gebruik.service import UsageRejected

log = logging.getLogger(__name__)

ACCEPTED, REJECTED, WITHDRAWN = "geaccepteerd", "afgewezen", "ingetrokken"

NOT_A_SUPPLIER = "Alleen een leverancier kan gebruik voorstellen."
NOT_OWN_PACKAGE = "U kunt alleen gebruik voorstellen van een gepubliceerd pakket van uw eigen organisatie."
PACKAGE_REQUIRED = "Kies het pakket waarvan u het gebruik voorstelt."
ORGANISATION_REQUIRED = "Kies de gemeente of samenwerking die het pakket gebruikt."
NOT_A_LANDSCAPE = "Kies een goedgekeurde gemeente of samenwerking uit de lijst."
WRONG_VERSION = "Kies een versie van {package}, of geen versie."
ALREADY_OPEN = "Er staat al een voorstel open voor {package} bij {organisation}. Wacht op het besluit of trek het in."
NOTHING_TO_CHANGE = ("{organisation} gebruikt {package} al met deze versie, status en statusdatum. "
                     "Er is niets om voor te stellen.")
REASON_TOO_LONG = "De reden mag maximaal 2.000 tekens zijn."
NOTE_TOO_LONG = "De toelichting mag maximaal 2.000 tekens zijn."
#: What a decision or withdrawal on a proposal that is no longer open says.
NOT_OPEN = {
    ACCEPTED: "Dit voorstel is al geaccepteerd.",
    REJECTED: "Dit voorstel is al afgewezen.",
    WITHDRAWN: "Dit voorstel is ingetrokken door de leverancier.",
    "verlopen": "Dit voorstel is verlopen.",
}


@dataclass(frozen=True)
class Outcome:
    """The result of a transition: ``done`` when this call made it; else ``message`` says why not."""

    done: bool
    state: str
    message: str


def state_label(value: str) -> str:
    return label(PROPOSAL_STATES, value)


def proposed_by_text(proposal: Proposal) -> str:
    """How the landscape and the history name a proposal: "voorgesteld door <leverancier>"."""
    return f"voorgesteld door {proposal.supplier.name}"


# --- who may choose what -----------------------------------------------------------

def landscape_organisation_clause():
    """SQL condition on Organisation: an approved gemeente or samenwerking (proposals go there)."""
    return Organisation.type.in_(service.LANDSCAPE_TYPES) & (
        Organisation.status == OrganisationStatus.goedgekeurd.value)


def own_package_clause(supplier_id: int | None):
    """SQL condition on Package: a published package of the supplier."""
    return (Package.organisation_id == (supplier_id if supplier_id is not None else -1)) & public_package_clause()


def landscape_organisations() -> list[Organisation]:
    return list(db.session.scalars(select(Organisation).where(landscape_organisation_clause())
                                   .order_by(Organisation.name)))


def own_packages(supplier_id: int | None) -> list[Package]:
    return list(db.session.scalars(select(Package).where(own_package_clause(supplier_id)).order_by(Package.name)))


def versions_of_packages(package_ids) -> list[Version]:
    if not package_ids:
        return []
    return list(db.session.scalars(select(Version).options(joinedload(Version.package))
                                   .where(Version.package_id.in_(list(package_ids)))
                                   .order_by(Version.package_id, Version.name)))


# --- people to mail ------------------------------------------------------------------

def _emails(organisation_id: int, role_name: str) -> list[str]:
    return list(db.session.scalars(
        select(ScgUser.email).join(Membership, Membership.user_id == ScgUser.id)
        .where(Membership.organisation_id == organisation_id, Membership.active.is_(True),
               Membership.role_name == role_name, ScgUser.active.is_(True))
        .order_by(ScgUser.email)))


def _send(to: list[str], subject: str, template: str, **context) -> bool:
    """Put a mail in the outbox (sent after the caller's commit, retried when the server fails);
    a mail that cannot be made is logged and reported as False, never a 500."""
    if not to:
        return False
    try:
        mail.send(to, subject, template, **context)
    except Exception:  # noqa: BLE001 - the change is committed; a mail problem must not break the request
        log.exception("E-mail %r aan %s kon niet worden verstuurd", subject, to)
        return False
    return True


# --- proposing -------------------------------------------------------------------------

def _load(model, value):
    """``value``: a row, an id or None."""
    if value is None or value == "" or isinstance(value, model):
        return value or None
    try:
        return db.session.get(model, int(value))
    except (TypeError, ValueError):
        return None


def _clean_note(note, message: str) -> str | None:
    note = (note if isinstance(note, str) else "").strip() or None
    if note is not None and len(note) > 2000:
        raise UsageRejected(message)
    return note


def check_proposal(supplier, organisation, package, version, status: str, status_date) -> Usage | None:
    """Every rule of a new proposal (raises ``UsageRejected``); returns the usage it would change, if any."""
    if supplier is None or supplier.type != "leverancier":
        raise UsageRejected(NOT_A_SUPPLIER)
    if package is None:
        raise UsageRejected(PACKAGE_REQUIRED)
    if package.organisation_id != supplier.id or not is_public(package):
        raise UsageRejected(NOT_OWN_PACKAGE)
    if organisation is None:
        raise UsageRejected(ORGANISATION_REQUIRED)
    if organisation.type not in service.LANDSCAPE_TYPES or \
            organisation.status != OrganisationStatus.goedgekeurd.value:
        raise UsageRejected(NOT_A_LANDSCAPE)
    if version is not None and version.package_id != package.id:
        raise UsageRejected(WRONG_VERSION.format(package=package.name))
    if status not in service.STATUS_VALUES:
        raise UsageRejected(service.STATUS_REQUIRED)
    if open_proposal(organisation.id, package.id) is not None:
        raise UsageRejected(ALREADY_OPEN.format(package=package.name, organisation=organisation.name))
    usage = service.existing_usage(organisation.id, package.id)
    if usage is not None and usage.version_id == (version.id if version else None) and \
            usage.status == status and usage.status_date == status_date:
        raise UsageRejected(NOTHING_TO_CHANGE.format(organisation=organisation.name, package=package.name))
    proposal_policy.check_may_propose(organisation, supplier, package)
    return usage


def open_proposal(organisation_id: int, package_id: int) -> Proposal | None:
    return db.session.scalar(select(Proposal).filter_by(organisation_id=organisation_id, package_id=package_id,
                                                        state=OPEN))


def propose(actor, supplier, organisation, package, version=None, status: str = "in_productie", status_date=None,
            note: str | None = None) -> Proposal:
    """Make a proposal (commits); raises ``UsageRejected`` with a Dutch message when a rule forbids it.

    ``organisation``, ``package`` and ``version`` may be rows or ids (from a form or JSON).
    """
    organisation = _load(Organisation, organisation)
    package = _load(Package, package)
    version = _load(Version, version)
    if isinstance(status_date, str):
        try:
            status_date = dt.date.fromisoformat(status_date) if status_date else None
        except ValueError:
            raise UsageRejected("Vul de statusdatum in als jjjj-mm-dd.") from None
    note = _clean_note(note, NOTE_TOO_LONG)
    with db.session.no_autoflush:
        check_proposal(supplier, organisation, package, version, status, status_date)
    proposal = Proposal(organisation_id=organisation.id, supplier_id=supplier.id, package_id=package.id,
                        version_id=version.id if version else None, status=status, status_date=status_date,
                        note=note, state=OPEN, proposed_by_id=getattr(actor, "id", None))
    db.session.add(proposal)
    try:
        db.session.flush()
    except IntegrityError:  # an open proposal for this package came in at the same moment
        db.session.rollback()
        raise UsageRejected(ALREADY_OPEN.format(package=package.name, organisation=organisation.name)) from None
    audit.record(db.session, "gebruik_voorstellen", object_type="Proposal", object_id=proposal.id,
                 organisation_id=supplier.id, user=actor,
                 details={"gemeente": organisation.name, "pakket": package.name})
    emit(ProposalMade(proposal_id=proposal.id, organisation_id=organisation.id, supplier_id=supplier.id,
                      package_id=package.id, day=dt.date.today(), actor_id=getattr(actor, "id", None)))
    db.session.flush()
    proposal = get(proposal.id)
    _send(_emails(organisation.id, GEBRUIK_BEHEERDER),
          f"{supplier.name} stelt voor: {organisation.name} gebruikt {package.name}", "f013_proposal_made",
          proposal=proposal, status_label=label(USAGE_STATUSES, proposal.status),
          link=mail.absolute_url(url_for("IncomingProposalView.show", pk=proposal.id)))
    db.session.commit()  # the proposal and its mail (outbox) together
    return proposal


def add_proposal(actor, supplier, organisation, package, version, status: str, status_date) -> Proposal:
    """Make a proposal in the caller's transaction (no commit; an import): the rules of ``propose`` apply
    (raises ``UsageRejected``). No e-mail per proposal: the municipality finds them under "Voorstellen van
    leveranciers" (an import may hold hundreds)."""
    with db.session.no_autoflush:
        check_proposal(supplier, organisation, package, version, status, status_date)
    proposal = Proposal(organisation_id=organisation.id, supplier_id=supplier.id, package_id=package.id,
                        version_id=version.id if version else None, status=status, status_date=status_date,
                        state=OPEN, proposed_by_id=getattr(actor, "id", None))
    try:
        with db.session.begin_nested():
            db.session.add(proposal)
    except IntegrityError:  # an open proposal for this package came in at the same moment
        raise UsageRejected(ALREADY_OPEN.format(package=package.name, organisation=organisation.name)) from None
    audit.record(db.session, "gebruik_voorstellen", object_type="Proposal", object_id=proposal.id,
                 organisation_id=supplier.id, user=actor,
                 details={"gemeente": organisation.name, "pakket": package.name, "via": "import"})
    emit(ProposalMade(proposal_id=proposal.id, organisation_id=organisation.id, supplier_id=supplier.id,
                      package_id=package.id, day=dt.date.today(), actor_id=getattr(actor, "id", None)))
    return proposal


def get(pk) -> Proposal | None:
    return db.session.scalar(select(Proposal).where(Proposal.id == pk).options(
        joinedload(Proposal.organisation), joinedload(Proposal.supplier), joinedload(Proposal.package),
        joinedload(Proposal.version), joinedload(Proposal.usage)).execution_options(populate_existing=True))


def open_for_organisation(organisation_id: int | None) -> list[Proposal]:
    """The open proposals to a municipality (for its landscape page), newest first."""
    if organisation_id is None:
        return []
    return list(db.session.scalars(
        select(Proposal).where(Proposal.organisation_id == organisation_id, Proposal.state == OPEN)
        .options(joinedload(Proposal.supplier), joinedload(Proposal.package), joinedload(Proposal.version))
        .order_by(Proposal.proposed_on.desc(), Proposal.id.desc())))


# --- the transitions -------------------------------------------------------------------

def _close(proposal: Proposal, state: str, actor, reason: str | None = None) -> Outcome:
    """The one conditional UPDATE: ``open`` -> ``state``. On a lost race nothing is changed."""
    # (a withdrawal records its moment and person in decided_on/decided_by too)
    values = {"state": state, "decided_on": utcnow(), "decided_by_id": getattr(actor, "id", None), "reason": reason}
    result = db.session.execute(
        update(Proposal).where(Proposal.id == proposal.id, Proposal.state == OPEN).values(**values)
        .execution_options(synchronize_session=False))
    if result.rowcount != 1:
        db.session.rollback()
        current = db.session.scalar(select(Proposal.state).where(Proposal.id == proposal.id)) or WITHDRAWN
        return Outcome(False, current, NOT_OPEN.get(current, "Dit voorstel is niet meer open."))
    return Outcome(True, state, "")


def _event_fields(proposal: Proposal) -> dict:
    return {"proposal_id": proposal.id, "organisation_id": proposal.organisation_id,
            "supplier_id": proposal.supplier_id, "package_id": proposal.package_id, "day": dt.date.today()}


def _mail_supplier(proposal: Proposal, subject: str, template: str, **context) -> bool:
    return _send(_emails(proposal.supplier_id, AANBOD_BEHEERDER), subject, template, proposal=proposal,
                 link=mail.absolute_url(url_for("SupplierProposalView.show", pk=proposal.id)), **context)


def accept(proposal: Proposal, actor, version=..., status: str | None = None, status_date=...) -> Outcome:
    """Accept, optionally with a corrected version, status or status date (``...``: as proposed).

    Adds the usage, or changes the existing one, with its history and events. Commits.
    """
    version = proposal.version if version is ... else _load(Version, version)
    status = status or proposal.status
    status_date = proposal.status_date if status_date is ... else status_date
    if version is not None and version.package_id != proposal.package_id:
        raise UsageRejected(WRONG_VERSION.format(package=proposal.package.name))
    if status not in service.STATUS_VALUES:
        raise UsageRejected(service.STATUS_REQUIRED)
    corrected = [name for name, changed in (
        ("versie", version != proposal.version), ("status", status != proposal.status),
        ("statusdatum", status_date != proposal.status_date)) if changed]
    proposal_id, supplier_name = proposal.id, proposal.supplier.name
    outcome = _close(proposal, ACCEPTED, actor)
    if not outcome.done:
        return outcome
    proposal = get(proposal_id)
    via = f"voorstel van {supplier_name}"
    usage = service.existing_usage(proposal.organisation_id, proposal.package_id)
    if usage is None:
        usage = Usage(organisation_id=proposal.organisation_id, package_id=proposal.package_id, version=version,
                      status=status, status_date=status_date, description=proposal.note)
        usage.organisation, usage.package = proposal.organisation, proposal.package
        db.session.add(usage)
        service.record_added(usage, via=via)
    else:
        before = service.snapshot(usage)
        usage.version, usage.status, usage.status_date = version, status, status_date
        service.record_changed(usage, before, via=via)
    db.session.flush()
    proposal.usage_id = usage.id
    audit.record(db.session, "voorstel_accepteren", object_type="Proposal", object_id=proposal.id,
                 organisation_id=proposal.organisation_id, user=actor,
                 details={"leverancier": supplier_name, "pakket": proposal.package.name,
                          "gecorrigeerd": ", ".join(corrected) or "niets"})
    emit(ProposalDecided(**_event_fields(proposal), outcome=ACCEPTED, actor_id=getattr(actor, "id", None)))
    db.session.flush()
    proposal = get(proposal_id)
    _mail_supplier(proposal, f"{proposal.organisation.name} heeft uw voorstel geaccepteerd",
                   "f013_proposal_decided", accepted=True, corrected=corrected, usage=proposal.usage,
                   status_label=label(USAGE_STATUSES, proposal.usage.status))
    db.session.commit()
    return outcome


def reject(proposal: Proposal, actor, reason: str | None = None) -> Outcome:
    """Reject with an optional reason. Commits."""
    reason = _clean_note(reason, REASON_TOO_LONG)
    proposal_id = proposal.id
    outcome = _close(proposal, REJECTED, actor, reason=reason)
    if not outcome.done:
        return outcome
    proposal = get(proposal_id)
    audit.record(db.session, "voorstel_afwijzen", object_type="Proposal", object_id=proposal.id,
                 organisation_id=proposal.organisation_id, user=actor,
                 details={"leverancier": proposal.supplier.name, "pakket": proposal.package.name,
                          "reden": reason or ""})
    emit(ProposalDecided(**_event_fields(proposal), outcome=REJECTED, actor_id=getattr(actor, "id", None)))
    db.session.flush()
    proposal = get(proposal_id)
    _mail_supplier(proposal, f"{proposal.organisation.name} heeft uw voorstel afgewezen", "f013_proposal_decided",
                   accepted=False, corrected=[], usage=None, status_label="")
    db.session.commit()
    return outcome


def withdraw(proposal: Proposal, actor) -> Outcome:
    """The supplier withdraws its open proposal. Commits."""
    proposal_id = proposal.id
    outcome = _close(proposal, WITHDRAWN, actor)
    if not outcome.done:
        return outcome
    proposal = get(proposal_id)
    audit.record(db.session, "voorstel_intrekken", object_type="Proposal", object_id=proposal.id,
                 organisation_id=proposal.supplier_id, user=actor,
                 details={"gemeente": proposal.organisation.name, "pakket": proposal.package.name})
    emit(ProposalWithdrawn(**_event_fields(proposal), actor_id=getattr(actor, "id", None)))
    db.session.commit()
    return outcome
