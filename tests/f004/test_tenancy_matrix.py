"""F004 through the shared tenancy matrix: packages, modules and versions, pages and APIs.

The Aanbod-beheerder manages its own organisation's offering, the VNG-raadpleger reads all,
the Functioneel beheerder does everything; municipalities' roles see nothing here. Forged
related ids: a package pointing at another organisation's contact person, a module or
version pointing at another organisation's package.
"""

from __future__ import annotations

import pytest

from core.catalogue.models import Module, Package, Version
from core.contacts import ContactPerson
from core.extensions import db
from core.files import StoredFile
from tests.f004.conftest import make_package
from tests.support import tenancy_matrix as tm

RIGHTS = {
    tm.AANBOD_BEHEERDER: tm.Rights(read=tm.OWN, edit=tm.OWN, delete=tm.OWN, add=tm.OWN),
    tm.VNG_RAADPLEGER: tm.Rights(read=tm.ALL),
    tm.FUNCTIONEEL_BEHEERDER: tm.Rights.everything(),
}


def package_row(org, marker):
    package = make_package(org, name=marker, publishable=True)
    return package


def contact_row(org, marker):
    row = ContactPerson(organisation_id=org.id, name=marker)
    db.session.add(row)
    return row


def package_of(org, marker="Pakket"):
    package = db.session.query(Package).filter_by(organisation_id=org.id, name=f"Basis {marker}").first()
    return package or make_package(org, name=f"Basis {marker}")


def module_row(org, marker):
    row = Module(organisation_id=org.id, package=package_of(org), name=marker)
    db.session.add(row)
    return row


def version_row(org, marker):
    row = Version(organisation_id=org.id, package=package_of(org), name=marker)
    db.session.add(row)
    return row


def published(pk) -> bool:
    return db.session.get(Package, pk).status == "gepubliceerd"


PACKAGES = tm.TenancySpec(
    name="pakketten", model=Package, view="/pakketten", api="/api/v1/pakketten", make_row=package_row,
    add_form=lambda org, marker: {"name": marker, "organisation": str(org.id)},
    api_add=lambda org, marker: {"name": marker, "organisation": org.id},
    owner_types=("leverancier",), rights=RIGHTS,
    actions=(tm.Action("publish", published),),
    related=tm.Related(make=contact_row, field="contact_person", api_field="contact_person"),
    watch=(StoredFile,),
)

MODULES = tm.TenancySpec(
    name="modules", model=Module, view="/modules", api="/api/v1/modules", make_row=module_row,
    edit_form=lambda row: {"package": str(row.package_id)},
    add_form=lambda org, marker: {"name": marker, "package": str(package_of(org).id)},
    api_add=lambda org, marker: {"name": marker, "package": package_of(org).id},
    owner_types=("leverancier",), rights=RIGHTS,
    related=tm.Related(make=lambda org, marker: make_package(org, name=marker), field="package",
                       api_field="package"),
)

VERSIONS = tm.TenancySpec(
    name="versies", model=Version, view="/versies", api="/api/v1/versies", make_row=version_row,
    edit_form=lambda row: {"status": "in_gebruik", "package": str(row.package_id)},
    add_form=lambda org, marker: {"name": marker, "status": "in_gebruik", "package": str(package_of(org).id)},
    api_add=lambda org, marker: {"name": marker, "package": package_of(org).id},
    owner_types=("leverancier",), rights=RIGHTS,
    related=tm.Related(make=lambda org, marker: make_package(org, name=marker), field="package",
                       api_field="package"),
)

matrix_env = tm.environment()


@pytest.mark.parametrize("cell", PACKAGES.cells())
def test_packages_tenancy(matrix_env, cell):
    tm.check(matrix_env, PACKAGES, cell)


@pytest.mark.parametrize("cell", MODULES.cells())
def test_modules_tenancy(matrix_env, cell):
    tm.check(matrix_env, MODULES, cell)


@pytest.mark.parametrize("cell", VERSIONS.cells())
def test_versions_tenancy(matrix_env, cell):
    tm.check(matrix_env, VERSIONS, cell)
