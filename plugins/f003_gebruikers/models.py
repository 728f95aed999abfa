"""Invitations of colleagues and requests to join an organisation."""

from __future__ import annotations

from flask_appbuilder import Model
from sqlalchemy import Column, DateTime, ForeignKey, Integer, String, Text
from sqlalchemy.orm import relationship

from core.models import utcnow

INVITATION_STATUS = {"open": "Open", "geaccepteerd": "Geaccepteerd", "ingetrokken": "Ingetrokken"}
JOIN_STATUS = {"open": "Open", "goedgekeurd": "Goedgekeurd", "afgewezen": "Afgewezen"}


class Invitation(Model):
    """A colleague invited by e-mail into an organisation with a role.

    ``current_jti`` is the id of the newest link sent: resending makes older links invalid.
    """

    __tablename__ = "invitation"

    id = Column(Integer, primary_key=True)
    organisation_id = Column(Integer, ForeignKey("organisation.id", ondelete="CASCADE"), nullable=False, index=True)
    email = Column(String(320), nullable=False, index=True)
    first_name = Column(String(64), nullable=True)
    last_name = Column(String(64), nullable=True)
    role_name = Column(String(64), nullable=False)
    status = Column(String(20), nullable=False, default="open")
    current_jti = Column(String(64), nullable=True)
    invited_by_id = Column(Integer, ForeignKey("ab_user.id", ondelete="SET NULL"), nullable=True)
    accepted_user_id = Column(Integer, ForeignKey("ab_user.id", ondelete="SET NULL"), nullable=True)
    send_count = Column(Integer, nullable=False, default=1)
    created_on = Column(DateTime, default=utcnow, nullable=False)
    last_sent_on = Column(DateTime, default=utcnow, nullable=False)
    accepted_on = Column(DateTime, nullable=True)

    organisation = relationship("Organisation", lazy="joined")
    invited_by = relationship("ScgUser", foreign_keys=[invited_by_id], lazy="joined")

    @property
    def status_label(self) -> str:
        return INVITATION_STATUS.get(self.status, self.status)


class JoinRequest(Model):
    """Someone with an e-mail address of an organisation asks to join it."""

    __tablename__ = "join_request"

    id = Column(Integer, primary_key=True)
    organisation_id = Column(Integer, ForeignKey("organisation.id", ondelete="CASCADE"), nullable=False, index=True)
    email = Column(String(320), nullable=False, index=True)
    first_name = Column(String(64), nullable=False)
    last_name = Column(String(64), nullable=False)
    motivation = Column(Text, nullable=True)
    status = Column(String(20), nullable=False, default="open")
    decided_by_id = Column(Integer, ForeignKey("ab_user.id", ondelete="SET NULL"), nullable=True)
    decided_on = Column(DateTime, nullable=True)
    decision_reason = Column(Text, nullable=True)
    created_on = Column(DateTime, default=utcnow, nullable=False)

    organisation = relationship("Organisation", lazy="joined")

    @property
    def status_label(self) -> str:
        return JOIN_STATUS.get(self.status, self.status)
