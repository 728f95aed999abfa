"""Registration of a supplier: what the form asked besides the organisation and the user."""

from __future__ import annotations

from flask_appbuilder import Model
from sqlalchemy import Column, DateTime, ForeignKey, Integer, String, Text
from sqlalchemy.orm import relationship

from core.models import utcnow

SOFTWARE_KINDS = [
    ("zaakgericht", "Zaakgericht werken"),
    ("vergunningen", "Vergunningen en omgevingswet"),
    ("burgerzaken", "Burgerzaken"),
    ("sociaal_domein", "Sociaal domein"),
    ("belastingen", "Belastingen en WOZ"),
    ("financien", "Financiën en HRM"),
    ("documenten", "Document- en archiefbeheer"),
    ("gis", "Geo-informatie"),
    ("dienstverlening", "Dienstverlening en website"),
    ("infrastructuur", "Infrastructuur, hosting en beheer"),
    ("overig", "Overig"),
]


class Registration(Model):
    """One supplier registration: organisation + first user, confirmed and reviewed."""

    __tablename__ = "registration"

    id = Column(Integer, primary_key=True)
    organisation_id = Column(Integer, ForeignKey("organisation.id", ondelete="CASCADE"),
                             nullable=False, unique=True)
    user_id = Column(Integer, ForeignKey("ab_user.id", ondelete="CASCADE"), nullable=False)
    software_kinds = Column(Text, nullable=True)  # comma-separated keys of SOFTWARE_KINDS
    privacy_consent_on = Column(DateTime, nullable=False)
    confirmed_on = Column(DateTime, nullable=True)
    created_on = Column(DateTime, default=utcnow, nullable=False)
    ip = Column(String(45), nullable=True)

    organisation = relationship("Organisation", lazy="joined")
    user = relationship("ScgUser", lazy="joined")

    @property
    def software_kind_labels(self) -> list[str]:
        labels = dict(SOFTWARE_KINDS)
        return [labels.get(k, k) for k in (self.software_kinds or "").split(",") if k]
