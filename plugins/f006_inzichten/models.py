"""F006 Inzichten: views per organisation and day, interest, notifications, and the proposal facts.

Privacy (issue pt 9): view statistics keep organisations and days, never a person. Attributed
views (a gemeente or samenwerking) are one row per package, organisation and day (``ViewDay``,
unique: a second view that day changes nothing); every other view counts in the package's
daily total (``ViewTotal``). Both are aggregates kept per day, so the dashboard reads the same
number of rows however many views there were.
"""

from __future__ import annotations

from flask_appbuilder import Model
from sqlalchemy import Boolean, Column, Date, DateTime, ForeignKey, Index, Integer, String, Text, UniqueConstraint
from sqlalchemy.orm import relationship

from core.models import utcnow


class ViewDay(Model):
    """A gemeente or samenwerking viewed a package on a day (once, however often)."""

    __tablename__ = "f006_view_day"
    __table_args__ = (UniqueConstraint("package_id", "viewer_id", "day", name="uq_f006_view_day"),
                      Index("ix_f006_view_day_package_day", "package_id", "day"))

    id = Column(Integer, primary_key=True)
    package_id = Column(Integer, ForeignKey("package.id", ondelete="CASCADE"), nullable=False)
    viewer_id = Column(Integer, ForeignKey("organisation.id", ondelete="CASCADE"), nullable=False, index=True)
    day = Column(Date, nullable=False, index=True)


class ViewTotal(Model):
    """A package's views on a day: ``hits`` by everyone else who counts (visitors, other suppliers) and
    ``organisations``, the gemeenten and samenwerkingen that viewed it that day (each once). The weekly
    figures read these rows only: at most one per package and day, however many views there were."""

    __tablename__ = "f006_view_total"
    __table_args__ = (UniqueConstraint("package_id", "day", name="uq_f006_view_total"),)

    id = Column(Integer, primary_key=True)
    package_id = Column(Integer, ForeignKey("package.id", ondelete="CASCADE"), nullable=False)
    day = Column(Date, nullable=False, index=True)
    hits = Column(Integer, nullable=False, default=0)
    organisations = Column(Integer, nullable=False, default=0, server_default="0")


class Interest(Model):
    """A gemeente's Gebruik-beheerder showed interest in a package ("Interesse tonen").

    Owned by the municipality (``organisation_id``); ``supplier_id`` (the package's supplier,
    copied) is what the supplier's page filters on. The contact is stored only when the
    municipality chose to share it.
    """

    __tablename__ = "f006_interest"
    __table_args__ = (UniqueConstraint("organisation_id", "package_id", name="uq_f006_interest"),)

    id = Column(Integer, primary_key=True)
    organisation_id = Column(Integer, ForeignKey("organisation.id", ondelete="CASCADE"), nullable=False, index=True)
    package_id = Column(Integer, ForeignKey("package.id", ondelete="CASCADE"), nullable=False, index=True)
    supplier_id = Column(Integer, ForeignKey("organisation.id", ondelete="CASCADE"), nullable=False, index=True)
    message = Column(Text, nullable=True)
    share_contact = Column(Boolean, nullable=False, default=False)
    contact_name = Column(String(200), nullable=True)
    contact_email = Column(String(200), nullable=True)
    created_on = Column(DateTime, nullable=False, default=utcnow)

    organisation = relationship("Organisation", foreign_keys=[organisation_id])
    supplier = relationship("Organisation", foreign_keys=[supplier_id])
    package = relationship("Package")

    def __str__(self) -> str:
        return f"Interesse van {self.organisation.name if self.organisation else '?'}"


#: How a user wants notifications by e-mail.
FREQUENCIES = (("direct", "Direct, bij elke melding"), ("dagelijks", "Eén keer per dag (overzicht)"),
               ("wekelijks", "Eén keer per week (overzicht)"), ("nooit", "Nooit, alleen in de catalogus"))
DEFAULT_FREQUENCY = "direct"


class Notification(Model):
    """An in-app notification for one user (about its organisation's packages)."""

    __tablename__ = "f006_notification"
    __table_args__ = (Index("ix_f006_notification_user_read", "user_id", "read_on"),)

    id = Column(Integer, primary_key=True)
    user_id = Column(Integer, ForeignKey("ab_user.id", ondelete="CASCADE"), nullable=False)
    #: The organisation the notification is about (the recipient's): the tenancy column.
    organisation_id = Column(Integer, ForeignKey("organisation.id", ondelete="CASCADE"), nullable=False, index=True)
    kind = Column(String(30), nullable=False)
    text = Column(String(500), nullable=False)
    url = Column(String(500), nullable=True)
    created_on = Column(DateTime, nullable=False, default=utcnow)
    read_on = Column(DateTime, nullable=True)
    mailed_on = Column(DateTime, nullable=True)

    def __str__(self) -> str:
        return self.text


class NotificationSetting(Model):
    """A user's choice of e-mail for notifications (no row: the default)."""

    __tablename__ = "f006_notification_setting"

    user_id = Column(Integer, ForeignKey("ab_user.id", ondelete="CASCADE"), primary_key=True)
    frequency = Column(String(20), nullable=False, default=DEFAULT_FREQUENCY)


class ProposalFact(Model):
    """A usage proposal as F013's events told it (F006 never reads F013's tables): the funnel."""

    __tablename__ = "f006_proposal"

    proposal_id = Column(Integer, primary_key=True, autoincrement=False)
    supplier_id = Column(Integer, ForeignKey("organisation.id", ondelete="CASCADE"), nullable=False, index=True)
    package_id = Column(Integer, ForeignKey("package.id", ondelete="CASCADE"), nullable=False, index=True)
    organisation_id = Column(Integer, ForeignKey("organisation.id", ondelete="CASCADE"), nullable=False)
    state = Column(String(20), nullable=False, default="open")
    proposed_on = Column(Date, nullable=False)
    decided_on = Column(Date, nullable=True)


class SearchDay(Model):
    """A gemeente or samenwerking searched the catalogue for a term (or a filter) on a day (once)."""

    __tablename__ = "f006_search_day"
    __table_args__ = (UniqueConstraint("term", "viewer_id", "day", name="uq_f006_search_day"),)

    id = Column(Integer, primary_key=True)
    #: The normalised search text, or "facet=value" for a filter (``kind``).
    term = Column(String(200), nullable=False)
    kind = Column(String(10), nullable=False, default="zoekterm")
    viewer_id = Column(Integer, ForeignKey("organisation.id", ondelete="CASCADE"), nullable=False, index=True)
    day = Column(Date, nullable=False, index=True)


# No public page shows these rows: recording a view, a search or a notification never
# invalidates the catalogue's page cache (core.catalogue.cache.QUIET).
for _model in (ViewDay, ViewTotal, Interest, Notification, NotificationSetting, ProposalFact, SearchDay):
    _model.__table__.info["catalogue_quiet"] = True
