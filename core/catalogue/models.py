"""Packages, modules, versions, classification, standard claims, documents, screenshots,
services and usage.

Every organisation-owned row carries ``organisation_id`` itself (also the children of a
package, where it always equals the package's), so the core tenancy classes filter
them without joins. ``public_id`` is the stable identity shown in exports, the API and
ArchiMate files ("Pakket ID", "Pakketversie ID", ...): a UUID that never changes, unlike
the database id.
"""

from __future__ import annotations

import uuid

from flask_appbuilder import Model
from sqlalchemy import (
    Boolean,
    Column,
    Date,
    DateTime,
    ForeignKey,
    Index,
    Integer,
    String,
    Table,
    Text,
    UniqueConstraint,
    func,
)
from sqlalchemy.orm import relationship

from core.contacts import ContactPerson
from core.files import StoredFile
from core.gemma.models import Referentiecomponent, Standaardversie
from core.models import utcnow

# --- choice lists (value, Dutch label) -------------------------------------------------
PACKAGE_STATUSES = (("concept", "Concept"), ("gepubliceerd", "Gepubliceerd"))
VERSION_STATUSES = (
    ("in_ontwikkeling", "In ontwikkeling"),
    ("in_gebruik", "In gebruik"),
    ("einde_ondersteuning", "Einde ondersteuning"),
    ("teruggetrokken", "Teruggetrokken"),
)
CLOUD_MODELS = (
    ("on_premises", "On-premises"),
    ("iaas", "IaaS"),
    ("paas", "PaaS"),
    ("saas", "SaaS"),
    ("hybride", "Hybride"),
)
DATA_LOCATIONS = (("nl", "Nederland"), ("eu", "Europese Unie"), ("buiten_eu", "Buiten de EU"))
LICENCE_TYPES = (("open_source", "Open source"), ("proprietary", "Gesloten bron"))
SPDX_LICENCES = (
    "EUPL-1.2", "MIT", "Apache-2.0", "GPL-2.0-or-later", "GPL-3.0-or-later", "AGPL-3.0-or-later",
    "LGPL-3.0-or-later", "MPL-2.0", "BSD-2-Clause", "BSD-3-Clause",
)
DOCUMENT_KINDS = (
    ("verwerkersovereenkomst", "Verwerkersovereenkomst"),
    ("tpm", "TPM-verklaring"),
    ("pentest", "Samenvatting pentest"),
    ("dpia", "DPIA-criteria"),
    ("handleiding", "Handleiding"),
    ("casestudy", "Casestudy"),
)
#: Documents that start as concept and become visible after the Functioneel beheerder approves them.
SECURITY_DOCUMENT_KINDS = ("verwerkersovereenkomst", "tpm", "pentest", "dpia")
DOCUMENT_AUDIENCES = (("iedereen", "Iedereen"), ("gemeenten", "Alleen gemeenten"))
DOCUMENT_REVIEW_STATUSES = (("concept", "Wacht op beoordeling"), ("goedgekeurd", "Goedgekeurd"),
                            ("afgewezen", "Afgewezen"))
SERVICE_KINDS = (
    ("functioneel_beheer", "Functioneel beheer"),
    ("applicatiebeheer", "Applicatiebeheer"),
    ("technisch_beheer", "Technisch beheer / hosting"),
    ("implementatie", "Implementatieondersteuning"),
    ("opleidingen", "Opleidingen"),
    ("licentiereseller", "Licentiereseller"),
)
USAGE_STATUSES = (
    ("verwerving", "Verwerving"),
    ("gepland", "Gepland"),
    ("in_productie", "In productie"),
    ("uit_te_faseren", "Uit te faseren"),
    ("uitgefaseerd", "Uitgefaseerd"),
)
#: Usage that counts as "this municipality uses the package".
ACTIVE_USAGE_STATUSES = ("verwerving", "gepland", "in_productie", "uit_te_faseren")


def label(choices, value) -> str:
    """The Dutch label of ``value`` in a choice list, or the value itself."""
    return dict(choices).get(value, value or "")


def new_public_id() -> str:
    return str(uuid.uuid4())


class _Owned:
    id = Column(Integer, primary_key=True)
    public_id = Column(String(36), nullable=False, unique=True, default=new_public_id)
    created_on = Column(DateTime, nullable=False, default=utcnow)
    changed_on = Column(DateTime, nullable=False, default=utcnow, onupdate=utcnow)


package_referentiecomponent = Table(
    "package_referentiecomponent", Model.metadata,
    Column("package_id", Integer, ForeignKey("package.id", ondelete="CASCADE"), primary_key=True),
    Column("referentiecomponent_id", Integer, ForeignKey("gemma_referentiecomponent.id"), primary_key=True,
           index=True),
)

service_package = Table(
    "service_package", Model.metadata,
    Column("service_id", Integer, ForeignKey("service.id", ondelete="CASCADE"), primary_key=True),
    Column("package_id", Integer, ForeignKey("package.id", ondelete="CASCADE"), primary_key=True, index=True),
)


class Package(_Owned, Model):
    """A software package (pakket, applicatie) of a supplier."""

    __tablename__ = "package"

    organisation_id = Column(Integer, ForeignKey("organisation.id", ondelete="CASCADE"), nullable=False,
                             index=True)
    name = Column(String(200), nullable=False)
    short_description = Column(String(255), nullable=True)
    long_description = Column(Text, nullable=True)  # Markdown, rendered through core.markup
    website = Column(String(500), nullable=True)
    logo_file_id = Column(Integer, ForeignKey("stored_file.id", ondelete="SET NULL"), nullable=True)
    contact_person_id = Column(Integer, ForeignKey("contact_person.id", ondelete="SET NULL"), nullable=True)
    status = Column(String(20), nullable=False, default="concept", index=True)
    published_on = Column(DateTime, nullable=True)
    unpublished_reason = Column(Text, nullable=True)  # set when the Functioneel beheerder unpublishes
    # hosting and licence
    cloud_models = Column(String(100), nullable=True)  # comma-separated values of CLOUD_MODELS
    cloud_provider = Column(String(200), nullable=True)
    data_location = Column(String(20), nullable=True)
    licence_type = Column(String(20), nullable=True)
    licence_spdx = Column(String(50), nullable=True)
    demo_video_url = Column(String(500), nullable=True)
    # registered by a municipality on behalf of the supplier: a concept to take over
    registered_by_id = Column(Integer, ForeignKey("organisation.id", ondelete="SET NULL"), nullable=True)
    takeover_pending = Column(Boolean, nullable=False, default=False)
    # lower-case, accent-free text of name, descriptions and supplier name, for search
    search_text = Column(Text, nullable=True)
    # municipalities with an active usage, kept by core.catalogue.counts (never set by hand)
    municipality_count = Column(Integer, nullable=False, server_default="0")

    organisation = relationship("Organisation", foreign_keys=[organisation_id], lazy="joined")
    registered_by = relationship("Organisation", foreign_keys=[registered_by_id])
    logo = relationship(StoredFile, foreign_keys=[logo_file_id])
    contact_person = relationship(ContactPerson)
    referentiecomponenten = relationship(Referentiecomponent, secondary=package_referentiecomponent,
                                         order_by=Referentiecomponent.name)
    modules = relationship("Module", back_populates="package", cascade="all, delete-orphan",
                           order_by="Module.name")
    versions = relationship("Version", back_populates="package", cascade="all, delete-orphan",
                            order_by="Version.name")
    standard_claims = relationship("StandardClaim", back_populates="package", cascade="all, delete-orphan")
    documents = relationship("PackageDocument", back_populates="package", cascade="all, delete-orphan")
    screenshots = relationship("Screenshot", back_populates="package", cascade="all, delete-orphan",
                               order_by="Screenshot.position")
    services = relationship("Service", secondary=service_package, back_populates="packages")

    @property
    def cloud_model_list(self) -> list[str]:
        return [v for v in (self.cloud_models or "").split(",") if v]

    def __repr__(self) -> str:
        return self.name



# One concept per supplier and name: two municipalities registering the same missing package
# at the same moment get one concept (F004's registration takes the other one's on a conflict).
Index("uq_package_registered_concept_name", Package.organisation_id, func.lower(Package.name), unique=True,
      postgresql_where=Package.takeover_pending & Package.registered_by_id.isnot(None),
      sqlite_where=Package.takeover_pending & Package.registered_by_id.isnot(None))


class Module(_Owned, Model):
    """A part or add-on of one package."""

    __tablename__ = "package_module"
    __table_args__ = (UniqueConstraint("package_id", "name", name="uq_package_module_name"),)

    organisation_id = Column(Integer, ForeignKey("organisation.id", ondelete="CASCADE"), nullable=False,
                             index=True)
    package_id = Column(Integer, ForeignKey("package.id", ondelete="CASCADE"), nullable=False, index=True)
    name = Column(String(200), nullable=False)
    description = Column(Text, nullable=True)

    package = relationship("Package", back_populates="modules")

    def __repr__(self) -> str:
        return self.name


class Version(_Owned, Model):
    """A released version of a package (pakketversie)."""

    __tablename__ = "package_version"
    __table_args__ = (UniqueConstraint("package_id", "name", name="uq_package_version_name"),)

    organisation_id = Column(Integer, ForeignKey("organisation.id", ondelete="CASCADE"), nullable=False,
                             index=True)
    package_id = Column(Integer, ForeignKey("package.id", ondelete="CASCADE"), nullable=False, index=True)
    name = Column(String(100), nullable=False)  # the version label, e.g. "4.2"
    status = Column(String(30), nullable=False, default="in_ontwikkeling")
    description = Column(Text, nullable=True)
    start_development = Column(Date, nullable=True)
    start_test = Column(Date, nullable=True)
    start_distribution = Column(Date, nullable=True)
    end_support = Column(Date, nullable=True)

    package = relationship("Package", back_populates="versions")

    def __repr__(self) -> str:
        return f"{self.package.name} {self.name}" if self.package is not None else self.name


class StandardClaim(Model):
    """A package claims to support a standaardversie, with evidence (a file or a URL)."""

    __tablename__ = "standard_claim"
    __table_args__ = (UniqueConstraint("package_id", "standaardversie_id", name="uq_standard_claim"),)

    id = Column(Integer, primary_key=True)
    organisation_id = Column(Integer, ForeignKey("organisation.id", ondelete="CASCADE"), nullable=False,
                             index=True)
    package_id = Column(Integer, ForeignKey("package.id", ondelete="CASCADE"), nullable=False, index=True)
    standaardversie_id = Column(Integer, ForeignKey("gemma_standaardversie.id"), nullable=False, index=True)
    evidence_url = Column(String(500), nullable=True)
    evidence_file_id = Column(Integer, ForeignKey("stored_file.id", ondelete="SET NULL"), nullable=True)
    note = Column(Text, nullable=True)
    created_on = Column(DateTime, nullable=False, default=utcnow)
    changed_on = Column(DateTime, nullable=False, default=utcnow, onupdate=utcnow)

    package = relationship("Package", back_populates="standard_claims")
    standaardversie = relationship(Standaardversie, lazy="joined")
    evidence_file = relationship(StoredFile, foreign_keys=[evidence_file_id])

    def __repr__(self) -> str:
        return str(self.standaardversie)


class PackageDocument(Model):
    """A document of a package: a file or a URL, for everyone or for municipalities only."""

    __tablename__ = "package_document"

    id = Column(Integer, primary_key=True)
    organisation_id = Column(Integer, ForeignKey("organisation.id", ondelete="CASCADE"), nullable=False,
                             index=True)
    package_id = Column(Integer, ForeignKey("package.id", ondelete="CASCADE"), nullable=False, index=True)
    kind = Column(String(30), nullable=False)
    title = Column(String(200), nullable=True)
    url = Column(String(500), nullable=True)
    file_id = Column(Integer, ForeignKey("stored_file.id", ondelete="SET NULL"), nullable=True)
    audience = Column(String(20), nullable=False, default="iedereen")
    review_status = Column(String(20), nullable=False, default="goedgekeurd")
    review_note = Column(Text, nullable=True)
    reviewed_by_id = Column(Integer, ForeignKey("ab_user.id", ondelete="SET NULL"), nullable=True)
    reviewed_on = Column(DateTime, nullable=True)
    created_on = Column(DateTime, nullable=False, default=utcnow)
    changed_on = Column(DateTime, nullable=False, default=utcnow, onupdate=utcnow)

    package = relationship("Package", back_populates="documents")
    file = relationship(StoredFile, foreign_keys=[file_id])

    def __repr__(self) -> str:
        return self.title or label(DOCUMENT_KINDS, self.kind)


class Screenshot(Model):
    """An image of a package, checked like a logo."""

    __tablename__ = "package_screenshot"

    id = Column(Integer, primary_key=True)
    organisation_id = Column(Integer, ForeignKey("organisation.id", ondelete="CASCADE"), nullable=False,
                             index=True)
    package_id = Column(Integer, ForeignKey("package.id", ondelete="CASCADE"), nullable=False, index=True)
    file_id = Column(Integer, ForeignKey("stored_file.id", ondelete="CASCADE"), nullable=False)
    caption = Column(String(200), nullable=True)
    position = Column(Integer, nullable=False, default=0)
    created_on = Column(DateTime, nullable=False, default=utcnow)

    package = relationship("Package", back_populates="screenshots")
    file = relationship(StoredFile, foreign_keys=[file_id], lazy="joined")

    def __repr__(self) -> str:
        return self.caption or "Schermafbeelding"


class Service(_Owned, Model):
    """A service a supplier offers on one or more published packages, its own or another's."""

    __tablename__ = "service"

    organisation_id = Column(Integer, ForeignKey("organisation.id", ondelete="CASCADE"), nullable=False,
                             index=True)
    name = Column(String(200), nullable=False)
    kind = Column(String(30), nullable=False)
    description = Column(Text, nullable=True)
    contact_person_id = Column(Integer, ForeignKey("contact_person.id", ondelete="SET NULL"), nullable=True)

    organisation = relationship("Organisation", lazy="joined")
    contact_person = relationship(ContactPerson)
    packages = relationship("Package", secondary=service_package, back_populates="services",
                            order_by="Package.name")

    def __repr__(self) -> str:
        return self.name


class Usage(_Owned, Model):
    """An organisation uses a package (gebruik). F013 adds proposals by suppliers."""

    __tablename__ = "package_usage"
    __table_args__ = (UniqueConstraint("organisation_id", "package_id", name="uq_package_usage"),)

    organisation_id = Column(Integer, ForeignKey("organisation.id", ondelete="CASCADE"), nullable=False,
                             index=True)
    package_id = Column(Integer, ForeignKey("package.id", ondelete="CASCADE"), nullable=False, index=True)
    version_id = Column(Integer, ForeignKey("package_version.id", ondelete="SET NULL"), nullable=True)
    status = Column(String(30), nullable=False, default="in_productie")
    status_date = Column(Date, nullable=True)
    description = Column(Text, nullable=True)
    #: The organisation that registered the usage for its owner (a samenwerking for a member
    #: gemeente, F013); None when the owner registered it itself.
    registered_by_id = Column(Integer, ForeignKey("organisation.id", ondelete="SET NULL"), nullable=True,
                              index=True)

    organisation = relationship("Organisation", foreign_keys=[organisation_id])
    package = relationship("Package")
    version = relationship("Version")
    registered_by = relationship("Organisation", foreign_keys=[registered_by_id])


MODELS = [Package, Module, Version, StandardClaim, PackageDocument, Screenshot, Service, Usage]
