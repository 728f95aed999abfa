"""Domain events: how one functionality tells others that something happened.

Emit with ``emit(SomeEvent(...))``; plugins receive every event through the
``on_event`` hook and pick the types they care about with ``isinstance``.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Any

from flask import current_app


@dataclass(frozen=True)
class Event:
    """Base of all domain events. ``actor_id`` is the user who caused it, if any."""

    actor_id: int | None = field(default=None, kw_only=True)


@dataclass(frozen=True)
class OrganisationRegistered(Event):
    organisation_id: int
    user_id: int


@dataclass(frozen=True)
class RegistrationConfirmed(Event):
    organisation_id: int
    user_id: int


@dataclass(frozen=True)
class OrganisationApproved(Event):
    organisation_id: int


@dataclass(frozen=True)
class OrganisationRejected(Event):
    organisation_id: int
    reason: str


@dataclass(frozen=True)
class UserInvited(Event):
    organisation_id: int
    email: str
    role_name: str


@dataclass(frozen=True)
class UserJoined(Event):
    organisation_id: int
    user_id: int


@dataclass(frozen=True)
class UserDeactivated(Event):
    organisation_id: int | None
    user_id: int


@dataclass(frozen=True)
class UserReactivated(Event):
    organisation_id: int | None
    user_id: int


@dataclass(frozen=True)
class DocumentApproved(Event):
    """The Functioneel beheerder approved a (security) document of a package: others may see it now."""

    document_id: int
    package_id: int
    organisation_id: int


@dataclass(frozen=True)
class DocumentRejected(Event):
    """The Functioneel beheerder rejected a document of a package, with a reason for the supplier."""

    document_id: int
    package_id: int
    organisation_id: int
    reason: str


@dataclass(frozen=True)
class PackageTakenOver(Event):
    """A supplier took over a package that a municipality registered on its behalf."""

    package_id: int
    organisation_id: int
    registered_by_id: int | None


@dataclass(frozen=True)
class PackagesMerged(Event):
    """The Functioneel beheerder merged a duplicate package into a surviving one.

    Emitted inside the merge transaction AFTER the catalogue rows (modules, versions,
    classification, claims, documents, screenshots, services, usage) moved to the
    survivor and BEFORE the duplicate package is deleted: a plugin that keeps its own
    rows per package (e.g. views or interest) moves them from ``duplicate_id`` to
    ``survivor_id`` in its ``on_event`` hook, or they go with the duplicate's cascade.
    Raising aborts the whole merge.
    """

    survivor_id: int
    duplicate_id: int


@dataclass(frozen=True)
class ConceptSupplierLinked(Event):
    """The Functioneel beheerder approved a supplier that municipalities had named as a concept.

    Emitted inside the approval's transaction AFTER the concept's own rows (every
    ``organisation_id`` that pointed to it: its packages and their parts) moved to
    ``organisation_id`` and BEFORE the concept organisation is deleted: a plugin that keeps
    rows pointing to an organisation in another column moves them from ``concept_id``.
    Raising aborts the approval.
    """

    concept_id: int
    organisation_id: int


def emit(event: Event) -> list[Any]:
    """Deliver ``event`` to every plugin's ``on_event`` hook in the current app."""
    pm = current_app.extensions["scg_plugins"]
    return pm.hook.on_event(event=event)


@dataclass(frozen=True)
class PackagePublished(Event):
    package_id: int
    organisation_id: int


@dataclass(frozen=True)
class PackageUnpublished(Event):
    package_id: int
    organisation_id: int
    reason: str


# --- usage (F013): a municipality's application landscape. No person: F006 counts these.
@dataclass(frozen=True)
class UsageAdded(Event):
    """An organisation added a package to its landscape (``day``: the day of the change)."""

    organisation_id: int
    package_id: int
    day: dt.date
    status: str


@dataclass(frozen=True)
class UsageChanged(Event):
    """The version, status, status date or note of a usage changed (not its end)."""

    organisation_id: int
    package_id: int
    day: dt.date
    status: str
    previous_status: str


@dataclass(frozen=True)
class UsageEnded(Event):
    """A usage ended (status uitgefaseerd); the row and its history stay."""

    organisation_id: int
    package_id: int
    day: dt.date


# --- usage proposals (F013): a supplier proposes "gemeente X uses package P". No person.
@dataclass(frozen=True)
class ProposalMade(Event):
    """A supplier proposed a usage of its package to a municipality (it counts nowhere until accepted)."""

    proposal_id: int
    organisation_id: int  # the municipality
    supplier_id: int
    package_id: int
    day: dt.date


@dataclass(frozen=True)
class ProposalDecided(Event):
    """A proposal reached a final state other than withdrawn.

    ``outcome``: "geaccepteerd" (a usage was added or changed: UsageAdded/UsageChanged
    follow), "afgewezen", "verlopen" (it waited too long for an answer) or "vervallen" (closed
    by the catalogue: the package was unpublished, or merged into one the municipality
    already uses or has an open proposal for).
    """

    proposal_id: int
    organisation_id: int
    supplier_id: int
    package_id: int
    day: dt.date
    outcome: str


@dataclass(frozen=True)
class ProposalWithdrawn(Event):
    """The supplier withdrew an open proposal."""

    proposal_id: int
    organisation_id: int
    supplier_id: int
    package_id: int
    day: dt.date


@dataclass(frozen=True)
class ReferenceChanged(Event):
    """A municipality opted in or out as a reference for a package it uses (F013)."""

    organisation_id: int
    package_id: int
    day: dt.date
    opted_in: bool


# --- memberships (F010): organisations taking part in a samenwerking or community.
@dataclass(frozen=True)
class MembershipDeclared(Event):
    """An organisation (gemeente or supplier) declared it takes part in a samenwerking or community (F010)."""

    organisation_id: int  # the member
    group_id: int  # the samenwerking or community
    day: Any  # datetime.date the participation starts


@dataclass(frozen=True)
class MembershipEnded(Event):
    """An organisation ended its participation in a samenwerking or community (F010)."""

    organisation_id: int
    group_id: int
    day: Any  # datetime.date the participation ended


@dataclass(frozen=True)
class RowsChangedInBulk(Event):
    """Rows of ``model`` (its class name) of one organisation were changed or removed
    in bulk (an import), without ORM objects: listeners that react to a flush of those
    rows (caches, counters) do not see them and hear it here. Emitted before the commit."""

    model: str
    organisation_id: int
    ids: tuple[int, ...]


# --- page views (F011's package page): counted by insights (F006). No person.
@dataclass(frozen=True)
class PackageViewed(Event):
    """Someone looked at the public page of a package (``organisation_id``: its supplier).

    ``viewer_organisation_id`` and ``viewer_organisation_type`` are the organisation the viewer acts
    for (None for a visitor who is not logged in); ``viewer_sees_all`` is True for VNG staff and the
    Functioneel beheerder; ``user_agent`` is the browser's User-Agent header (to leave out bots). It
    carries no person: whoever counts views keeps organisations and days only. The page commits right
    after emitting, so a reaction must stay cheap (one insert) and never fail the page.
    """

    package_id: int
    organisation_id: int
    viewer_organisation_id: int | None
    viewer_organisation_type: str | None
    viewer_sees_all: bool
    user_agent: str
    day: dt.date


@dataclass(frozen=True)
class CatalogueSearched(Event):
    """Someone searched the public catalogue (F011) with a text and/or filters, first page only.

    ``query`` is the search text as typed, ``filters`` the chosen facet values as ``"facet=value"``;
    the viewer fields are those of :class:`PackageViewed`. No person: whoever counts searches keeps
    organisations and days only. The page commits right after emitting.
    """

    query: str
    filters: tuple[str, ...]
    viewer_organisation_id: int | None
    viewer_organisation_type: str | None
    viewer_sees_all: bool
    user_agent: str
    day: dt.date


# --- certifications (F002): a supplier's certification nears or passed its end date.
@dataclass(frozen=True)
class CertificationExpiring(Event):
    """A certification of an organisation ends within the reminder period, or ended (``valid_until``).

    Emitted by F002's daily command for every such certification, each day: whoever reacts
    (F006 notifies the organisation) remembers what it already told.
    """

    organisation_id: int
    certification_id: int
    name: str
    valid_until: dt.date
