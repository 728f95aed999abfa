"""F013's proposal-policy pages through the shared tenancy matrix: every role x every way in x own/other.

Geblokkeerde leveranciers: a gemeente's Gebruik-beheerder reads and lifts (deletes) the
blocks of its own organisation, its Gebruik-raadpleger reads them, the Functioneel
beheerder reads and lifts every block; nobody edits a block (it is set or lifted). Adding
a block (own organisation only, approved suppliers only) is tested in test_proposal_policy.py:
a block has no text column the matrix could find a new row by.

Openstaande gebruiksvoorstellen: only the VNG-raadpleger and the Functioneel beheerder
read the queue, of every municipality; nobody changes anything there.
"""

from __future__ import annotations

import itertools

import pytest

from core.catalogue.models import Package
from core.extensions import db
from plugins.f013_gebruik.models import Proposal, ProposalBlock
from tests.support import tenancy_matrix as tm

PLUGIN = "plugins.f013_gebruik.hooks"
_numbers = itertools.count(1)


def block_row(org, marker):
    """A block by ``org`` of a new approved supplier whose name is the marker."""
    supplier = tm.Organisation(name=marker, type="leverancier", status="goedgekeurd")
    db.session.add(supplier)
    db.session.flush()
    row = ProposalBlock(organisation_id=org.id, supplier_id=supplier.id)
    db.session.add(row)
    return row


def proposal_row(org, marker):
    """An open proposal to ``org`` (of a new package of a supplier); the supplier's note is the marker."""
    supplier = db.session.query(tm.Organisation).filter_by(type="leverancier").first()
    package = Package(organisation_id=supplier.id, name=f"Pakket {next(_numbers)}", status="gepubliceerd")
    db.session.add(package)
    db.session.flush()
    row = Proposal(organisation_id=org.id, supplier_id=supplier.id, package_id=package.id, note=marker)
    db.session.add(row)
    return row


BLOCKS = tm.TenancySpec(
    name="geblokkeerde-leveranciers",
    model=ProposalBlock,
    view="/geblokkeerde-leveranciers",
    make_row=block_row,
    rights={
        tm.GEBRUIK_BEHEERDER: tm.Rights(read=tm.OWN, delete=tm.OWN),
        tm.GEBRUIK_RAADPLEGER: tm.Rights(read=tm.OWN),
        tm.FUNCTIONEEL_BEHEERDER: tm.Rights(read=tm.ALL, delete=tm.ALL),
    },
    owner_types=("gemeente",),
    watch=(Proposal,),
)

QUEUE = tm.TenancySpec(
    name="gebruiksvoorstellen-wachtrij",
    model=Proposal,
    view="/gebruiksvoorstellen-wachtrij",
    marker_field="note",
    make_row=proposal_row,
    rights={
        tm.VNG_RAADPLEGER: tm.Rights(read=tm.ALL),
        tm.FUNCTIONEEL_BEHEERDER: tm.Rights(read=tm.ALL),
    },
    owner_types=("gemeente",),
)

matrix_env = tm.environment(plugins=[PLUGIN])


@pytest.mark.parametrize("cell", BLOCKS.cells())
def test_blocks_tenancy(matrix_env, cell):
    tm.check(matrix_env, BLOCKS, cell)


@pytest.mark.parametrize("cell", QUEUE.cells())
def test_queue_tenancy(matrix_env, cell):
    tm.check(matrix_env, QUEUE, cell)
