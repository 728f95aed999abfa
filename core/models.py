"""Core data: organisations, memberships, the extended user, audit log and used tokens."""

from __future__ import annotations

import datetime as dt
import enum

from flask_appbuilder import Model
from flask_appbuilder.security.sqla.models import User
from sqlalchemy import (
    Boolean,
    Column,
    DateTime,
    ForeignKey,
    Index,
    Integer,
    String,
    Text,
    UniqueConstraint,
    event,
    func,
)
from sqlalchemy.orm import relationship


def utcnow() -> dt.datetime:
    return dt.datetime.now(dt.timezone.utc).replace(tzinfo=None)


class OrganisationType(str, enum.Enum):
    gemeente = "gemeente"
    leverancier = "leverancier"
    samenwerking = "samenwerking"
    community = "community"
    vng = "vng"


ORGANISATION_TYPE_LABELS = {
    "gemeente": "Gemeente",
    "leverancier": "Leverancier",
    "samenwerking": "Samenwerking",
    "community": "Community",
    "vng": "VNG",
}


class OrganisationStatus(str, enum.Enum):
    aangemeld = "aangemeld"  # registered, e-mail not yet confirmed
    bevestigd = "bevestigd"  # e-mail confirmed, waiting for VNG
    goedgekeurd = "goedgekeurd"  # approved: active in the catalogue
    afgewezen = "afgewezen"  # rejected, with a reason
    concept = "concept"  # a supplier a municipality named (F004): no account, not active, until it registers


ORGANISATION_STATUS_LABELS = {
    "aangemeld": "Aangemeld (e-mail niet bevestigd)",
    "bevestigd": "Bevestigd (wacht op beoordeling)",
    "goedgekeurd": "Goedgekeurd",
    "afgewezen": "Afgewezen",
    "concept": "Concept (aangemaakt door een gemeente)",
}


class Organisation(Model):
    __tablename__ = "organisation"
    __table_args__ = (
        Index("ix_organisation_type_status", "type", "status"),
    )

    id = Column(Integer, primary_key=True)
    name = Column(String(200), nullable=False, index=True)
    type = Column(String(20), nullable=False)
    status = Column(String(20), nullable=False, default=OrganisationStatus.aangemeld.value)
    kvk_number = Column(String(8), unique=True, nullable=True)
    cbs_code = Column(String(4), unique=True, nullable=True)
    gm_code = Column(String(6), unique=True, nullable=True)
    province = Column(String(50), nullable=True)
    website = Column(String(500), nullable=True)
    email = Column(String(320), nullable=True)
    phone = Column(String(30), nullable=True)
    description = Column(String(255), nullable=True)
    rejection_reason = Column(Text, nullable=True)
    reviewed_on = Column(DateTime, nullable=True)
    reviewed_by_id = Column(Integer, ForeignKey("ab_user.id"), nullable=True)
    created_on = Column(DateTime, default=utcnow, nullable=False)
    changed_on = Column(DateTime, default=utcnow, onupdate=utcnow, nullable=False)
    #: A concept organisation (status ``concept``): the municipality that named it as the supplier
    #: of a package missing from the catalogue (F004). None for every organisation that registered.
    created_by_organisation_id = Column(Integer, ForeignKey("organisation.id", ondelete="SET NULL"),
                                        nullable=True, index=True)

    # A membership goes with its organisation (the schema says ON DELETE CASCADE; the ORM
    # must agree, or deleting an organisation with members fails on membership.organisation_id).
    memberships = relationship("Membership", back_populates="organisation", lazy="select",
                               cascade="save-update, merge, delete")

    @property
    def is_active(self) -> bool:
        return self.status == OrganisationStatus.goedgekeurd.value

    @property
    def type_label(self) -> str:
        return ORGANISATION_TYPE_LABELS.get(self.type, self.type)

    @property
    def status_label(self) -> str:
        return ORGANISATION_STATUS_LABELS.get(self.status, self.status)

    @property
    def created_by_label(self) -> str:
        """ "aangemaakt door gemeente X" for a concept organisation, else empty."""
        if self.created_by_organisation_id is None:
            return ""
        # (a query, not a relationship: the tenancy checks would take a self-reference for a chosen row)
        from sqlalchemy.orm import object_session

        session = object_session(self)
        creator = session.get(Organisation, self.created_by_organisation_id) if session is not None else None
        return f"aangemaakt door {creator.type_label.lower()} {creator.name}" if creator is not None else ""

    def __repr__(self) -> str:
        return self.name


# One concept supplier per name: two municipalities naming the same missing supplier at the
# same moment get one concept, not two (F004's concept_supplier takes the other one's on a conflict).
Index("uq_organisation_concept_name", func.lower(Organisation.name), unique=True,
      postgresql_where=Organisation.status == "concept", sqlite_where=Organisation.status == "concept")


class ScgUser(User):
    """FAB's user with two-factor settings.

    A user belongs to organisations through memberships, so that one person can
    later hold roles in several organisations.
    """

    __tablename__ = "ab_user"
    totp_secret = Column(String(64), nullable=True)
    totp_enabled = Column(Boolean, nullable=False, default=False)
    totp_last_step = Column(Integer, nullable=True)  # step of the last accepted code: no replay
    #: The organisation the user acts for when it has several memberships (switched in the user menu).
    #: (use_alter: organisation.reviewed_by_id points back at ab_user.)
    active_organisation_id = Column(Integer, ForeignKey("organisation.id", ondelete="SET NULL", use_alter=True,
                                                        name="fk_ab_user_active_organisation_id"), nullable=True)

    memberships = relationship(
        "Membership", back_populates="user", lazy="selectin",
        foreign_keys="Membership.user_id", cascade="save-update, merge, delete",
    )

    @property
    def organisation(self):
        """The organisation the user currently acts for: the active membership's, else the first active one."""
        membership = self.active_membership
        return membership.organisation if membership is not None else None

    @property
    def active_membership(self):
        """The membership the user acts in: the one of ``active_organisation_id`` if still active, else the first."""
        first = None
        for membership in self.memberships:
            if not membership.active:
                continue
            if membership.organisation_id == self.active_organisation_id:
                return membership
            first = first or membership
        return first


class Membership(Model):
    """A user's place in an organisation, with the domain role held there."""

    __tablename__ = "membership"
    __table_args__ = (UniqueConstraint("user_id", "organisation_id"),)

    id = Column(Integer, primary_key=True)
    user_id = Column(Integer, ForeignKey("ab_user.id", ondelete="CASCADE"), nullable=False, index=True)
    organisation_id = Column(
        Integer, ForeignKey("organisation.id", ondelete="CASCADE"), nullable=False, index=True
    )
    role_name = Column(String(64), nullable=False)
    active = Column(Boolean, nullable=False, default=True)
    created_on = Column(DateTime, default=utcnow, nullable=False)

    user = relationship("ScgUser", back_populates="memberships", foreign_keys=[user_id], lazy="joined")
    organisation = relationship("Organisation", back_populates="memberships", lazy="joined")

    def __repr__(self) -> str:
        return f"{self.user} @ {self.organisation} ({self.role_name})"


class AuditLog(Model):
    """Append-only record of what happened. Changeable by nobody."""

    __tablename__ = "audit_log"

    id = Column(Integer, primary_key=True)
    timestamp = Column(DateTime, default=utcnow, nullable=False, index=True)
    user_id = Column(Integer, nullable=True, index=True)
    username = Column(String(320), nullable=True)
    organisation_id = Column(Integer, nullable=True, index=True)
    action = Column(String(50), nullable=False, index=True)
    object_type = Column(String(100), nullable=True)
    object_id = Column(String(100), nullable=True)
    result = Column(String(20), nullable=False, default="gelukt")
    ip = Column(String(45), nullable=True)
    details = Column(Text, nullable=True)

    def __repr__(self) -> str:
        return f"{self.timestamp:%Y-%m-%d %H:%M} {self.action} {self.object_type} {self.object_id}"


class AuditLogImmutable(Exception):
    pass


@event.listens_for(AuditLog, "before_update")
def _refuse_audit_update(mapper, connection, target):
    raise AuditLogImmutable("Het auditlog kan niet worden gewijzigd.")


@event.listens_for(AuditLog, "before_delete")
def _refuse_audit_delete(mapper, connection, target):
    raise AuditLogImmutable("Het auditlog kan niet worden gewijzigd.")


class UsedToken(Model):
    """Single-use links: a token's id is stored when it is used, atomically."""

    __tablename__ = "used_token"

    jti = Column(String(64), primary_key=True)
    purpose = Column(String(40), nullable=False)
    used_on = Column(DateTime, default=utcnow, nullable=False)


class TotpRecoveryCode(Model):
    """A one-time recovery code for two-factor login, stored as a SHA-256 hash.

    The codes are random (80 bits), so a plain hash is enough; ``used_on`` is set
    with a conditional UPDATE, so a code works once even when two requests race.
    """

    __tablename__ = "totp_recovery_code"

    id = Column(Integer, primary_key=True)
    user_id = Column(Integer, ForeignKey("ab_user.id", ondelete="CASCADE"), nullable=False, index=True)
    code_hash = Column(String(64), nullable=False)
    created_on = Column(DateTime, default=utcnow, nullable=False)
    used_on = Column(DateTime, nullable=True)


class RoleGrantOverride(Model):
    """A right of a role that the Functioneel beheerder changed on "Rollen en rechten".

    The code's grants (``role_permissions`` hook) are the defaults; ``core.roles_sync``
    applies these rows on top of them at every sync: ``granted`` True adds the
    (permission, view menu) pair to the role, False takes it away. "Terug naar
    standaard" deletes a role's rows.
    """

    __tablename__ = "role_grant_override"
    __table_args__ = (UniqueConstraint("role_name", "permission", "view_menu"),)

    id = Column(Integer, primary_key=True)
    role_name = Column(String(64), nullable=False, index=True)
    permission = Column(String(100), nullable=False)
    view_menu = Column(String(250), nullable=False)
    granted = Column(Boolean, nullable=False)
    changed_by_id = Column(Integer, ForeignKey("ab_user.id", ondelete="SET NULL"), nullable=True)
    changed_on = Column(DateTime, default=utcnow, onupdate=utcnow, nullable=False)

    def __repr__(self) -> str:
        return f"{self.role_name}: {self.permission} {self.view_menu} = {self.granted}"


class OutboxMail(Model):
    """An e-mail waiting to be sent, written in the transaction of what caused it (core.mail).

    A job delivers it after the commit; a failure is retried later with a growing interval
    (``MAIL_RETRY_INTERVALS``). ``status`` moves from ``wachtend`` to ``bezig`` by a
    conditional UPDATE (the claim), so two deliverers never send the same mail, and to
    ``verzonden`` when the server accepted it, or ``mislukt`` after ``MAIL_MAX_ATTEMPTS``.
    """

    __tablename__ = "mail_outbox"
    __table_args__ = (Index("ix_mail_outbox_status_next_attempt_on", "status", "next_attempt_on"),)

    id = Column(Integer, primary_key=True)
    created_on = Column(DateTime, default=utcnow, nullable=False)
    status = Column(String(20), nullable=False, default="wachtend")
    sender = Column(String(320), nullable=False)
    recipients = Column(Text, nullable=False)  # one address a line
    subject = Column(String(400), nullable=False)
    body_text = Column(Text, nullable=False)
    body_html = Column(Text, nullable=True)
    message_id = Column(String(200), nullable=False)
    attempts = Column(Integer, nullable=False, default=0)
    next_attempt_on = Column(DateTime, default=utcnow, nullable=False)
    claimed_until = Column(DateTime, nullable=True)
    last_error = Column(Text, nullable=True)
    sent_on = Column(DateTime, nullable=True)

    def __repr__(self) -> str:
        return f"{self.subject} -> {self.recipients} ({self.status})"
