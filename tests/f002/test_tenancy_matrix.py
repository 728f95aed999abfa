"""F002 through the shared tenancy matrix: every role x every way in x own/other organisation.

- *Profiel*: suppliers read and edit their own profile, the VNG-raadpleger reads all,
  the Functioneel beheerder reads and edits all. Profiles are not added or deleted through
  the page (``/profiel/mijn`` makes the own one); the marker is the city.
- *Contactpersonen*: every organisation's beheerder manages its own, the
  Gebruik-raadpleger reads its own, the VNG-raadpleger reads all.
- *Certificeringen*: suppliers manage their own, the VNG-raadpleger reads all.
"""

from __future__ import annotations

import pytest

from core.contacts import ContactPerson
from core.extensions import db
from core.files import StoredFile
from plugins.f002_organisatie.models import Certification, OrganisationProfile
from tests.support import tenancy_matrix as tm


def profile_row(org, marker):
    profile = db.session.query(OrganisationProfile).filter_by(organisation_id=org.id).first()
    if profile is None:
        profile = OrganisationProfile(organisation_id=org.id)
        db.session.add(profile)
    profile.city = marker
    return profile


def contact_row(org, marker):
    row = ContactPerson(organisation_id=org.id, name=marker, role="Accountmanager")
    db.session.add(row)
    return row


def certification_row(org, marker):
    row = Certification(organisation_id=org.id, kind="iso27001", issuer=marker)
    db.session.add(row)
    return row


PROFILES = tm.TenancySpec(
    name="profiel",
    model=OrganisationProfile,
    view="/profiel",
    marker_field="city",
    make_row=profile_row,
    edit_form=lambda row: {"description": "Kort", "website": "https://voorbeeld.example",
                           "name": row.organisation.name, "kvk_number": row.organisation.kvk_number or ""},
    owner_types=("leverancier",),
    rights={
        tm.AANBOD_BEHEERDER: tm.Rights(read=tm.OWN, edit=tm.OWN),
        tm.VNG_RAADPLEGER: tm.Rights(read=tm.ALL),
        tm.FUNCTIONEEL_BEHEERDER: tm.Rights(read=tm.ALL, edit=tm.ALL),
    },
    watch=(StoredFile,),
)

CONTACTS = tm.TenancySpec(
    name="contactpersonen",
    model=ContactPerson,
    view="/contactpersonen",
    api="/api/v1/contactpersonen",
    make_row=contact_row,
    add_form=lambda org, marker: {"name": marker, "organisation": str(org.id)},
    api_add=lambda org, marker: {"name": marker, "organisation": org.id},
    rights={
        tm.AANBOD_BEHEERDER: tm.Rights(read=tm.OWN, edit=tm.OWN, delete=tm.OWN, add=tm.OWN),
        tm.GEBRUIK_BEHEERDER: tm.Rights(read=tm.OWN, edit=tm.OWN, delete=tm.OWN, add=tm.OWN),
        tm.GEBRUIK_RAADPLEGER: tm.Rights(read=tm.OWN),
        tm.VNG_RAADPLEGER: tm.Rights(read=tm.ALL),
        tm.FUNCTIONEEL_BEHEERDER: tm.Rights.everything(),
    },
)

CERTIFICATIONS = tm.TenancySpec(
    name="certificeringen",
    model=Certification,
    view="/certificeringen",
    api="/api/v1/certificeringen",
    marker_field="issuer",
    make_row=certification_row,
    edit_form=lambda row: {"kind": "iso27001", "valid_until": "2030-01-01"},
    api_edit=lambda row: {"kind": "iso27001"},
    add_form=lambda org, marker: {"issuer": marker, "kind": "bio", "organisation": str(org.id)},
    api_add=lambda org, marker: {"issuer": marker, "kind": "bio", "organisation": org.id},
    owner_types=("leverancier",),
    rights={
        tm.AANBOD_BEHEERDER: tm.Rights(read=tm.OWN, edit=tm.OWN, delete=tm.OWN, add=tm.OWN),
        tm.VNG_RAADPLEGER: tm.Rights(read=tm.ALL),
        tm.FUNCTIONEEL_BEHEERDER: tm.Rights.everything(),
    },
    watch=(StoredFile,),
)

matrix_env = tm.environment()


@pytest.mark.parametrize("cell", PROFILES.cells())
def test_profile_tenancy(matrix_env, cell):
    tm.check(matrix_env, PROFILES, cell)


@pytest.mark.parametrize("cell", CONTACTS.cells())
def test_contact_persons_tenancy(matrix_env, cell):
    tm.check(matrix_env, CONTACTS, cell)


@pytest.mark.parametrize("cell", CERTIFICATIONS.cells())
def test_certifications_tenancy(matrix_env, cell):
    tm.check(matrix_env, CERTIFICATIONS, cell)
