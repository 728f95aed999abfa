"""The rules of F010: who may join which group, ending a participation, member lists."""

from __future__ import annotations

import datetime as dt

from sqlalchemy import and_, false, select

from core import audit
from core.contacts import ContactPerson
from core.events import MembershipDeclared, MembershipEnded, emit
from core.extensions import db
from core.formatting import sentence
from core.models import Organisation, OrganisationStatus
from core.tenancy import current_organisation_id, sees_all_organisations
from plugins.f010_lidmaatschap.models import GROUP_TYPES, JOINABLE, Deelname


class NotAllowed(Exception):
    """A participation that the rules refuse; the message is Dutch and shown to the user."""


def joinable_types(org: Organisation | None) -> tuple[str, ...]:
    return JOINABLE.get(org.type, ()) if org is not None else ()


def joinable_groups_clause():
    """SQL condition on Organisation: the approved groups the current user's organisation may join.

    The Functioneel beheerder acts for an organisation and may pick any approved group;
    whether the type fits the member is checked in :func:`check_declaration`.
    """
    approved = Organisation.status == OrganisationStatus.goedgekeurd.value
    if sees_all_organisations():
        return and_(approved, Organisation.type.in_(GROUP_TYPES))
    org = db.session.get(Organisation, current_organisation_id()) if current_organisation_id() else None
    types = joinable_types(org)
    if not types:
        return false()
    return and_(approved, Organisation.type.in_(types))


def check_declaration(item: Deelname) -> None:
    """Refuse a participation the member may not declare (type, status, already a member)."""
    member = item.organisation or db.session.get(Organisation, item.organisation_id)
    group = item.group or (db.session.get(Organisation, item.group_id) if item.group_id else None)
    if group is None:
        raise NotAllowed("Kies een samenwerking of community.")
    if group.type not in joinable_types(member):
        if member is not None and member.type == "leverancier":
            raise NotAllowed("Een leverancier kan alleen deelnemen aan een community.")
        raise NotAllowed("Uw organisatie kan niet deelnemen aan deze organisatie.")
    if group.status != OrganisationStatus.goedgekeurd.value:
        raise NotAllowed("Deze samenwerking of community is niet actief.")
    with db.session.no_autoflush:
        existing = db.session.scalar(select(Deelname.id).where(
            Deelname.organisation_id == member.id, Deelname.group_id == group.id, Deelname.ended_on.is_(None)))
    if existing is not None:
        raise NotAllowed(sentence(f"Uw organisatie neemt al deel aan {group.name}."))


def declared(item: Deelname, user_id: int | None) -> None:
    """A new participation (before it is stored; its creation is audited like every insert): the event."""
    group_id = item.group_id if item.group_id is not None else item.group.id
    emit(MembershipDeclared(organisation_id=item.organisation_id, group_id=group_id, day=item.since,
                            actor_id=user_id))


def end(item: Deelname, user_id: int | None, today: dt.date | None = None) -> None:
    """End a participation: the row stays, with the day it ended. Caller commits."""
    if item.ended_on is not None:
        raise NotAllowed("Deze deelname is al beëindigd.")
    item.ended_on = today or dt.date.today()
    item.ended_by_id = user_id
    db.session.flush()
    emit(MembershipEnded(organisation_id=item.organisation_id, group_id=item.group_id, day=item.ended_on,
                         actor_id=user_id))
    audit.record(db.session, "deelname_beeindigd", object_type="Deelname", object_id=item.id,
                 details=f"organisatie {item.organisation_id} neemt niet meer deel aan {item.group_id}")


def contact_of(org: Organisation) -> str:
    """The member's contact: its first contact person, else the organisation's own address."""
    person = db.session.scalars(select(ContactPerson).where(ContactPerson.organisation_id == org.id)
                                .order_by(ContactPerson.id).limit(1)).first()
    if person is not None:
        return ", ".join(x for x in (person.name, person.email, person.phone) if x)
    return ", ".join(x for x in (org.email, org.phone) if x)


def current_members(group_id: int) -> list[Deelname]:
    return list(db.session.scalars(select(Deelname).join(Deelname.organisation).where(
        Deelname.group_id == group_id, Deelname.ended_on.is_(None)).order_by(Organisation.name)))


def current_groups(member_id: int) -> list[Deelname]:
    return list(db.session.scalars(select(Deelname).join(Deelname.group).where(
        Deelname.organisation_id == member_id, Deelname.ended_on.is_(None)).order_by(Organisation.name)))
