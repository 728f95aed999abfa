"""F010 Lidmaatschap through the shared tenancy matrix (docs/plugins.md, Tenancy).

``/deelnames``: an organisation reads its own participations only (the VNG-raadpleger and
the Functioneel beheerder all); nobody edits or deletes one (ending is the confirmed
``beeindigen`` route, tested in test_deelnames.py for own and foreign rows).

``/deelnemers``: a group's member list, owned by the group (``group_id``). The matrix's
world has no samenwerking, so its organisations stand in as the group: the view's
tenancy follows ``group_id`` whatever the type, and only the Gebruik-beheerder of the
group reads it; nobody adds, edits or removes a member there. test_deelnames.py runs the
same with a real samenwerking and community.
"""

from __future__ import annotations

import datetime as dt

import pytest

from core.extensions import db
from core.models import Organisation
from plugins.f010_lidmaatschap.models import Deelname
from tests.support import tenancy_matrix as tm

PLUGIN = "plugins.f010_lidmaatschap.hooks"


def _org(name: str, type_: str) -> Organisation:
    org = Organisation(name=name, type=type_, status="goedgekeurd")
    db.session.add(org)
    db.session.flush()
    return org


def participation(org, marker):
    """A participation of ``org`` in a new community named ``marker``."""
    row = Deelname(organisation_id=org.id, group_id=_org(marker, "community").id, since=dt.date(2025, 1, 1))
    db.session.add(row)
    return row


def member(org, marker):
    """A member named ``marker`` in the list of ``org`` (the group)."""
    row = Deelname(organisation_id=_org(marker, "gemeente").id, group_id=org.id, since=dt.date(2025, 1, 1))
    db.session.add(row)
    return row


DEELNAMES = tm.TenancySpec(
    name="deelnames", model=Deelname, view="/deelnames", make_row=participation,
    owner_types=("gemeente", "leverancier"),
    rights={tm.AANBOD_BEHEERDER: tm.Rights(read=tm.OWN), tm.GEBRUIK_BEHEERDER: tm.Rights(read=tm.OWN),
            tm.GEBRUIK_RAADPLEGER: tm.Rights(read=tm.OWN), tm.VNG_RAADPLEGER: tm.Rights(read=tm.ALL),
            tm.FUNCTIONEEL_BEHEERDER: tm.Rights(read=tm.ALL)},
    watch=(Organisation,),
)

DEELNEMERS = tm.TenancySpec(
    name="deelnemers", model=Deelname, view="/deelnemers", make_row=member, tenant_column="group_id",
    rights={tm.GEBRUIK_BEHEERDER: tm.Rights(read=tm.OWN), tm.VNG_RAADPLEGER: tm.Rights(read=tm.ALL),
            tm.FUNCTIONEEL_BEHEERDER: tm.Rights(read=tm.ALL)},
    watch=(Organisation,),
)

SPECS = [DEELNAMES, DEELNEMERS]

matrix_env = tm.environment(plugins=[PLUGIN])


@pytest.mark.parametrize("spec, cell", [pytest.param(s, c.values[0], id=f"{s.name}-{c.id}")
                                        for s in SPECS for c in s.cells()])
def test_f010_tenancy(matrix_env, spec, cell):
    tm.check(matrix_env, spec, cell)
