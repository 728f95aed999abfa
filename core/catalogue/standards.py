"""Which GEMMA standards a package should support, and which it claims.

A package is classified on referentiecomponenten; each referentiecomponent says per
standard *verplicht* (mandatory) or *aanbevolen* (recommended) (``StandaardVerplichting``).
A package claims a standard when it has a ``StandardClaim`` on any version of it.

Everything here works on many packages at once in a fixed number of queries (three),
whatever the number of packages, referentiecomponenten or standards, so lists and
insights (F006) can use it without N+1 queries. Only concepts and obligations that are
in the current GEMMA release count. :func:`supports_all_mandatory_clause` is the same rule
as SQL, for filtering and counting in one statement (the catalogue's facet).
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field

from sqlalchemy import and_, exists, not_, select

from core.catalogue.models import Package, StandardClaim, package_referentiecomponent
from core.extensions import db
from core.gemma.models import Referentiecomponent, Standaard, StandaardVerplichting, Standaardversie

VERPLICHT = "verplicht"
AANBEVOLEN = "aanbevolen"
KIND_LABELS = {VERPLICHT: "Verplicht", AANBEVOLEN: "Aanbevolen"}


@dataclass
class StandardStatus:
    """One standard a referentiecomponent of the package asks for, and whether it is claimed."""

    referentiecomponent: Referentiecomponent
    standaard: Standaard
    kind: str  # VERPLICHT or AANBEVOLEN
    claimed_versions: list[Standaardversie] = field(default_factory=list)
    suggested_version: Standaardversie | None = None  # the version to prefill a new claim with

    @property
    def claimed(self) -> bool:
        return bool(self.claimed_versions)

    @property
    def missing_mandatory(self) -> bool:
        return self.kind == VERPLICHT and not self.claimed

    @property
    def kind_label(self) -> str:
        return KIND_LABELS.get(self.kind, self.kind)


@dataclass
class MandatoryStandard:
    """One standard that the package's referentiecomponenten make mandatory, claimed or not."""

    standaard: Standaard
    referentiecomponenten: list[Referentiecomponent] = field(default_factory=list)  # those asking for it
    claimed_versions: list[Standaardversie] = field(default_factory=list)
    suggested_version: Standaardversie | None = None

    @property
    def claimed(self) -> bool:
        return bool(self.claimed_versions)


@dataclass
class PackageStandards:
    """The standards of one package, per referentiecomponent."""

    package_id: int
    statuses: list[StandardStatus] = field(default_factory=list)

    def by_referentiecomponent(self) -> list[tuple[Referentiecomponent, list[StandardStatus]]]:
        groups: dict[int, tuple[Referentiecomponent, list[StandardStatus]]] = {}
        for status in self.statuses:
            rc = status.referentiecomponent
            groups.setdefault(rc.id, (rc, []))[1].append(status)
        return sorted(groups.values(), key=lambda g: g[0].name.lower())

    def standaard_ids(self, kind: str | None = None) -> set[int]:
        return {s.standaard.id for s in self.statuses if kind is None or s.kind == kind}

    @property
    def mandatory_ids(self) -> set[int]:
        """Standards that at least one referentiecomponent of the package makes mandatory."""
        return self.standaard_ids(VERPLICHT)

    @property
    def recommended_ids(self) -> set[int]:
        """Standards recommended (and not mandatory through another referentiecomponent)."""
        return self.standaard_ids(AANBEVOLEN) - self.mandatory_ids

    @property
    def claimed_ids(self) -> set[int]:
        return {s.standaard.id for s in self.statuses if s.claimed}

    @property
    def missing_mandatory_ids(self) -> set[int]:
        return self.mandatory_ids - self.claimed_ids

    @property
    def mandatory(self) -> list[MandatoryStandard]:
        """Every mandatory standard once (by name), with the referentiecomponenten asking for it."""
        found: dict[int, MandatoryStandard] = {}
        for status in self.statuses:
            if status.kind != VERPLICHT:
                continue
            item = found.setdefault(status.standaard.id, MandatoryStandard(
                standaard=status.standaard, claimed_versions=list(status.claimed_versions),
                suggested_version=status.suggested_version))
            if status.referentiecomponent not in item.referentiecomponenten:
                item.referentiecomponenten.append(status.referentiecomponent)
        for item in found.values():
            item.referentiecomponenten.sort(key=lambda rc: rc.name.lower())
        return sorted(found.values(), key=lambda m: (m.standaard.name.lower(), m.standaard.id))

    @property
    def supports_all_mandatory(self) -> bool:
        """No mandatory standard is missing (also true when there are none: see ``missing_mandatory_clause``)."""
        return not self.missing_mandatory_ids

    @property
    def missing_mandatory(self) -> list[StandardStatus]:
        """One status per missing mandatory standard (the first referentiecomponent asking for it)."""
        seen, result = set(), []
        for status in sorted(self.statuses, key=lambda s: (s.standaard.name.lower(), s.referentiecomponent.name)):
            if status.missing_mandatory and status.standaard.id not in seen:
                seen.add(status.standaard.id)
                result.append(status)
        return result


def version_label(version: Standaardversie) -> str:
    """A version's name with its standard's name in front, unless the version name already starts with it.

    ("StUF-ZKN 3.10" of StUF-ZKN stays "StUF-ZKN 3.10"; "1.5" of ZGW API's becomes "ZGW API's – 1.5".)
    """
    standaard = version.standaard
    if standaard is None or version.name.lower().startswith(standaard.name.lower()):
        return version.name
    return f"{standaard.name} – {version.name}"


def packages_missing_mandatory():
    """Subquery (one column, never NULL): ids of packages of which a referentiecomponent makes a standard
    mandatory that the package claims no version of. The same rules as :func:`standards_for_packages`
    (only what is in the current release counts).

    Uncorrelated on purpose: PostgreSQL computes the set once and hashes it (``NOT IN``), where a
    per-package ``NOT EXISTS`` made it plan a nested loop over every package and every classification
    (9 s at 5,000 packages). SQLite is faster with the per-package ``EXISTS`` (it checks only the
    packages the other filters leave), so it gets that; both apply the same rules.
    """
    link = package_referentiecomponent.c
    claimed = (select(StandardClaim.id)
               .join(Standaardversie, Standaardversie.id == StandardClaim.standaardversie_id)
               .where(StandardClaim.package_id == link.package_id,
                      Standaardversie.standaard_id == StandaardVerplichting.standaard_id)
               .correlate(package_referentiecomponent, StandaardVerplichting))
    return (select(link.package_id)
            .select_from(package_referentiecomponent)
            .join(Referentiecomponent, Referentiecomponent.id == link.referentiecomponent_id)
            .join(StandaardVerplichting, StandaardVerplichting.referentiecomponent_id == Referentiecomponent.id)
            .join(Standaard, Standaard.id == StandaardVerplichting.standaard_id)
            .where(StandaardVerplichting.kind == VERPLICHT,
                   and_(StandaardVerplichting.in_release.is_(True), Referentiecomponent.in_release.is_(True),
                        Standaard.in_release.is_(True)),
                   not_(exists(claimed))))


def _correlated_missing(package_id):
    """``EXISTS`` per package: what SQLite runs fastest (it only checks the packages other filters left)."""
    link = package_referentiecomponent.c
    claimed = (select(StandardClaim.id)
               .join(Standaardversie, Standaardversie.id == StandardClaim.standaardversie_id)
               .where(StandardClaim.package_id == link.package_id,
                      Standaardversie.standaard_id == StandaardVerplichting.standaard_id)
               .correlate(package_referentiecomponent, StandaardVerplichting))
    return exists(
        select(StandaardVerplichting.id)
        .select_from(package_referentiecomponent)
        .join(Referentiecomponent, Referentiecomponent.id == link.referentiecomponent_id)
        .join(StandaardVerplichting, StandaardVerplichting.referentiecomponent_id == Referentiecomponent.id)
        .join(Standaard, Standaard.id == StandaardVerplichting.standaard_id)
        .where(link.package_id == package_id, StandaardVerplichting.kind == VERPLICHT,
               and_(StandaardVerplichting.in_release.is_(True), Referentiecomponent.in_release.is_(True),
                    Standaard.in_release.is_(True)),
               not_(exists(claimed))))


def _hashed() -> bool:
    """PostgreSQL gets the uncorrelated set (see :func:`packages_missing_mandatory`), SQLite the EXISTS."""
    return db.engine.dialect.name == "postgresql"


def missing_mandatory_clause(package_id=Package.id):
    """SQL condition on a package: a referentiecomponent of it makes a standard mandatory that it claims no
    version of (the rules of :func:`packages_missing_mandatory`).

    A package without referentiecomponenten, or whose referentiecomponenten make nothing mandatory, misses
    nothing: it does not match this clause, so it matches :func:`supports_all_mandatory_clause`.
    """
    return package_id.in_(packages_missing_mandatory()) if _hashed() else _correlated_missing(package_id)


def supports_all_mandatory_clause(package_id=Package.id):
    """SQL condition on a package: it claims every standard its referentiecomponenten make mandatory."""
    return package_id.not_in(packages_missing_mandatory()) if _hashed() else not_(_correlated_missing(package_id))


def claimed_standards(package_ids) -> dict[int, dict[int, list[Standaardversie]]]:
    """{package id: {standaard id: [claimed versions]}} in one query."""
    ids = list(set(package_ids))
    result: dict[int, dict[int, list[Standaardversie]]] = defaultdict(lambda: defaultdict(list))
    if not ids:
        return {}
    rows = db.session.execute(
        select(StandardClaim.package_id, Standaardversie)
        .join(Standaardversie, Standaardversie.id == StandardClaim.standaardversie_id)
        .where(StandardClaim.package_id.in_(ids))
        .order_by(Standaardversie.name)
    ).all()
    for package_id, version in rows:
        if version.standaard_id is not None:
            result[package_id][version.standaard_id].append(version)
    return {pid: dict(by_std) for pid, by_std in result.items()}


def latest_versions(standaard_ids) -> dict[int, Standaardversie]:
    """{standaard id: the version to suggest} (the last by name among those in the release), one query."""
    ids = list(set(standaard_ids))
    if not ids:
        return {}
    versions = db.session.scalars(
        select(Standaardversie)
        .where(Standaardversie.standaard_id.in_(ids), Standaardversie.in_release.is_(True))
        .order_by(Standaardversie.standaard_id, Standaardversie.name)
    ).all()
    latest: dict[int, Standaardversie] = {}
    for version in versions:
        latest[version.standaard_id] = version  # ordered by name: the last one wins
    return latest


def standards_for_packages(package_ids) -> dict[int, PackageStandards]:
    """For every package id: the standards its referentiecomponenten ask for, with claim status.

    Three queries in total: obligations, claims and the versions to suggest.
    """
    ids = list(set(package_ids))
    result = {pid: PackageStandards(pid) for pid in ids}
    if not ids:
        return result
    link = package_referentiecomponent.c
    rows = db.session.execute(
        select(link.package_id, StandaardVerplichting.kind, Referentiecomponent, Standaard)
        .select_from(package_referentiecomponent)
        .join(Referentiecomponent, Referentiecomponent.id == link.referentiecomponent_id)
        .join(StandaardVerplichting, StandaardVerplichting.referentiecomponent_id == Referentiecomponent.id)
        .join(Standaard, Standaard.id == StandaardVerplichting.standaard_id)
        .where(link.package_id.in_(ids), StandaardVerplichting.in_release.is_(True),
               Referentiecomponent.in_release.is_(True), Standaard.in_release.is_(True),
               StandaardVerplichting.kind.in_((VERPLICHT, AANBEVOLEN)))
        .order_by(Referentiecomponent.name, StandaardVerplichting.kind.desc(), Standaard.name)
    ).all()
    claims = claimed_standards(ids)
    suggestions = latest_versions({standaard.id for *_, standaard in rows})
    for package_id, kind, rc, standaard in rows:
        claimed = claims.get(package_id, {}).get(standaard.id, [])
        result[package_id].statuses.append(StandardStatus(
            referentiecomponent=rc, standaard=standaard, kind=kind, claimed_versions=list(claimed),
            suggested_version=(claimed[-1] if claimed else None) or suggestions.get(standaard.id)))
    return result


def standards_for_package(package_id: int) -> PackageStandards:
    return standards_for_packages([package_id])[package_id]
