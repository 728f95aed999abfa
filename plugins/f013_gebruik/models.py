"""The status history of a usage: only F013 writes it.

The usage itself (``core.catalogue.models.Usage``, table ``package_usage``) stays in core:
F004, F011 and core's merge join on it.
"""

from __future__ import annotations

from flask_appbuilder import Model
from sqlalchemy import Column, Date, DateTime, ForeignKey, Integer, String, Text
from sqlalchemy.orm import relationship

from core.models import utcnow

#: What happened to a usage.
CHANGE_KINDS = (("toegevoegd", "Toegevoegd"), ("gewijzigd", "Gewijzigd"), ("beeindigd", "Beëindigd"))


class UsageChange(Model):
    """One change of a usage: who changed what, when. Kept when the usage ends."""

    __tablename__ = "f013_usage_change"

    id = Column(Integer, primary_key=True)
    usage_id = Column(Integer, ForeignKey("package_usage.id", ondelete="CASCADE"), nullable=False, index=True)
    #: The usage's organisation (copied, so tenancy filters without a join).
    organisation_id = Column(Integer, ForeignKey("organisation.id", ondelete="CASCADE"), nullable=False,
                             index=True)
    changed_on = Column(DateTime, nullable=False, default=utcnow)
    changed_by_id = Column(Integer, ForeignKey("ab_user.id", ondelete="SET NULL"), nullable=True)
    kind = Column(String(20), nullable=False)
    status = Column(String(30), nullable=False)
    status_date = Column(Date, nullable=True)
    #: The version's name at the time (the version may be removed later).
    version_name = Column(String(200), nullable=True)
    #: Dutch summary of what changed ("Status: Gepland → In productie").
    summary = Column(Text, nullable=True)

    usage = relationship("Usage")
    changed_by = relationship("ScgUser", foreign_keys=[changed_by_id])
