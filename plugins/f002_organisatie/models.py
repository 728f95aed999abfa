"""The profile of an organisation (1:1) and its certifications and statements."""

from __future__ import annotations

import datetime as dt

from flask_appbuilder import Model
from sqlalchemy import Column, Date, DateTime, ForeignKey, Integer, String, Text
from sqlalchemy.orm import relationship

from core.files import StoredFile
from core.models import utcnow

CERTIFICATION_KINDS = (
    ("iso27001", "ISO 27001"),
    ("iso9001", "ISO 9001"),
    ("nen7510", "NEN 7510"),
    ("isae3402", "ISAE 3402"),
    ("soc2", "SOC 2"),
    ("digid", "DigiD-assessment"),
    ("bio", "BIO"),
    ("anders", "Anders"),
)
CERTIFICATION_LABELS = dict(CERTIFICATION_KINDS)


def today() -> dt.date:
    return utcnow().date()


class OrganisationProfile(Model):
    """What an organisation shows about itself beyond the core organisation record."""

    __tablename__ = "organisation_profile"

    id = Column(Integer, primary_key=True)
    organisation_id = Column(Integer, ForeignKey("organisation.id", ondelete="CASCADE"), nullable=False,
                             unique=True)
    logo_file_id = Column(Integer, ForeignKey("stored_file.id", ondelete="SET NULL"), nullable=True)
    long_description = Column(Text, nullable=True)
    street = Column(String(200), nullable=True)
    postcode = Column(String(10), nullable=True)
    city = Column(String(100), nullable=True)
    support_url = Column(String(500), nullable=True)
    manual_url = Column(String(500), nullable=True)
    changed_on = Column(DateTime, default=utcnow, onupdate=utcnow, nullable=False)

    organisation = relationship("Organisation", lazy="joined")
    logo = relationship(StoredFile, lazy="joined", foreign_keys=[logo_file_id])

    def __repr__(self) -> str:
        return f"Profiel van {self.organisation}"


class Certification(Model):
    """A certification or statement, with validity and evidence (a PDF or a URL)."""

    __tablename__ = "certification"

    id = Column(Integer, primary_key=True)
    organisation_id = Column(Integer, ForeignKey("organisation.id", ondelete="CASCADE"), nullable=False,
                             index=True)
    kind = Column(String(20), nullable=False)
    other_name = Column(String(200), nullable=True)  # the name when kind is "anders"
    issuer = Column(String(200), nullable=False)
    valid_until = Column(Date, nullable=True)
    evidence_url = Column(String(500), nullable=True)
    evidence_file_id = Column(Integer, ForeignKey("stored_file.id", ondelete="SET NULL"), nullable=True)
    created_on = Column(DateTime, default=utcnow, nullable=False)
    changed_on = Column(DateTime, default=utcnow, onupdate=utcnow, nullable=False)

    organisation = relationship("Organisation", lazy="joined")
    evidence_file = relationship(StoredFile, lazy="joined", foreign_keys=[evidence_file_id])

    @property
    def title(self) -> str:
        if self.kind == "anders" and self.other_name:
            return self.other_name
        return CERTIFICATION_LABELS.get(self.kind, self.kind)

    @property
    def expired(self) -> bool:
        return self.valid_until is not None and self.valid_until < today()

    @property
    def validity(self) -> str:
        if self.valid_until is None:
            return "Geen einddatum"
        text = self.valid_until.strftime("%d-%m-%Y")
        return f"Verlopen op {text}" if self.expired else f"Geldig tot {text}"

    def __repr__(self) -> str:
        return self.title
