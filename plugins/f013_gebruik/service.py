"""The rules of a usage, shared by the landscape page and the API (no request handling).

A usage is one row per (organisation, package). Every add and every change of version,
status, status date or note is written to the status history (``UsageChange``) and
emitted as a core event (``UsageAdded``, ``UsageChanged``, ``UsageEnded``), in the same
transaction as the change itself; the audit log records the rows automatically.
"""

from __future__ import annotations

import datetime as dt

from sqlalchemy import and_, or_, select
from sqlalchemy import inspect as sa_inspect
from werkzeug.exceptions import BadRequest

from core.catalogue.access import is_public, public_package_clause
from core.catalogue.models import USAGE_STATUSES, Package, Usage, label
from core.events import UsageAdded, UsageChanged, UsageEnded, emit
from core.extensions import db
from core.formatting import sentence
from core.groups import group_member_ids
from core.models import Organisation
from core.tenancy import current_organisation_id, current_user
from plugins.f013_gebruik.models import UsageChange

#: Organisation types that keep an application landscape (a community does not).
LANDSCAPE_TYPES = ("gemeente", "samenwerking")
STATUS_VALUES = tuple(value for value, _ in USAGE_STATUSES)
ENDED = "uitgefaseerd"

NOT_A_MUNICIPALITY = "Alleen een gemeente of samenwerking houdt een applicatielandschap bij."
NOT_PUBLIC = "Kies een gepubliceerd pakket uit de catalogus."
WRONG_VERSION = "Kies een versie van {package}, of geen versie."
STATUS_REQUIRED = "Kies een status uit de lijst."
PACKAGE_REQUIRED = "Kies het pakket dat uw organisatie gebruikt."
ONLY_A_SAMENWERKING = "Alleen een samenwerking kan gebruik registreren voor een andere organisatie."


class UsageRejected(BadRequest):
    """A usage that breaks a rule: the page flashes the message, the API answers 400."""

    def __init__(self, message: str):
        super().__init__(description=message)
        self.message = message

    def __str__(self) -> str:
        return self.message


def registered_concept(package) -> bool:
    """A concept a municipality registered for its supplier (F004), still waiting for the takeover."""
    return bool(package.takeover_pending) and package.registered_by_id is not None


def usable_package_clause():
    """SQL condition on Package: what a landscape may hold: public packages and registered concepts."""
    return or_(public_package_clause(),
               and_(Package.takeover_pending.is_(True), Package.registered_by_id.isnot(None)))


def samenwerking_members(org_id: int | None) -> frozenset[int]:
    """The organisations a samenwerking registers usage for: its current members (none for anyone else).

    The tenancy rule ``acting_for`` of the landscape page and API (a community never registers usage).
    """
    org = db.session.get(Organisation, org_id) if org_id is not None else None
    if org is None or org.type != "samenwerking":
        return frozenset()
    return group_member_ids(org.id)


def existing_usage(organisation_id, package_id) -> Usage | None:
    if organisation_id is None or package_id is None:
        return None
    return db.session.scalar(select(Usage).filter_by(organisation_id=organisation_id, package_id=package_id))


def already_used_message(usage: Usage) -> str:
    return sentence(f"{usage.package.name} staat al in het applicatielandschap van {usage.organisation.name}.")


def organisation_of(item: Usage) -> Organisation | None:
    """The usage's organisation (the API may have set only the column)."""
    if item.organisation is not None and item.organisation.id == item.organisation_id:
        return item.organisation
    return db.session.get(Organisation, item.organisation_id) if item.organisation_id else item.organisation


def check_usage(item: Usage, new: bool) -> None:
    """Rules beyond tenancy, for every user (raised as a Dutch 400 or flash)."""
    if item.description is not None and not item.description.strip():
        item.description = None  # an empty note is no note
    org = organisation_of(item)
    if org is None or org.type not in LANDSCAPE_TYPES:
        raise UsageRejected(NOT_A_MUNICIPALITY)
    package = item.package
    if package is None:
        raise UsageRejected(PACKAGE_REQUIRED)
    if new and not (is_public(package) or registered_concept(package)):
        raise UsageRejected(NOT_PUBLIC)
    if item.version is not None and item.version.package_id != package.id:
        raise UsageRejected(WRONG_VERSION.format(package=package.name))
    if item.status not in STATUS_VALUES:
        raise UsageRejected(STATUS_REQUIRED)
    if new and item.registered_by_id is not None:
        registrar = db.session.get(Organisation, item.registered_by_id)
        if registrar is None or registrar.type != "samenwerking" or registrar.id == org.id:
            raise UsageRejected(ONLY_A_SAMENWERKING)
    if new:
        with db.session.no_autoflush:
            other = existing_usage(org.id, package.id)
        if other is not None and other is not item:
            raise UsageRejected(already_used_message(other))


def _actor_id() -> int | None:
    user = current_user()
    return user.id if user is not None else None


def _version_name(item: Usage) -> str | None:
    return item.version.name if item.version is not None else None


TRACKED = ("status", "version", "status_date", "description")


def snapshot(item: Usage) -> dict:
    """The values the history compares, before a change is applied (see ``record_changed``)."""
    return {key: getattr(item, key) for key in TRACKED}


def _before(item: Usage) -> dict:
    """The values before the pending change, from the attribute history."""
    state = sa_inspect(item)
    values = {}
    for key in TRACKED:
        hist = state.attrs[key].history
        if hist.has_changes():
            values[key] = hist.deleted[0] if hist.deleted else None
        else:
            values[key] = getattr(item, key)
    return values


def _day(value) -> str:
    return value.strftime("%d-%m-%Y") if value else "geen"


def _summary(item: Usage, before: dict) -> str:
    """Dutch description of what changed on ``item`` since ``before``."""
    parts = []

    def old_new(key):
        old, new = before[key], getattr(item, key)
        return None if (old or None) == (new or None) else (old, new)

    change = old_new("status")
    if change:
        parts.append(f"Status: {label(USAGE_STATUSES, change[0])} → {label(USAGE_STATUSES, change[1])}")
    change = old_new("version")
    if change:
        parts.append(f"Versie: {change[0].name if change[0] else 'geen'} → {change[1].name if change[1] else 'geen'}")
    change = old_new("status_date")
    if change:
        parts.append(f"Statusdatum: {_day(change[0])} → {_day(change[1])}")
    if old_new("description"):
        parts.append("Toelichting gewijzigd")
    return "; ".join(parts)


def _acting_organisation(item: Usage) -> Organisation | None:
    """The organisation of the user making the change when it is not the usage's own (a samenwerking)."""
    org_id = current_organisation_id()
    if org_id is None or org_id == organisation_of(item).id:
        return None
    return db.session.get(Organisation, org_id)


def _add_change(item: Usage, kind: str, summary: str) -> None:
    acting = _acting_organisation(item)
    if acting is not None:
        summary = f"{summary} (door {acting.name})"
    db.session.add(UsageChange(usage=item, organisation_id=organisation_of(item).id, changed_by_id=_actor_id(),
                               kind=kind, status=item.status, status_date=item.status_date,
                               version_name=_version_name(item), summary=summary))


def record_added(item: Usage, via: str | None = None) -> None:
    """History and event of a new usage (call before the commit).

    ``via``: how the change came about, appended to the history's summary (e.g. "voorstel van ICT BV").
    """
    _add_change(item, "toegevoegd", _via(f"Toegevoegd met status {label(USAGE_STATUSES, item.status)}", via))
    emit(UsageAdded(organisation_id=organisation_of(item).id, package_id=item.package.id, day=dt.date.today(),
                    status=item.status, actor_id=_actor_id()))


def _via(summary: str, via: str | None) -> str:
    return f"{summary} ({via})" if via else summary


def record_changed(item: Usage, before: dict | None = None, via: str | None = None) -> None:
    """History and event of a changed usage, when anything the history shows changed.

    ``before``: the ``snapshot`` taken before the change was applied; without it the
    attribute history of the pending change is used (it is lost when a flush happened).
    ``via``: as for ``record_added``.
    """
    before = before if before is not None else _before(item)
    summary = _summary(item, before)
    if not summary:
        return
    previous = before["status"]
    ended = item.status == ENDED and previous != ENDED
    _add_change(item, "beeindigd" if ended else "gewijzigd", _via(summary, via))
    if ended:
        emit(UsageEnded(organisation_id=organisation_of(item).id, package_id=item.package.id, day=dt.date.today(),
                        actor_id=_actor_id()))
    else:
        emit(UsageChanged(organisation_id=organisation_of(item).id, package_id=item.package.id,
                          day=dt.date.today(),
                          status=item.status, previous_status=previous, actor_id=_actor_id()))


def end_usage(item: Usage) -> bool:
    """Beëindigen: set the status to uitgefaseerd (as of today), keep the row. False if it already ended."""
    if item.status == ENDED:
        return False
    before = snapshot(item)
    item.status = ENDED
    item.status_date = dt.date.today()
    record_changed(item, before)
    return True


def history(usage: Usage) -> list[UsageChange]:
    return list(db.session.scalars(select(UsageChange).where(UsageChange.usage_id == usage.id)
                                   .order_by(UsageChange.changed_on.desc(), UsageChange.id.desc())))
