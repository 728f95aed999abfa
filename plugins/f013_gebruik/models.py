"""F013 Gebruik: the status history of a usage, proposals by suppliers, blocks, and references.

The usage itself (``core.catalogue.models.Usage``, table ``package_usage``) stays in core:
F004, F011 and core's merge join on it.
"""

from __future__ import annotations

from flask_appbuilder import Model
from sqlalchemy import Boolean, Column, Date, DateTime, ForeignKey, Index, Integer, String, Text, UniqueConstraint, text
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


#: The states of a usage proposal. Only ``open`` can change; every other state is final.
PROPOSAL_STATES = (
    ("open", "Open"),
    ("geaccepteerd", "Geaccepteerd"),
    ("afgewezen", "Afgewezen"),
    ("ingetrokken", "Ingetrokken"),
    ("verlopen", "Verlopen"),
    # Closed by the catalogue, not by a person: the package was unpublished or merged away.
    ("vervallen", "Vervallen"),
)
OPEN = "open"


class Proposal(Model):
    """A supplier proposes "gemeente X uses package P": it counts nowhere until X accepts it.

    Owned by two organisations: the municipality it is addressed to (``organisation_id``,
    the tenancy column of the municipal views) and the proposing supplier (``supplier_id``,
    the tenancy column of the supplier's views). Accepting creates or changes the usage
    (``usage_id``). At most one open proposal per municipality and package.
    """

    __tablename__ = "f013_proposal"
    __table_args__ = (
        Index("uq_f013_proposal_open", "organisation_id", "package_id", unique=True,
              postgresql_where=text("state = 'open'"), sqlite_where=text("state = 'open'")),
    )

    id = Column(Integer, primary_key=True)
    organisation_id = Column(Integer, ForeignKey("organisation.id", ondelete="CASCADE"), nullable=False, index=True)
    supplier_id = Column(Integer, ForeignKey("organisation.id", ondelete="CASCADE"), nullable=False, index=True)
    package_id = Column(Integer, ForeignKey("package.id", ondelete="CASCADE"), nullable=False, index=True)
    version_id = Column(Integer, ForeignKey("package_version.id", ondelete="SET NULL"), nullable=True)
    status = Column(String(30), nullable=False, default="in_productie")
    status_date = Column(Date, nullable=True)
    note = Column(Text, nullable=True)
    state = Column(String(20), nullable=False, default=OPEN, index=True)
    #: The municipality's reason for a rejection (optional), or why it expired or was closed.
    reason = Column(Text, nullable=True)
    proposed_on = Column(DateTime, nullable=False, default=utcnow)
    proposed_by_id = Column(Integer, ForeignKey("ab_user.id", ondelete="SET NULL"), nullable=True)
    decided_on = Column(DateTime, nullable=True)
    decided_by_id = Column(Integer, ForeignKey("ab_user.id", ondelete="SET NULL"), nullable=True)
    #: The usage an acceptance created or changed.
    usage_id = Column(Integer, ForeignKey("package_usage.id", ondelete="SET NULL"), nullable=True)

    organisation = relationship("Organisation", foreign_keys=[organisation_id])
    supplier = relationship("Organisation", foreign_keys=[supplier_id])
    package = relationship("Package")
    version = relationship("Version")
    usage = relationship("Usage")
    proposed_by = relationship("ScgUser", foreign_keys=[proposed_by_id])
    decided_by = relationship("ScgUser", foreign_keys=[decided_by_id])


class ProposalBlock(Model):
    """A municipality accepts no more proposals from a supplier (until it lifts the block)."""

    __tablename__ = "f013_proposal_block"
    __table_args__ = (UniqueConstraint("organisation_id", "supplier_id", name="uq_f013_proposal_block"),)

    id = Column(Integer, primary_key=True)
    organisation_id = Column(Integer, ForeignKey("organisation.id", ondelete="CASCADE"), nullable=False, index=True)
    supplier_id = Column(Integer, ForeignKey("organisation.id", ondelete="CASCADE"), nullable=False, index=True)
    created_on = Column(DateTime, nullable=False, default=utcnow)
    created_by_id = Column(Integer, ForeignKey("ab_user.id", ondelete="SET NULL"), nullable=True)

    organisation = relationship("Organisation", foreign_keys=[organisation_id])
    supplier = relationship("Organisation", foreign_keys=[supplier_id])


class Reference(Model):
    """A usage's reference status: the supplier asks, the municipality opts in or out, with a contact it chooses.

    One row per usage. The public package page lists the names of municipalities that opted in.
    """

    __tablename__ = "f013_reference"

    id = Column(Integer, primary_key=True)
    usage_id = Column(Integer, ForeignKey("package_usage.id", ondelete="CASCADE"), nullable=False, unique=True)
    #: The usage's organisation (copied, so tenancy filters without a join).
    organisation_id = Column(Integer, ForeignKey("organisation.id", ondelete="CASCADE"), nullable=False, index=True)
    #: The usage's package (copied, so the public page lists references without a join).
    package_id = Column(Integer, ForeignKey("package.id", ondelete="CASCADE"), nullable=False, index=True)
    asked_on = Column(DateTime, nullable=True)
    asked_by_id = Column(Integer, ForeignKey("ab_user.id", ondelete="SET NULL"), nullable=True)
    opted_in = Column(Boolean, nullable=False, default=False)
    contact_name = Column(String(200), nullable=True)
    contact_email = Column(String(320), nullable=True)
    contact_phone = Column(String(30), nullable=True)
    changed_on = Column(DateTime, nullable=False, default=utcnow, onupdate=utcnow)
    changed_by_id = Column(Integer, ForeignKey("ab_user.id", ondelete="SET NULL"), nullable=True)

    usage = relationship("Usage")
    organisation = relationship("Organisation", foreign_keys=[organisation_id])
    package = relationship("Package")
