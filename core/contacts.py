"""Contact persons of an organisation, in core because several plugins link to them.

A package (F004) or a service can point at a contact person of its own organisation
with a foreign key to ``contact_person.id``; plugins never import each other, so the
model lives here. The F002 plugin registers it and offers its pages.
"""

from __future__ import annotations

from flask_appbuilder import Model
from sqlalchemy import Column, DateTime, ForeignKey, Integer, String
from sqlalchemy.orm import relationship

from core.models import utcnow


class ContactPerson(Model):
    __tablename__ = "contact_person"

    id = Column(Integer, primary_key=True)
    organisation_id = Column(Integer, ForeignKey("organisation.id", ondelete="CASCADE"), nullable=False,
                             index=True)
    name = Column(String(200), nullable=False)
    role = Column(String(200), nullable=True)
    email = Column(String(320), nullable=True)
    phone = Column(String(30), nullable=True)
    created_on = Column(DateTime, default=utcnow, nullable=False)
    changed_on = Column(DateTime, default=utcnow, onupdate=utcnow, nullable=False)

    organisation = relationship("Organisation", lazy="joined")

    def __repr__(self) -> str:
        return f"{self.name} ({self.role})" if self.role else self.name
