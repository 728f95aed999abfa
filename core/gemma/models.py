"""GEMMA reference data: referentiecomponenten, standaarden, their versions and obligations.

The stable identity of every concept is its GEMMA "Object ID" (a GUID). A concept that
left the release is marked ``in_release = False``, never deleted, so whatever links to it
stays intact. ``element_identifier`` is the concept's element identifier in the release's
ArchiMate model (usually ``id-<Object ID>``, but not always): an export writes it, so the
file merges into the GEMMA model in Archi without duplicates.
"""

from __future__ import annotations

from flask_appbuilder import Model
from sqlalchemy import Boolean, Column, DateTime, ForeignKey, Integer, String, Text, UniqueConstraint
from sqlalchemy.orm import relationship

from core.archimate_writer import safe_identifier
from core.models import utcnow

GEMMA_URL = "https://gemmaonline.nl/index.php/GEMMA/id-{}"
ELEMENT_IDENTIFIER_LENGTH = 255


# The markers after a concept's name wherever it is shown (``marker``), and the status an export writes.
LEFT_GEMMA = "niet meer in GEMMA"
END_OF_SUPPORT = "einde ondersteuning"
STATUS_END_OF_SUPPORT = "Einde ondersteuning"
STATUS_LEFT_GEMMA = "Niet meer in GEMMA"


def marker(in_release: bool, gemma_status: str | None) -> str | None:
    """What a person must know about a GEMMA concept next to its name, or None.

    The one rule for every page, form and export: a concept that left the release is
    "niet meer in GEMMA"; one GEMMA no longer supports is "einde ondersteuning".
    """
    if in_release is not None and not in_release:  # (None: a new row not yet saved, in the release)
        return LEFT_GEMMA
    if (gemma_status or "").strip().casefold() == STATUS_END_OF_SUPPORT.casefold():
        return END_OF_SUPPORT
    return None


def labelled(name: str, in_release: bool, gemma_status: str | None) -> str:
    """``name`` with its marker in brackets, e.g. "BRO-beheercomponent (niet meer in GEMMA)"."""
    mark = marker(in_release, gemma_status)
    return f"{name} ({mark})" if mark else name


def real_status(in_release: bool, gemma_status: str | None) -> str | None:
    """The status to export: the release's, or "Niet meer in GEMMA" for a concept that left it."""
    return STATUS_LEFT_GEMMA if marker(in_release, gemma_status) == LEFT_GEMMA else gemma_status


def archimate_identifier(element_identifier: str | None, object_id: str) -> str:
    """The identifier to write for a concept in an AMEFF file: the one it has in the imported
    release, or (for a row imported before it was kept) ``id-<Object ID>``."""
    return element_identifier or safe_identifier(object_id)


class _Concept:
    id = Column(Integer, primary_key=True)
    object_id = Column(String(64), nullable=False, unique=True)
    name = Column(String(500), nullable=False)
    description = Column(Text, nullable=True)
    gemma_status = Column(String(100), nullable=True)
    element_identifier = Column(String(ELEMENT_IDENTIFIER_LENGTH), nullable=True)
    in_release = Column(Boolean, nullable=False, default=True)
    created_on = Column(DateTime, nullable=False, default=utcnow)
    changed_on = Column(DateTime, nullable=False, default=utcnow, onupdate=utcnow)

    @property
    def marker(self) -> str | None:
        return marker(self.in_release, self.gemma_status)

    @property
    def label(self) -> str:
        return labelled(self.name, self.in_release, self.gemma_status)

    @property
    def archimate_identifier(self) -> str:
        return archimate_identifier(self.element_identifier, self.object_id)

    @property
    def gemma_url(self) -> str:
        return GEMMA_URL.format(self.object_id)

    def __repr__(self) -> str:
        return self.name


class Referentiecomponent(_Concept, Model):
    __tablename__ = "gemma_referentiecomponent"

    verplichtingen = relationship("StandaardVerplichting", back_populates="referentiecomponent")


class Standaard(_Concept, Model):
    __tablename__ = "gemma_standaard"

    versies = relationship("Standaardversie", back_populates="standaard", order_by="Standaardversie.name")


class Standaardversie(_Concept, Model):
    __tablename__ = "gemma_standaardversie"

    standaard_id = Column(Integer, ForeignKey("gemma_standaard.id"), nullable=True)
    standaard = relationship("Standaard", back_populates="versies")


class StandaardVerplichting(Model):
    """A referentiecomponent's obligation towards a standard: verplicht or aanbevolen."""

    __tablename__ = "gemma_verplichting"
    __table_args__ = (UniqueConstraint("referentiecomponent_id", "standaard_id",
                                       name="uq_gemma_verplichting_rc_standaard"),)

    id = Column(Integer, primary_key=True)
    referentiecomponent_id = Column(Integer, ForeignKey("gemma_referentiecomponent.id"), nullable=False)
    standaard_id = Column(Integer, ForeignKey("gemma_standaard.id"), nullable=False)
    kind = Column(String(20), nullable=False)  # "verplicht" | "aanbevolen"
    in_release = Column(Boolean, nullable=False, default=True)
    created_on = Column(DateTime, nullable=False, default=utcnow)
    changed_on = Column(DateTime, nullable=False, default=utcnow, onupdate=utcnow)

    referentiecomponent = relationship("Referentiecomponent", back_populates="verplichtingen")
    standaard = relationship("Standaard")


MODELS = [Referentiecomponent, Standaard, Standaardversie, StandaardVerplichting]
