"""F013 Gebruik through the shared tenancy matrix: every role x every way in x own/other organisation.

A gemeente's Gebruik-beheerder reads, adds, changes and ends (action ``end``) the usages
of its own landscape, never another gemeente's; its Gebruik-raadpleger only reads them;
the Functioneel beheerder does everything. Suppliers (Aanbod-beheerder), the
VNG-raadpleger (usage only aggregated), visitors and users without organisation see no
landscape at all. The forged related object is a version: a version of a published
package may be chosen (a shared relation), a version of a concept package never.
"""

from __future__ import annotations

import itertools

import pytest

from core.catalogue.models import Package, Usage, Version
from core.extensions import db
from plugins.f013_gebruik.models import UsageChange
from tests.support import tenancy_matrix as tm

PLUGIN = "plugins.f013_gebruik.hooks"
_numbers = itertools.count(1)


def _package(org, status="gepubliceerd") -> Package:
    package = Package(organisation_id=org.id, name=f"Pakket {next(_numbers)}", status=status)
    db.session.add(package)
    db.session.flush()
    return package


def usage_row(org, marker):
    """A usage of ``org`` (its note shows the marker) of a published package.

    The edit form offers only the versions of the row's own package, so when the matrix
    made an own version first (the "choices" cell) the row uses that version's package,
    found in the database (the newest published package of ``org`` with a version and
    without a usage of ``org``), so that no state leaks from one test's database to the next.
    """
    from sqlalchemy import select

    package_id = db.session.scalar(
        select(Version.package_id).join(Package, Package.id == Version.package_id)
        .where(Version.organisation_id == org.id, Package.status == "gepubliceerd",
               ~Package.id.in_(select(Usage.package_id).where(Usage.organisation_id == org.id)))
        .order_by(Version.id.desc()).limit(1))
    if package_id is None:
        supplier = db.session.query(tm.Organisation).filter_by(type="leverancier").first()
        package_id = _package(supplier).id
    row = Usage(organisation_id=org.id, package_id=package_id, status="in_productie", description=marker)
    db.session.add(row)
    return row


def version_for_forging(org, marker):
    """Own organisation: a version of a published package (a valid choice); other: of a concept."""
    own = org.name == "Voorbeeldstad"
    package = _package(org, status="gepubliceerd" if own else "concept")
    row = Version(organisation_id=org.id, package_id=package.id, name=marker)
    db.session.add(row)
    return row


def add_form(org, marker):
    supplier = db.session.query(tm.Organisation).filter_by(type="leverancier").first()
    package = _package(supplier)
    db.session.commit()
    return {"organisation": str(org.id), "package": str(package.id), "status": "in_productie",
            "description": marker}


def api_add(org, marker):
    supplier = db.session.query(tm.Organisation).filter_by(type="leverancier").first()
    package = _package(supplier)
    db.session.commit()
    return {"organisation": org.id, "package": package.id, "status": "in_productie", "description": marker}


def _ended(pk) -> bool:
    row = db.session.get(Usage, pk)
    return row is not None and row.status == "uitgefaseerd"


LANDSCAPE = tm.TenancySpec(
    name="gebruik",
    model=Usage,
    view="/gebruik",
    api="/api/v1/gebruik",
    marker_field="description",
    make_row=usage_row,
    edit_form=lambda row: {"status": row.status},
    add_form=add_form,
    api_add=api_add,
    rights={
        tm.GEBRUIK_BEHEERDER: tm.Rights(read=tm.OWN, edit=tm.OWN, add=tm.OWN),
        tm.GEBRUIK_RAADPLEGER: tm.Rights(read=tm.OWN),
        tm.FUNCTIONEEL_BEHEERDER: tm.Rights.everything(),
    },
    owner_types=("gemeente",),
    actions=(tm.Action("end", applied=_ended, multiple=False),),
    related=tm.Related(make=version_for_forging, field="version", api_field="version"),
    watch=(UsageChange, Version),
)

matrix_env = tm.environment(plugins=[PLUGIN])


@pytest.mark.parametrize("cell", LANDSCAPE.cells())
def test_landscape_tenancy(matrix_env, cell):
    tm.check(matrix_env, LANDSCAPE, cell)
