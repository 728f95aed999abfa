"""A supplier's offering as an ArchiMate exchange file (AMEFF), to open in Archi next to GEMMA.

What the file holds (names and properties as the current Softwarecatalogus uses them):

- the supplier as a ``BusinessActor`` (property "SWC type" = Leverancier);
- every package of the supplier as an ``ApplicationComponent`` with "SWC type" = Pakket, its
  modules ("SWC type" = Module) and versions ("SWC type" = Pakketversie), each with its
  "Object ID" (the ``public_id`` that never changes) and properties for status, licence,
  cloud model, URL and dates;
- every GEMMA referentiecomponent the packages are classified on, as the
  ``ApplicationComponent`` it is in the GEMMA release: the element identifier it has in the
  imported release (``archimate_identifier``; not always ``id-<Object ID>``), "GEMMA type" =
  Referentiecomponent and its "Object ID", so the file re-reads with
  ``core.gemma.ameff.read_release`` and merges into the GEMMA model in Archi without duplicates ("GEMMA status" is
  the release's, or "Niet meer in GEMMA" for one that left the release);
- relationships: supplier *Association* ("levert") to each package; package *Composition*
  of each module (a module is part of one package); version *Specialization* of its package
  (a version is a specific form of the package: the way GEMMA links a standaardversie to its
  standaard); package *Realization* of each referentiecomponent. All four are valid
  ArchiMate 3.1 relationships between these element types;
- one view "Aanbod <organisatie>": the supplier at the top and below it a grid with a box per
  referentiecomponent holding the supplier's packages that realise it (nested nodes, absolute
  coordinates, no overlaps), and a box "Zonder referentiecomponent" for unclassified packages.

Which packages: all packages of the organisation, concept ones included (the "Status"
property says which). Only the organisation itself and VNG (global roles) may export it
(``organisation_for``). Everything is read with streaming queries (``yield_per``) and
written as it is read, so memory stays constant for thousands of packages.
"""

from __future__ import annotations

import datetime as dt
import itertools
import math
import re
import unicodedata
import uuid
from contextlib import contextmanager
from dataclasses import dataclass
from typing import BinaryIO, Iterator

from sqlalchemy import exists, func, select
from sqlalchemy.orm import Session

from core.archimate_writer import (
    ID_NAMESPACE,
    Element,
    Node,
    Property,
    Relationship,
    Stats,
    View,
    derived_identifier,
    safe_identifier,
    write_model,
)
from core.catalogue.models import (
    CLOUD_MODELS,
    DATA_LOCATIONS,
    LICENCE_TYPES,
    PACKAGE_STATUSES,
    VERSION_STATUSES,
    Module,
    Package,
    Version,
    label,
    package_referentiecomponent,
)
from core.extensions import db
from core.formatting import AMSTERDAM
from core.gemma.models import GEMMA_URL, Referentiecomponent, archimate_identifier, real_status
from core.models import Organisation, OrganisationType
from core.roles import AANBOD_BEHEERDER, global_roles

BATCH = 500

# Property names (the names people and tools know; GEMMA's own for the referentiecomponenten).
P_SWC_TYPE = "SWC type"
P_OBJECT_ID = "Object ID"
P_STATUS = "Status"
P_LICENCE = "Licentie"
P_CLOUD = "Cloudmodel"
P_CLOUD_PROVIDER = "Cloudaanbieder"
P_DATA_LOCATION = "Datalocatie"
P_URL = "URL"
P_PACKAGE = "Pakket"
P_SUPPLIER = "Leverancier"
P_START_DEVELOPMENT = "Start ontwikkeling"
P_START_TEST = "Start test"
P_START_DISTRIBUTION = "Start distributie"
P_END_SUPPORT = "Einde ondersteuning"
P_GEMMA_TYPE = "GEMMA type"
P_GEMMA_STATUS = "GEMMA status"
P_GEMMA_URL = "GEMMA URL"
P_EXPORT_DATE = "Exportdatum"
P_SOURCE = "Bron"

SWC_SUPPLIER, SWC_PACKAGE, SWC_MODULE, SWC_VERSION = "Leverancier", "Pakket", "Module", "Pakketversie"
SOURCE = "GEMMA Softwarecatalogus"

# --- the diagram grid (pixels) ------------------------------------------------------------
MARGIN = 20
SUPPLIER_W, SUPPLIER_H = 260, 60
PKG_W, PKG_H = 200, 55  # wide enough for a readable package name on up to three lines
GAP = 15  # between packages inside a box
PAD_X, PAD_TOP, PAD_BOTTOM = 15, 40, 15  # PAD_TOP leaves room for the referentiecomponent's name
PER_ROW = 2  # packages per row inside a box
BOXES_PER_ROW = 3
GRID_GAP = 30
GRID_TOP = MARGIN + SUPPLIER_H + 40
BOX_W = 2 * PAD_X + PER_ROW * PKG_W + (PER_ROW - 1) * GAP
NO_RC_LABEL = "Zonder referentiecomponent"


class ExportRefused(Exception):
    """The user may not export this organisation; ``status`` and a Dutch ``message`` say why."""

    def __init__(self, status: int, message: str):
        super().__init__(message)
        self.status = status
        self.message = message


MSG_OTHER = "U kunt alleen het aanbod van uw eigen organisatie exporteren."
MSG_NO_SUPPLIER = "U hoort niet bij een leverancier en kunt geen aanbod exporteren."
MSG_CHOOSE = "Kies de leverancier waarvan u het aanbod wilt exporteren."
MSG_UNKNOWN = "Deze leverancier bestaat niet."


def organisation_for(user, requested_id=None) -> Organisation:
    """The organisation whose offering ``user`` exports; raise :class:`ExportRefused`.

    The Functioneel beheerder and VNG-raadpleger pick any supplier; an Aanbod-beheerder
    gets the own organisation and is refused any other; nobody else exports anything.
    """
    if user is None or not getattr(user, "is_authenticated", False):
        raise ExportRefused(401, "Log in om het aanbod te exporteren.")
    roles = {role.name for role in user.roles}
    if requested_id in ("", None):
        requested = None
    else:
        try:
            requested = int(str(requested_id).strip())
        except ValueError:
            raise ExportRefused(400, MSG_CHOOSE) from None
    if roles & global_roles():
        if requested is None:
            raise ExportRefused(400, MSG_CHOOSE)
        org = db.session.get(Organisation, requested) if 0 < requested < 2**31 else None
        if org is None or org.type != OrganisationType.leverancier.value:
            raise ExportRefused(404, MSG_UNKNOWN)
        return org
    own = user.organisation
    if AANBOD_BEHEERDER not in roles or own is None or own.type != OrganisationType.leverancier.value:
        raise ExportRefused(403, MSG_NO_SUPPLIER)
    if requested is not None and requested != own.id:
        raise ExportRefused(403, MSG_OTHER)
    return own


def suppliers() -> list[Organisation]:
    """Suppliers a global role can choose from."""
    return (db.session.query(Organisation).filter(Organisation.type == OrganisationType.leverancier.value)
            .order_by(Organisation.name, Organisation.id).all())


# --- file name ---------------------------------------------------------------------------
_UNSAFE_IN_FILENAME = re.compile(r'[\\/:*?"<>|;]+')


def filename_part(name: str, limit: int = 100) -> str:
    """``name`` usable in a file name on every system: no path or reserved characters, no
    control or direction-changing characters (which could disguise the extension)."""
    text = unicodedata.normalize("NFC", name or "")
    text = "".join(c for c in text if unicodedata.category(c)[0] != "C")
    text = _UNSAFE_IN_FILENAME.sub("-", text)
    text = re.sub(r"\s+", " ", text).strip(" .-")
    return text[:limit].rstrip(" .-") or "organisatie"


def local_today() -> dt.date:
    return dt.datetime.now(AMSTERDAM).date()


def export_filename(organisation: Organisation, today: dt.date | None = None) -> str:
    """``<dd-mm-yyyy>_GEMMA 2_<organisatie>_ameff_model.xml``."""
    today = today or local_today()
    return f"{today:%d-%m-%Y}_GEMMA 2_{filename_part(organisation.name)}_ameff_model.xml"


# --- identities --------------------------------------------------------------------------
def supplier_object_id(organisation: Organisation) -> str:
    """A stable Object ID for the supplier (organisations have no public id of their own)."""
    return str(uuid.uuid5(ID_NAMESPACE, f"organisation:{organisation.id}"))


def _date(value) -> str | None:
    return value.isoformat() if value else None


def _licence(licence_type, spdx) -> str | None:
    if not licence_type:
        return None
    text = label(LICENCE_TYPES, licence_type)
    return f"{text} ({spdx})" if spdx and licence_type == "open_source" else text


def _cloud(values) -> str | None:
    labels = [label(CLOUD_MODELS, v) for v in (values or "").split(",") if v]
    return ", ".join(labels) or None


def _doc(*parts) -> str | None:
    text = "\n\n".join(p.strip() for p in parts if p and p.strip())
    return text or None


@contextmanager
def snapshot() -> Iterator[Session]:
    """A read-only session on one consistent state of the database for the whole export.

    The export reads in several queries; a package added or removed in between by someone
    else must not leave a relationship or a view node pointing at a missing element. On
    PostgreSQL this is a REPEATABLE READ, READ ONLY transaction; on SQLite one explicit
    read transaction (writers wait until it ends).
    """
    if db.engine.dialect.name == "sqlite" and db.engine.url.database in (None, "", ":memory:"):
        yield db.session  # an in-memory database exists only on the app's own connection
        return
    with db.engine.connect() as conn:
        dialect = conn.dialect.name
        if dialect == "postgresql":
            conn = conn.execution_options(isolation_level="REPEATABLE READ", postgresql_readonly=True)
        elif dialect == "sqlite":
            conn.exec_driver_sql("BEGIN")
        session = Session(bind=conn)
        try:
            yield session
        finally:
            session.close()
            conn.rollback()


# --- the layout --------------------------------------------------------------------------
@dataclass(frozen=True)
class Box:
    x: int
    y: int
    w: int
    h: int


def box_height(count: int) -> int:
    rows = max(1, math.ceil(count / PER_ROW))
    return PAD_TOP + rows * PKG_H + (rows - 1) * GAP + PAD_BOTTOM


def grid(counts: list[int]) -> list[Box]:
    """Boxes for groups of ``counts`` packages: rows of BOXES_PER_ROW, each row as high as its highest box."""
    boxes, y = [], GRID_TOP
    for start in range(0, len(counts), BOXES_PER_ROW):
        row = counts[start:start + BOXES_PER_ROW]
        heights = [box_height(n) for n in row]
        for i, h in enumerate(heights):
            boxes.append(Box(MARGIN + i * (BOX_W + GRID_GAP), y, BOX_W, h))
        y += max(heights) + GRID_GAP
    return boxes


def slot(box: Box, index: int) -> Box:
    """The place of the ``index``-th package inside ``box``."""
    return Box(box.x + PAD_X + (index % PER_ROW) * (PKG_W + GAP),
               box.y + PAD_TOP + (index // PER_ROW) * (PKG_H + GAP), PKG_W, PKG_H)


# --- the model ---------------------------------------------------------------------------
@dataclass
class ExportResult:
    filename: str
    packages: int
    stats: Stats


class _Offering:
    """The parts of one supplier's model, each a generator over a streaming query."""

    def __init__(self, session: Session, organisation: Organisation, today: dt.date):
        self.session = session
        self.org = organisation
        self.today = today
        self.supplier_id = safe_identifier(supplier_object_id(organisation))
        self.packages = 0
        owned = Package.organisation_id == organisation.id
        self.owned = owned
        self.rc_ids = (select(package_referentiecomponent.c.referentiecomponent_id)
                       .join(Package, Package.id == package_referentiecomponent.c.package_id).where(owned))

    def _stream(self, stmt):
        return self.session.execute(stmt.execution_options(yield_per=BATCH))

    # elements
    def elements(self) -> Iterator[Element]:
        org = self.org
        yield Element(self.supplier_id, "BusinessActor", org.name, org.description, (
            Property(P_SWC_TYPE, SWC_SUPPLIER), Property(P_OBJECT_ID, supplier_object_id(org)),
            Property(P_URL, org.website)))
        rcs = (select(Referentiecomponent.object_id, Referentiecomponent.element_identifier, Referentiecomponent.name,
                      Referentiecomponent.description, Referentiecomponent.gemma_status, Referentiecomponent.in_release)
               .where(Referentiecomponent.id.in_(self.rc_ids))
               .order_by(Referentiecomponent.name, Referentiecomponent.id))
        for object_id, element_identifier, name, description, status, in_release in self._stream(rcs):
            identifier = archimate_identifier(element_identifier, object_id)
            yield Element(identifier, "ApplicationComponent", name, description, (
                Property(P_GEMMA_TYPE, "Referentiecomponent"), Property(P_OBJECT_ID, object_id),
                Property(P_GEMMA_STATUS, real_status(in_release, status)),  # "Niet meer in GEMMA" when it left
                Property(P_GEMMA_URL, GEMMA_URL.format(object_id))))
        packages = (select(Package.public_id, Package.name, Package.short_description, Package.long_description,
                           Package.status, Package.licence_type, Package.licence_spdx, Package.cloud_models,
                           Package.cloud_provider, Package.data_location, Package.website)
                    .where(self.owned).order_by(Package.name, Package.id))
        for (public_id, name, short, long, status, licence_type, spdx, cloud, provider, location,
             website) in self._stream(packages):
            self.packages += 1
            yield Element(safe_identifier(public_id), "ApplicationComponent", name, _doc(short, long), (
                Property(P_SWC_TYPE, SWC_PACKAGE), Property(P_OBJECT_ID, public_id),
                Property(P_STATUS, label(PACKAGE_STATUSES, status)), Property(P_LICENCE, _licence(licence_type, spdx)),
                Property(P_CLOUD, _cloud(cloud)), Property(P_CLOUD_PROVIDER, provider),
                Property(P_DATA_LOCATION, label(DATA_LOCATIONS, location) if location else None),
                Property(P_URL, website), Property(P_SUPPLIER, self.org.name)))
        modules = (select(Module.public_id, Module.name, Module.description, Package.name)
                   .join(Package, Package.id == Module.package_id).where(self.owned)
                   .order_by(Package.name, Package.id, Module.name, Module.id))
        for public_id, name, description, package_name in self._stream(modules):
            yield Element(safe_identifier(public_id), "ApplicationComponent", name, _doc(description), (
                Property(P_SWC_TYPE, SWC_MODULE), Property(P_OBJECT_ID, public_id), Property(P_PACKAGE, package_name)))
        versions = (select(Version.public_id, Version.name, Version.status, Version.description,
                           Version.start_development, Version.start_test, Version.start_distribution,
                           Version.end_support, Package.name)
                    .join(Package, Package.id == Version.package_id).where(self.owned)
                    .order_by(Package.name, Package.id, Version.name, Version.id))
        for public_id, name, status, description, dev, test, dist, end, package_name in self._stream(versions):
            yield Element(safe_identifier(public_id), "ApplicationComponent", f"{package_name} {name}",
                          _doc(description), (
                              Property(P_SWC_TYPE, SWC_VERSION), Property(P_OBJECT_ID, public_id),
                              Property(P_STATUS, label(VERSION_STATUSES, status)), Property(P_PACKAGE, package_name),
                              Property(P_START_DEVELOPMENT, _date(dev)), Property(P_START_TEST, _date(test)),
                              Property(P_START_DISTRIBUTION, _date(dist)), Property(P_END_SUPPORT, _date(end))))

    # relationships
    def relationships(self) -> Iterator[Relationship]:
        packages = select(Package.public_id).where(self.owned).order_by(Package.name, Package.id)
        for (public_id,) in self._stream(packages):
            package = safe_identifier(public_id)
            yield Relationship(derived_identifier("Association", self.supplier_id, package), "Association",
                               self.supplier_id, package, "levert")
        modules = (select(Package.public_id, Module.public_id).join(Package, Package.id == Module.package_id)
                   .where(self.owned).order_by(Package.name, Package.id, Module.name, Module.id))
        for package_pid, module_pid in self._stream(modules):
            package, module = safe_identifier(package_pid), safe_identifier(module_pid)
            yield Relationship(derived_identifier("Composition", package, module), "Composition", package, module)
        versions = (select(Package.public_id, Version.public_id).join(Package, Package.id == Version.package_id)
                    .where(self.owned).order_by(Package.name, Package.id, Version.name, Version.id))
        for package_pid, version_pid in self._stream(versions):
            package, version = safe_identifier(package_pid), safe_identifier(version_pid)
            yield Relationship(derived_identifier("Specialization", version, package), "Specialization",
                               version, package)
        for package, rc in self._realizations():
            yield Relationship(self.realization_id(package, rc), "Realization", package, rc)

    @staticmethod
    def realization_id(package: str, rc: str) -> str:
        return derived_identifier("Realization", package, rc)

    def _realization_query(self):
        return (select(Referentiecomponent.id, Referentiecomponent.object_id, Package.public_id,
                       Referentiecomponent.element_identifier)
                .select_from(package_referentiecomponent)
                .join(Package, Package.id == package_referentiecomponent.c.package_id)
                .join(Referentiecomponent,
                      Referentiecomponent.id == package_referentiecomponent.c.referentiecomponent_id)
                .where(self.owned)
                .order_by(Referentiecomponent.name, Referentiecomponent.id, Package.name, Package.id))

    def _realizations(self):
        for _rc_id, object_id, public_id, element_identifier in self._stream(self._realization_query()):
            yield safe_identifier(public_id), archimate_identifier(element_identifier, object_id)

    # the view
    def view(self) -> View:
        return View(derived_identifier("view", "aanbod", self.supplier_id), f"Aanbod {self.org.name}",
                    self._nodes(), documentation=(
                        f"De pakketten van {self.org.name} op de GEMMA-referentiecomponenten die ze realiseren."))

    def _nodes(self) -> Iterator[Node]:
        org_view = derived_identifier("view", "aanbod", self.supplier_id)
        yield Node(derived_identifier(org_view, "node", self.supplier_id), MARGIN, MARGIN, SUPPLIER_W, SUPPLIER_H,
                   self.supplier_id)
        per_rc = (select(Referentiecomponent.id, func.count())
                  .select_from(package_referentiecomponent)
                  .join(Package, Package.id == package_referentiecomponent.c.package_id)
                  .join(Referentiecomponent,
                        Referentiecomponent.id == package_referentiecomponent.c.referentiecomponent_id)
                  .where(self.owned).group_by(Referentiecomponent.id, Referentiecomponent.name)
                  .order_by(Referentiecomponent.name, Referentiecomponent.id))
        counts = [(rc_id, n) for rc_id, n in self.session.execute(per_rc)]
        unclassified = (select(Package.public_id).where(self.owned).where(~exists().where(
            package_referentiecomponent.c.package_id == Package.id)).order_by(Package.name, Package.id))
        loose = self.session.execute(select(func.count()).select_from(unclassified.subquery())).scalar_one()
        boxes = grid([n for _rc, n in counts] + ([loose] if loose else []))

        rows = self._stream(self._realization_query())
        for box, (_rc_id, group) in zip(boxes, itertools.groupby(rows, key=lambda row: row[0]), strict=False):
            group = iter(group)
            first = next(group)
            rc = archimate_identifier(first[3], first[1])
            container = derived_identifier(org_view, "node", rc)
            members = itertools.chain([first], group)
            yield Node(container, box.x, box.y, box.w, box.h, rc, children=(
                Node(derived_identifier(container, public_id), *_xywh(slot(box, i)), safe_identifier(public_id))
                for i, (_rc, _oid, public_id, _identifier) in enumerate(members)))
        if loose:
            box = boxes[-1]
            container = derived_identifier(org_view, "zonder")
            yield Node(container, box.x, box.y, box.w, box.h, label=NO_RC_LABEL, children=(
                Node(derived_identifier(container, public_id), *_xywh(slot(box, i)), safe_identifier(public_id))
                for i, (public_id,) in enumerate(self._stream(unclassified))))


def _xywh(box: Box) -> tuple[int, int, int, int]:
    return box.x, box.y, box.w, box.h


def write_offering(out: BinaryIO, organisation: Organisation, today: dt.date | None = None) -> ExportResult:
    """Write the AMEFF file of ``organisation``'s offering to the binary file ``out``."""
    today = today or local_today()
    with snapshot() as session:
        offering = _Offering(session, organisation, today)
        stats = write_model(
            out, identifier=derived_identifier("model", "aanbod", offering.supplier_id),
            name=f"Aanbod {organisation.name}",
            documentation=(f"Het aanbod van {organisation.name} in de {SOURCE}, met de GEMMA-referentiecomponenten "
                           f"die de pakketten realiseren. Geëxporteerd op {today:%d-%m-%Y}."),
            properties=(Property(P_SOURCE, SOURCE), Property(P_EXPORT_DATE, today.isoformat())),
            elements=offering.elements(), relationships=offering.relationships(), views=[offering.view()])
    return ExportResult(export_filename(organisation, today), offering.packages, stats)
