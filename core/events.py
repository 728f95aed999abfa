"""Domain events: how one functionality tells others that something happened.

Emit with ``emit(SomeEvent(...))``; plugins receive every event through the
``on_event`` hook and pick the types they care about with ``isinstance``.
"""

from __future__ import annotations

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
