"""F005 Diensten through the shared tenancy matrix: every role x every way in x own/other organisation.

Suppliers manage their own services, the VNG-raadpleger reads all, the Functioneel
beheerder does everything; nobody else sees a service here. Two related fields are
forged: the contact person (own organisation only) and a package. Packages are a shared
relation (any *public* package may be chosen), so for the package spec the "own" related
object is a published package of the supplier and the "other" one a concept package of
the other supplier: it must never be offered and a forged id of it is refused.
"""

from __future__ import annotations

import pytest

from core.catalogue.models import Package, Service, service_package
from core.contacts import ContactPerson
from core.extensions import db
from tests.support import tenancy_matrix as tm

OWN_SUPPLIER = "ICT Solutions BV"  # the matrix's "supplier" (tests/support/actors.World)


class ServicePackageLinks:
    """The association table, watched like a model: a refused request adds no link."""

    __table__ = service_package


def public_package(org, name: str | None = None) -> Package:
    package = Package(organisation_id=org.id, name=name or f"Pakket van {org.name}", status="gepubliceerd")
    db.session.add(package)
    db.session.flush()
    return package


def service_row(org, marker):
    row = Service(organisation_id=org.id, name=marker, kind="opleidingen", packages=[public_package(org)])
    db.session.add(row)
    return row


def contact_person(org, marker):
    row = ContactPerson(organisation_id=org.id, name=marker)
    db.session.add(row)
    return row


def package_for_forging(org, marker):
    """Own supplier: a published package (a valid choice); other supplier: a concept (never one)."""
    status = "gepubliceerd" if org.name == OWN_SUPPLIER else "concept"
    row = Package(organisation_id=org.id, name=marker, status=status)
    db.session.add(row)
    return row


def add_form(org, marker):
    package = public_package(org)
    db.session.commit()
    return {"name": marker, "kind": "opleidingen", "organisation": str(org.id), "packages": str(package.id)}


def api_add(org, marker):
    package = public_package(org)
    db.session.commit()
    return {"name": marker, "kind": "opleidingen", "organisation": org.id, "packages": [package.id]}


RIGHTS = {
    tm.AANBOD_BEHEERDER: tm.Rights(read=tm.OWN, edit=tm.OWN, delete=tm.OWN, add=tm.OWN),
    tm.VNG_RAADPLEGER: tm.Rights(read=tm.ALL),
    tm.FUNCTIONEEL_BEHEERDER: tm.Rights.everything(),
}

SERVICES = tm.TenancySpec(
    name="diensten",
    model=Service,
    view="/diensten",
    api="/api/v1/diensten",
    make_row=service_row,
    edit_form=lambda row: {"kind": row.kind, "packages": [str(p.id) for p in row.packages]},
    add_form=add_form,
    api_add=api_add,
    rights=RIGHTS,
    owner_types=("leverancier",),
    related=tm.Related(make=contact_person, field="contact_person", api_field="contact_person"),
    watch=(ServicePackageLinks, Package),
)

SERVICE_PACKAGES = tm.TenancySpec(
    name="diensten-pakketten",
    model=Service,
    view="/diensten",
    api="/api/v1/diensten",
    make_row=service_row,
    edit_form=lambda row: {"kind": row.kind},
    add_form=add_form,
    api_add=api_add,
    rights=RIGHTS,
    owner_types=("leverancier",),
    related=tm.Related(make=package_for_forging, field="packages", api_field="packages"),
    watch=(ServicePackageLinks, Package),
)

# Only the cells about the package: the rest is the same as SERVICES. The matrix sends a
# forged id to the API as a single value, which the list field ``packages`` refuses as
# malformed (422) before tenancy is reached; the API cells with a forged *list* are in
# test_services.py (test_api_refuses_a_package_that_is_not_public, ..._put_refuses_...).
PACKAGE_CELLS = [c for c in SERVICE_PACKAGES.cells()
                 if c.values[0].op in ("choices", "api_info", "edit_forged_related", "add_forged_related")]

matrix_env = tm.environment()


@pytest.mark.parametrize("cell", SERVICES.cells())
def test_services_tenancy(matrix_env, cell):
    tm.check(matrix_env, SERVICES, cell)


@pytest.mark.parametrize("cell", PACKAGE_CELLS)
def test_services_forged_package(matrix_env, cell):
    tm.check(matrix_env, SERVICE_PACKAGES, cell)
