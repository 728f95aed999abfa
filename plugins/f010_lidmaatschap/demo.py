"""Demo data of F010: a samenwerking with two member gemeenten (idempotent)."""

from __future__ import annotations

import datetime as dt

from sqlalchemy import select

from core.extensions import db
from core.models import Organisation, OrganisationStatus
from plugins.f010_lidmaatschap.models import Deelname

DEMO_SAMENWERKING = "Samenwerking Demo-regio"


def seed_demo() -> None:
    group = db.session.scalars(select(Organisation).filter_by(name=DEMO_SAMENWERKING)).first()
    if group is None:
        group = Organisation(name=DEMO_SAMENWERKING, type="samenwerking", status=OrganisationStatus.goedgekeurd.value,
                             description="Fictieve samenwerking van twee gemeenten.")
        db.session.add(group)
        db.session.flush()
    members = db.session.scalars(select(Organisation).where(Organisation.type == "gemeente")
                                 .order_by(Organisation.name).limit(2)).all()
    for member in members:
        exists = db.session.scalar(select(Deelname.id).filter_by(organisation_id=member.id, group_id=group.id,
                                                                 ended_on=None))
        if exists is None:
            db.session.add(Deelname(organisation_id=member.id, group_id=group.id, since=dt.date(2025, 1, 1)))
    db.session.commit()
