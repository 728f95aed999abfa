"""Helpers for F010: samenwerkingen, communities and participations made directly."""

from __future__ import annotations

import datetime as dt

import pytest

from core.extensions import db
from plugins.f010_lidmaatschap.models import Deelname
from tests.support.actors import make_org


def make_deelname(member, group, since=dt.date(2025, 3, 1), ended_on=None) -> Deelname:
    row = Deelname(organisation_id=member.id, group_id=group.id, since=since, ended_on=ended_on)
    db.session.add(row)
    db.session.commit()
    return row


@pytest.fixture
def groups(app, world):
    return {
        "samenwerking": make_org("Regio Samen", "samenwerking"),
        "community": make_org("Community Open Zaak", "community"),
        "other_community": make_org("Community Archief", "community"),
    }
