"""Merging a duplicate package into a surviving one (Functioneel beheerder).

:func:`preview` counts what would move and which conflicts are resolved; :func:`merge`
does it in the caller's transaction (the caller commits or rolls back):

- modules, versions, standard claims, documents, screenshots and usage move to the
  survivor (and to the survivor's organisation), classification on referentiecomponenten
  and service links are added to the survivor;
- conflicts keep the survivor's row and drop the duplicate's: a module with the same name,
  a version with the same label (usage of the dropped version points at the survivor's
  version with that label), a claim on the same standaardversie, usage by the same
  organisation;
- ``PackagesMerged`` is emitted before the duplicate is deleted, so plugins move their
  own rows; then the duplicate is deleted and an audit row written.

Both package rows are locked first (``SELECT ... FOR UPDATE`` on PostgreSQL), so two
merges of the same packages run one after the other; the second finds the duplicate gone.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from sqlalchemy import Integer, delete, func, insert, literal, select, update

from core import audit
from core.catalogue.counts import recompute_municipality_counts
from core.catalogue.models import (
    Module,
    Package,
    PackageDocument,
    Screenshot,
    StandardClaim,
    Usage,
    Version,
    package_referentiecomponent,
    service_package,
)
from core.events import PackagesMerged, emit
from core.extensions import db
from core.files import StoredFile

#: (key, Dutch label) of what moves, in the order of the preview.
PARTS = (
    ("modules", "Modules"),
    ("versions", "Versies"),
    ("referentiecomponenten", "Referentiecomponenten"),
    ("claims", "Standaardclaims"),
    ("documents", "Documenten"),
    ("screenshots", "Schermafbeeldingen"),
    ("services", "Diensten"),
    ("usages", "Gebruik door organisaties"),
)
CONFLICT_LABELS = {
    "modules": "Modules met dezelfde naam",
    "versions": "Versies met hetzelfde versienummer",
    "referentiecomponenten": "Referentiecomponenten die het pakket al heeft",
    "claims": "Standaardclaims op dezelfde standaardversie",
    "services": "Diensten die al aan het pakket gekoppeld zijn",
    "usages": "Gebruik door dezelfde organisatie",
}


class MergeError(ValueError):
    """A merge that cannot be done; ``str()`` is a Dutch message."""


@dataclass
class MergePlan:
    survivor: Package
    duplicate: Package
    survivor_name: str = ""
    duplicate_name: str = ""
    moved: dict[str, int] = field(default_factory=dict)  # rows that move to the survivor
    dropped: dict[str, int] = field(default_factory=dict)  # duplicate's rows dropped for a conflict

    def rows(self) -> list[tuple[str, str, int, int, str | None]]:
        """(key, label, moving, dropped, conflict label) per part."""
        return [(key, label, self.moved.get(key, 0), self.dropped.get(key, 0), CONFLICT_LABELS.get(key))
                for key, label in PARTS]

    @property
    def total_dropped(self) -> int:
        return sum(self.dropped.values())


def _packages(survivor_id: int, duplicate_id: int, lock: bool) -> tuple[Package, Package]:
    if survivor_id == duplicate_id:
        raise MergeError("Kies twee verschillende pakketten.")
    query = select(Package).where(Package.id.in_((survivor_id, duplicate_id))).order_by(Package.id)
    if lock:
        query = query.with_for_update(of=Package)
    found = {p.id: p for p in db.session.scalars(query).unique()}
    if survivor_id not in found or duplicate_id not in found:
        raise MergeError("Een van de gekozen pakketten bestaat niet (meer).")
    return found[survivor_id], found[duplicate_id]


def _count(query) -> int:
    return db.session.scalar(select(func.count()).select_from(query.subquery())) or 0


def _split(model, key_column, survivor_id: int, duplicate_id: int) -> tuple[int, int]:
    """(rows of the duplicate without a conflict, rows with one) for a per-package unique key."""
    survivor_keys = select(key_column).where(model.package_id == survivor_id)
    total = _count(select(model.id).where(model.package_id == duplicate_id))
    conflicts = _count(select(model.id).where(model.package_id == duplicate_id, key_column.in_(survivor_keys)))
    return total - conflicts, conflicts


def _split_link(table, column: str, survivor_id: int, duplicate_id: int) -> tuple[int, int]:
    c = table.c
    survivor_keys = select(c[column]).where(c.package_id == survivor_id)
    total = _count(select(c[column]).where(c.package_id == duplicate_id))
    conflicts = _count(select(c[column]).where(c.package_id == duplicate_id, c[column].in_(survivor_keys)))
    return total - conflicts, conflicts


def _plan(survivor: Package, duplicate: Package) -> MergePlan:
    s, d = survivor.id, duplicate.id
    plan = MergePlan(survivor, duplicate, survivor.name, duplicate.name)
    splits = {
        "modules": _split(Module, Module.name, s, d),
        "versions": _split(Version, Version.name, s, d),
        "referentiecomponenten": _split_link(package_referentiecomponent, "referentiecomponent_id", s, d),
        "claims": _split(StandardClaim, StandardClaim.standaardversie_id, s, d),
        "services": _split_link(service_package, "service_id", s, d),
        "usages": _split(Usage, Usage.organisation_id, s, d),
    }
    for key, (moving, dropped) in splits.items():
        plan.moved[key] = moving
        if dropped:
            plan.dropped[key] = dropped
    plan.moved["documents"] = _count(select(PackageDocument.id).where(PackageDocument.package_id == d))
    plan.moved["screenshots"] = _count(select(Screenshot.id).where(Screenshot.package_id == d))
    return plan


def preview(survivor_id: int, duplicate_id: int) -> MergePlan:
    """What a merge would do, without changing anything."""
    return _plan(*_packages(survivor_id, duplicate_id, lock=False))


def merge(survivor_id: int, duplicate_id: int, actor=None) -> MergePlan:
    """Move everything of the duplicate to the survivor and delete the duplicate (not committed)."""
    survivor, duplicate = _packages(survivor_id, duplicate_id, lock=True)
    plan = _plan(survivor, duplicate)
    s, d, org_id = survivor.id, duplicate.id, survivor.organisation_id
    session = db.session
    owned = {"organisation_id": org_id}
    file_ids = [fid for query in (
        select(PackageDocument.file_id).where(PackageDocument.package_id == d),
        select(Screenshot.file_id).where(Screenshot.package_id == d),
        select(StandardClaim.evidence_file_id).where(StandardClaim.package_id == d),
    ) for fid in session.scalars(query).all() if fid]

    # versions: usage of a dropped version points at the survivor's version with the same label
    survivor_versions = dict(session.execute(select(Version.name, Version.id).where(Version.package_id == s)).all())
    for version_id, name in session.execute(select(Version.id, Version.name).where(Version.package_id == d)).all():
        if name in survivor_versions:
            session.execute(update(Usage).where(Usage.version_id == version_id)
                            .values(version_id=survivor_versions[name]).execution_options(synchronize_session=False))
            session.execute(delete(Version).where(Version.id == version_id)
                            .execution_options(synchronize_session=False))
    session.execute(update(Version).where(Version.package_id == d).values(package_id=s, **owned)
                    .execution_options(synchronize_session=False))

    for model, key_column in ((Module, Module.name), (StandardClaim, StandardClaim.standaardversie_id)):
        survivor_keys = select(key_column).where(model.package_id == s).scalar_subquery()
        session.execute(delete(model).where(model.package_id == d, key_column.in_(survivor_keys))
                        .execution_options(synchronize_session=False))
        session.execute(update(model).where(model.package_id == d).values(package_id=s, **owned)
                        .execution_options(synchronize_session=False))

    # usage belongs to the using organisation: only the package changes
    same_org = select(Usage.organisation_id).where(Usage.package_id == s).scalar_subquery()
    session.execute(delete(Usage).where(Usage.package_id == d, Usage.organisation_id.in_(same_org))
                    .execution_options(synchronize_session=False))
    session.execute(update(Usage).where(Usage.package_id == d).values(package_id=s)
                    .execution_options(synchronize_session=False))

    # documents and screenshots (screenshots after the survivor's own), with their files
    last = session.scalar(select(func.max(Screenshot.position)).where(Screenshot.package_id == s))
    offset = (last if last is not None else -1) + 1
    session.execute(update(Screenshot).where(Screenshot.package_id == d)
                    .values(package_id=s, position=Screenshot.position + offset, **owned)
                    .execution_options(synchronize_session=False))
    session.execute(update(PackageDocument).where(PackageDocument.package_id == d).values(package_id=s, **owned)
                    .execution_options(synchronize_session=False))
    if file_ids and duplicate.organisation_id != org_id:
        session.execute(update(StoredFile).where(StoredFile.id.in_(file_ids),
                                                 StoredFile.organisation_id == duplicate.organisation_id)
                        .values(**owned).execution_options(synchronize_session=False))

    # classification and services: add the links the survivor lacks
    for table, column in ((package_referentiecomponent, "referentiecomponent_id"), (service_package, "service_id")):
        c = table.c
        have = select(c[column]).where(c.package_id == s)
        session.execute(insert(table).from_select(
            ["package_id", column],
            select(literal(s, Integer), c[column]).where(c.package_id == d, c[column].not_in(have))))
        session.execute(delete(table).where(c.package_id == d))

    if survivor.logo_file_id is None and duplicate.logo_file_id is not None:
        survivor.logo_file_id, duplicate.logo_file_id = duplicate.logo_file_id, None
        session.execute(update(StoredFile).where(StoredFile.id == survivor.logo_file_id).values(**owned)
                        .execution_options(synchronize_session=False))
    session.flush()
    emit(PackagesMerged(survivor_id=s, duplicate_id=d, actor_id=getattr(actor, "id", None)))
    audit.record(session, "pakketten_samenvoegen", object_type="Package", object_id=s, organisation_id=org_id,
                 user=actor, details={"samengevoegd": duplicate.name, "duplicaat_id": d,
                                      "verplaatst": plan.moved, "vervallen": plan.dropped})
    session.flush()
    session.expire_all()
    duplicate = session.get(Package, d)
    if duplicate is not None:
        session.delete(duplicate)
    session.flush()
    recompute_municipality_counts([s], session=session)  # usage moved by bulk statements
    return plan
