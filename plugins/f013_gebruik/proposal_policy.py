"""The rules around usage proposals that are not the propose/decide flow itself.

Interface used by ``plugins.f013_gebruik.proposals`` (the flow) and its pages:

- ``check_may_propose(organisation, supplier, package)``: raises
  ``plugins.f013_gebruik.service.UsageRejected`` with a Dutch message when the
  municipality blocks the supplier, or the supplier proposes the same package again
  within the re-propose period after a rejection.
- ``expire_overdue()``: open proposals older than ``F013_PROPOSAL_EXPIRY_DAYS`` become
  ``verlopen`` (one conditional UPDATE; nothing else happens when none is overdue).
  Call it before a page reads proposals, so that nobody sees an overdue proposal as open;
  ``flask scg voorstellen-verlopen`` runs it too (daily, from cron).

Decisions:

- A block closes the supplier's open proposals to that municipality: they become
  ``afgewezen`` (by the person who set the block) with the reason ``BLOCKED_REASON``.
  Those count as rejections for the re-propose period, also after the block is lifted.
- Only a rejection (``afgewezen``) starts the re-propose period; an expired, withdrawn or
  lapsed proposal may be made again at once.
- A proposal to a municipality without an active Gebruik-beheerder simply waits (and
  expires like any other); VNG sees it in the queue (``ProposalQueueView``).
- A package that is unpublished, or merged away as a duplicate when the municipality
  already uses the survivor or has an open proposal for it, closes its open proposals
  with the state ``vervallen`` and a reason (nobody decided: the catalogue changed).
  Otherwise a merge moves the open proposals to the survivor (with their version: the
  duplicate's versions moved to the survivor too). Closed proposals move along, so the
  re-propose period keeps counting on the survivor.
"""

from __future__ import annotations

import datetime as dt
import logging

from flask import current_app
from sqlalchemy import exists, select, update
from sqlalchemy.orm import joinedload

from core import audit
from core.catalogue.models import Usage
from core.events import ProposalDecided, emit
from core.extensions import db
from core.models import Membership, Organisation, ScgUser, utcnow
from core.roles import AANBOD_BEHEERDER, GEBRUIK_BEHEERDER
from plugins.f013_gebruik.models import OPEN, Proposal, ProposalBlock

log = logging.getLogger(__name__)

REPROPOSE_SETTING = "F013_REPROPOSE_AFTER_DAYS"
EXPIRY_SETTING = "F013_PROPOSAL_EXPIRY_DAYS"
DEFAULTS = {REPROPOSE_SETTING: 90, EXPIRY_SETTING: 60}

REJECTED = "afgewezen"
EXPIRED = "verlopen"
LAPSED = "vervallen"

BLOCKED = "Deze gemeente ontvangt geen voorstellen van uw organisatie."
BLOCKED_REASON = "De gemeente ontvangt geen voorstellen meer van uw organisatie."
TOO_SOON = ("{organisation} heeft dit voorstel op {rejected} afgewezen. U kunt {package} vanaf {allowed} "
            "opnieuw voorstellen.")
EXPIRED_REASON = "De gemeente heeft niet binnen {days} dagen gereageerd."
UNPUBLISHED_REASON = "Het pakket is niet meer gepubliceerd."
MERGED_REASON = "Het pakket is samengevoegd met {survivor}, dat de gemeente al gebruikt of voorgesteld kreeg."


def _id(value):
    return getattr(value, "id", value)


def _day(value: dt.date | dt.datetime) -> str:
    return value.strftime("%d-%m-%Y")


def _setting(name: str) -> int:
    return int(current_app.config.get(name, DEFAULTS[name]))


def is_blocked(organisation_id: int, supplier_id: int) -> bool:
    return bool(db.session.scalar(select(exists().where(ProposalBlock.organisation_id == organisation_id,
                                                        ProposalBlock.supplier_id == supplier_id))))


def reproposable_from(organisation_id: int, supplier_id: int, package_id: int) -> dt.date | None:
    """The first day the supplier may propose the package again, when a recent rejection forbids it today."""
    days = _setting(REPROPOSE_SETTING)
    if days <= 0:
        return None
    last = db.session.scalar(
        select(Proposal.decided_on).where(Proposal.organisation_id == organisation_id,
                                          Proposal.supplier_id == supplier_id, Proposal.package_id == package_id,
                                          Proposal.state == REJECTED, Proposal.decided_on.isnot(None))
        .order_by(Proposal.decided_on.desc()).limit(1))
    if last is None:
        return None
    allowed = (last + dt.timedelta(days=days)).date()
    return allowed if allowed > utcnow().date() else None


def check_may_propose(organisation, supplier, package) -> None:
    """Refuse a proposal the policy forbids (raise ``UsageRejected``); see the module docstring.

    The block message says no more than that: not since when, nor by whom.
    """
    from plugins.f013_gebruik.service import UsageRejected

    org_id, supplier_id, package_id = _id(organisation), _id(supplier), _id(package)
    if is_blocked(org_id, supplier_id):
        raise UsageRejected(BLOCKED)
    allowed = reproposable_from(org_id, supplier_id, package_id)
    if allowed is not None:
        last = db.session.scalar(
            select(Proposal).where(Proposal.organisation_id == org_id, Proposal.supplier_id == supplier_id,
                                   Proposal.package_id == package_id, Proposal.state == REJECTED)
            .order_by(Proposal.decided_on.desc()).limit(1))
        raise UsageRejected(TOO_SOON.format(organisation=last.organisation.name, rejected=_day(last.decided_on),
                                            package=last.package.name, allowed=_day(allowed)))


# --- closing proposals -------------------------------------------------------
def _decided(proposal: Proposal, outcome: str, actor_id: int | None = None) -> None:
    emit(ProposalDecided(proposal_id=proposal.id, organisation_id=proposal.organisation_id,
                         supplier_id=proposal.supplier_id, package_id=proposal.package_id, day=utcnow().date(),
                         outcome=outcome, actor_id=actor_id))


def close(proposal: Proposal, state: str, reason: str, actor_id: int | None = None) -> None:
    """Close an open proposal (no commit): the ORM change is audited, the event emitted."""
    proposal.state = state
    proposal.reason = reason
    proposal.decided_on = utcnow()
    proposal.decided_by_id = actor_id
    _decided(proposal, state, actor_id)


def close_for_block(block: ProposalBlock, actor_id: int | None) -> int:
    """The supplier's open proposals to the blocking municipality are rejected (no commit)."""
    rows = db.session.scalars(select(Proposal).where(Proposal.organisation_id == block.organisation_id,
                                                     Proposal.supplier_id == block.supplier_id,
                                                     Proposal.state == OPEN)).all()
    for proposal in rows:
        close(proposal, REJECTED, BLOCKED_REASON, actor_id)
    return len(rows)


def expiry_date(proposal: Proposal) -> dt.date:
    return (proposal.proposed_on + dt.timedelta(days=_setting(EXPIRY_SETTING))).date()


def expire_overdue(commit: bool = True) -> int:
    """Open proposals older than the expiry period become ``verlopen``; returns how many.

    One conditional UPDATE ... RETURNING (cheap when none is overdue, and each row is
    expired by exactly one caller when two run at once); then per expired proposal the
    ``ProposalDecided`` event (outcome "verlopen"), an audit row and a mail to the
    supplier's Aanbod-beheerders (after the commit; a failing mail is logged).
    """
    days = _setting(EXPIRY_SETTING)
    now = utcnow()
    reason = EXPIRED_REASON.format(days=days)
    ids = list(db.session.execute(
        update(Proposal).where(Proposal.state == OPEN, Proposal.proposed_on < now - dt.timedelta(days=days))
        .values(state=EXPIRED, reason=reason, decided_on=now, decided_by_id=None)
        .returning(Proposal.id).execution_options(synchronize_session=False)).scalars())
    if not ids:
        return 0
    rows = db.session.scalars(select(Proposal).where(Proposal.id.in_(ids))
                              .options(joinedload(Proposal.organisation), joinedload(Proposal.package),
                                       joinedload(Proposal.supplier))
                              .execution_options(populate_existing=True)).all()
    for proposal in rows:
        _decided(proposal, EXPIRED)
        audit.record(db.session, "voorstel_verlopen", object_type="Proposal", object_id=proposal.id,
                     organisation_id=proposal.organisation_id,
                     details={"leverancier": proposal.supplier_id, "pakket": proposal.package_id})
    if commit:
        _mail_expired(rows, days)  # in the outbox, committed with the expiry
        db.session.commit()
    return len(rows)


def _supplier_addresses(supplier_ids) -> dict[int, list[str]]:
    found: dict[int, list[str]] = {}
    query = (select(Membership.organisation_id, ScgUser.email).join(ScgUser, ScgUser.id == Membership.user_id)
             .where(Membership.organisation_id.in_(supplier_ids), Membership.active.is_(True),
                    Membership.role_name == AANBOD_BEHEERDER, ScgUser.active.is_(True)))
    for org_id, email in db.session.execute(query):
        found.setdefault(org_id, []).append(email)
    return found


def _mail_expired(rows: list[Proposal], days: int) -> None:
    from core import mail

    addresses = _supplier_addresses({p.supplier_id for p in rows})
    for proposal in rows:
        to = addresses.get(proposal.supplier_id)
        if not to:
            continue
        try:
            mail.send(to, f"Uw voorstel aan {proposal.organisation.name} is verlopen", "f013_proposal_expired",
                      proposal=proposal, days=days)
        except Exception:  # noqa: BLE001 - the expiry is committed; a mail server problem must not undo it
            log.exception("Mail over verlopen voorstel %s niet verstuurd", proposal.id)


# --- the VNG queue ------------------------------------------------------------
def organisations_with_active_user(organisation_ids) -> set[int]:
    """Which of these organisations have an active Gebruik-beheerder (one query)."""
    if not organisation_ids:
        return set()
    return set(db.session.scalars(
        select(Membership.organisation_id).join(ScgUser, ScgUser.id == Membership.user_id)
        .where(Membership.organisation_id.in_(set(organisation_ids)), Membership.active.is_(True),
               Membership.role_name == GEBRUIK_BEHEERDER, ScgUser.active.is_(True)).distinct()))


def age_in_days(proposal: Proposal, today: dt.date | None = None) -> int:
    return ((today or utcnow().date()) - proposal.proposed_on.date()).days


# --- the catalogue changed ---------------------------------------------------
def on_unpublished(package_id: int) -> int:
    rows = db.session.scalars(select(Proposal).where(Proposal.package_id == package_id,
                                                     Proposal.state == OPEN)).all()
    for proposal in rows:
        close(proposal, LAPSED, UNPUBLISHED_REASON)
    return len(rows)


def on_merged(survivor_id: int, duplicate_id: int) -> None:
    """Move the duplicate's open proposals to the survivor, or close them when that would double up.

    Called before the duplicate is deleted (its proposals would go with its cascade).
    The usage rows moved to the survivor already, so "already uses" sees them.
    """
    from core.catalogue.models import Package

    survivor = db.session.get(Package, survivor_id)
    rows = db.session.scalars(select(Proposal).where(Proposal.package_id == duplicate_id,
                                                     Proposal.state == OPEN)).all()
    if not rows:
        return
    org_ids = {p.organisation_id for p in rows}
    taken = set(db.session.scalars(select(Usage.organisation_id).where(
        Usage.package_id == survivor_id, Usage.organisation_id.in_(org_ids))))
    taken |= set(db.session.scalars(select(Proposal.organisation_id).where(
        Proposal.package_id == survivor_id, Proposal.state == OPEN, Proposal.organisation_id.in_(org_ids))))
    for proposal in rows:
        if proposal.organisation_id in taken:
            close(proposal, LAPSED, MERGED_REASON.format(survivor=survivor.name if survivor else "een ander pakket"))
        else:
            proposal.package_id = survivor_id
            proposal.package = survivor
            taken.add(proposal.organisation_id)
    db.session.flush()
    # The duplicate's closed proposals go with its cascade; keep their history on the survivor.
    db.session.execute(update(Proposal).where(Proposal.package_id == duplicate_id).values(package_id=survivor_id)
                       .execution_options(synchronize_session=False))


def approved_supplier_clause():
    """SQL condition on Organisation: a supplier a municipality can block (an approved leverancier)."""
    return (Organisation.type == "leverancier") & (Organisation.status == "goedgekeurd")
