"""Organisations through the tenancy matrix: every role x every way in x own/other organisation.

A supplier sees and edits only its own organisation, municipal staff only theirs,
the VNG-raadpleger reads all and changes nothing, the Functioneel beheerder does
everything. See tests/support/tenancy_matrix.py for how each cell is judged.
"""

from __future__ import annotations

import pytest

from core.models import Membership, Organisation
from tests.support import tenancy_matrix as tm


def organisation_row(org: Organisation, marker: str) -> Organisation:
    """The 'row' of an organisation is the organisation itself; its name carries the marker."""
    org.name = f"{marker} {org.name}"
    return org


SPEC = tm.TenancySpec(
    name="organisaties",
    model=Organisation,
    view="/organisaties",
    api="/api/v1/organisaties",
    tenant_column="id",
    marker_field="name",
    make_row=organisation_row,
    edit_form=lambda org: {"website": "https://voorbeeld.example", "email": "info@voorbeeld.example"},
    add_form=lambda org, marker: {"name": marker, "type": "leverancier"},
    api_add=lambda org, marker: {"name": marker, "type": "leverancier"},
    rights={
        tm.AANBOD_BEHEERDER: tm.Rights(read=tm.OWN, edit=tm.OWN),
        tm.GEBRUIK_BEHEERDER: tm.Rights(read=tm.OWN, edit=tm.OWN),
        tm.GEBRUIK_RAADPLEGER: tm.Rights(read=tm.OWN),
        tm.VNG_RAADPLEGER: tm.Rights(read=tm.ALL),
        tm.FUNCTIONEEL_BEHEERDER: tm.Rights.everything(),
    },
    watch=(Membership,),
)

matrix_env = tm.environment()


@pytest.mark.parametrize("cell", SPEC.cells())
def test_organisations_tenancy(matrix_env, cell):
    tm.check(matrix_env, SPEC, cell)
