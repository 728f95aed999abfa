"""Profile logic: the own profile, logo and evidence uploads, and the public supplier pages."""

from __future__ import annotations

from sqlalchemy import func, select
from sqlalchemy.orm import selectinload

from core import files
from core.contacts import ContactPerson
from core.extensions import db
from core.models import Organisation, OrganisationStatus
from plugins.f002_organisatie.models import Certification, OrganisationProfile


def profile_of(organisation_id: int, create: bool = False) -> OrganisationProfile | None:
    """The profile of an organisation; with ``create`` an empty one is added when there is none."""
    profile = db.session.scalar(select(OrganisationProfile).filter_by(organisation_id=organisation_id))
    if profile is None and create:
        profile = OrganisationProfile(organisation_id=organisation_id)
        db.session.add(profile)
        db.session.commit()
    return profile


def contact_count(organisation_id: int) -> int:
    return db.session.scalar(select(func.count()).select_from(ContactPerson)
                             .where(ContactPerson.organisation_id == organisation_id)) or 0


def check_upload(storage, validate) -> files.CheckedFile | None:
    """The checked content of an uploaded file (None when nothing was chosen)."""
    if storage is None or not getattr(storage, "filename", None):
        return None
    data = files.read_limited(storage.stream, _limit(validate), "Het bestand")
    return validate(data, original_name=storage.filename)


def _limit(validate) -> int:
    return files.IMAGE_MAX_BYTES if validate is files.validate_image else files.PDF_MAX_BYTES


def replace_logo(profile: OrganisationProfile, checked: files.CheckedFile | None, remove: bool) -> None:
    """Store a new logo (or remove the old one); the old file goes."""
    if checked is None and not remove:
        return
    old = profile.logo
    profile.logo = None
    if checked is not None:
        profile.logo = files.store(db.session, checked, profile.organisation_id, kind="logo", public=True)
    if old is not None:
        db.session.flush()
        files.discard(db.session, old)


def public_suppliers_query():
    return (select(Organisation)
            .where(Organisation.type == "leverancier", Organisation.status == OrganisationStatus.goedgekeurd.value))


def public_suppliers() -> list[tuple[Organisation, OrganisationProfile | None]]:
    """Approved suppliers with their profile (one query), by name."""
    rows = db.session.execute(
        select(Organisation, OrganisationProfile)
        .outerjoin(OrganisationProfile, OrganisationProfile.organisation_id == Organisation.id)
        .where(Organisation.type == "leverancier", Organisation.status == OrganisationStatus.goedgekeurd.value)
        .order_by(Organisation.name)
    ).all()
    return [(org, profile) for org, profile in rows]


def public_supplier(organisation_id: int):
    """(organisation, profile, contact persons, certifications) of an approved supplier, or None."""
    org = db.session.scalar(public_suppliers_query().where(Organisation.id == organisation_id))
    if org is None:
        return None
    contacts = db.session.scalars(select(ContactPerson).filter_by(organisation_id=org.id)
                                  .order_by(ContactPerson.name)).all()
    certifications = db.session.scalars(select(Certification).filter_by(organisation_id=org.id)
                                        .options(selectinload(Certification.evidence_file))
                                        .order_by(Certification.kind, Certification.id)).all()
    return org, profile_of(org.id), contacts, certifications
