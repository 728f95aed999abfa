"""F010's demo data: a samenwerking with two member gemeenten, loaded once however often seed runs."""

from __future__ import annotations

from sqlalchemy import select

from core.extensions import db
from core.models import Organisation
from plugins.f010_lidmaatschap.demo import DEMO_SAMENWERKING
from plugins.f010_lidmaatschap.models import Deelname


def test_demo_seed_makes_a_samenwerking_with_two_members_once(app):
    for _ in range(2):
        app.extensions["scg_plugins"].hook.seed_data(app=app, demo=True)
    group = db.session.scalars(select(Organisation).filter_by(name=DEMO_SAMENWERKING)).one()
    assert (group.type, group.status) == ("samenwerking", "goedgekeurd")
    members = db.session.scalars(select(Deelname).filter_by(group_id=group.id, ended_on=None)).all()
    assert len(members) == 2 and {m.organisation.type for m in members} == {"gemeente"}


def test_seed_without_demo_adds_no_samenwerking(app):
    app.extensions["scg_plugins"].hook.seed_data(app=app, demo=False)
    assert db.session.scalars(select(Organisation).filter_by(name=DEMO_SAMENWERKING)).first() is None
