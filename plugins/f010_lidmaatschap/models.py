"""A participation ("deelname") of one organisation in a samenwerking or community.

Not to be confused with ``core.models.Membership``, a *person's* membership of an
organisation. Ending a participation keeps the row (``ended_on`` set), so the history
stays; joining again later adds a new row.
"""

from __future__ import annotations

from flask_appbuilder import Model
from sqlalchemy import Column, Date, DateTime, ForeignKey, Index, Integer, text
from sqlalchemy.orm import relationship

from core.models import utcnow

#: Which group types an organisation of a type may join.
JOINABLE = {"gemeente": ("samenwerking", "community"), "leverancier": ("community",)}
GROUP_TYPES = ("samenwerking", "community")


class Deelname(Model):
    __tablename__ = "f010_deelname"
    __table_args__ = (
        # one active participation per member and group, also when two declarations race
        Index("uq_f010_deelname_active", "organisation_id", "group_id", unique=True,
              postgresql_where=text("ended_on IS NULL"), sqlite_where=text("ended_on IS NULL")),
    )

    id = Column(Integer, primary_key=True)
    #: The member: the owning organisation (tenancy column).
    organisation_id = Column(Integer, ForeignKey("organisation.id", ondelete="CASCADE"), nullable=False, index=True)
    #: The samenwerking or community.
    group_id = Column(Integer, ForeignKey("organisation.id", ondelete="CASCADE"), nullable=False, index=True)
    since = Column(Date, nullable=False)
    ended_on = Column(Date, nullable=True)
    declared_by_id = Column(Integer, ForeignKey("ab_user.id", ondelete="SET NULL"), nullable=True)
    ended_by_id = Column(Integer, ForeignKey("ab_user.id", ondelete="SET NULL"), nullable=True)
    created_on = Column(DateTime, default=utcnow, nullable=False)

    organisation = relationship("Organisation", foreign_keys=[organisation_id], lazy="joined")
    group = relationship("Organisation", foreign_keys=[group_id], lazy="joined")

    @property
    def active(self) -> bool:
        return self.ended_on is None

    def __repr__(self) -> str:
        return f"{self.organisation.name if self.organisation else '?'} in {self.group.name if self.group else '?'}"

    # -- shown on the pages ------------------------------------------------
    @property
    def group_name(self) -> str:
        return self.group.name if self.group else ""

    @property
    def group_type(self) -> str:
        return self.group.type_label if self.group else ""

    @property
    def member_name(self) -> str:
        return self.organisation.name if self.organisation else ""

    @property
    def member_type(self) -> str:
        return self.organisation.type_label if self.organisation else ""

    @property
    def member_contact(self) -> str:
        from plugins.f010_lidmaatschap.service import contact_of

        return contact_of(self.organisation) if self.organisation else ""

    @property
    def state(self) -> str:
        return "Actief" if self.ended_on is None else "Beëindigd"

    @property
    def end_action(self):
        """A link to the confirmation page of ending, for an active participation."""
        from flask import url_for
        from markupsafe import Markup, escape

        if self.ended_on is not None:
            return ""
        label = escape(f"Deelname aan {self.group_name} beëindigen")
        return Markup(f'<a href="{url_for("DeelnameView.end", pk=self.id)}" aria-label="{label}">Beëindigen</a>')
