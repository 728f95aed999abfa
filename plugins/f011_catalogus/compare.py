"""Comparing 2 to 4 public packages side by side (``?p=<public id>&p=...``)."""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import select
from sqlalchemy.orm import selectinload

from core.catalogue.access import public_package_clause
from core.catalogue.models import Package, StandardClaim
from core.catalogue.queries import services_on_packages
from core.catalogue.standards import PackageStandards, standards_for_packages
from core.extensions import db
from core.gemma.models import Standaard, Standaardversie

MIN_PACKAGES, MAX_PACKAGES = 2, 4


class CompareRefused(ValueError):
    """The choice can not be compared; the message is Dutch."""


@dataclass
class Column:
    package: Package
    municipalities: int
    services: list
    standards: PackageStandards

    @property
    def mandatory_summary(self) -> str:
        mandatory = self.standards.mandatory
        if not mandatory:
            return "Geen verplichte standaarden"
        return f"{sum(m.claimed for m in mandatory)} van {len(mandatory)} ondersteund"


@dataclass
class Cell:
    text: str
    missing: bool = False  # mandatory for this package and not claimed


@dataclass
class MandatoryRow:
    """One standard that is mandatory for at least one of the packages compared, with a cell per package."""

    standaard: Standaard
    cells: list[Cell]


def _cell(column: Column, standaard: Standaard) -> Cell:
    mandatory = {m.standaard.id: m for m in column.standards.mandatory}
    if standaard.id in mandatory:
        return Cell("Ondersteund") if mandatory[standaard.id].claimed else Cell("Niet geclaimd", missing=True)
    claimed = any(c.standaardversie.standaard_id == standaard.id for c in column.package.standard_claims)
    return Cell("Niet verplicht, wel ondersteund" if claimed else "Niet verplicht")


def mandatory_rows(columns: list[Column]) -> list[MandatoryRow]:
    """A row per standard mandatory for any compared package, by name."""
    found: dict[int, Standaard] = {}
    for column in columns:
        for item in column.standards.mandatory:
            found.setdefault(item.standaard.id, item.standaard)
    ordered = sorted(found.values(), key=lambda s: (s.name.lower(), s.id))
    return [MandatoryRow(standaard, [_cell(c, standaard) for c in columns]) for standaard in ordered]


def chosen_ids(args) -> list[str]:
    ids = []
    for raw in args.getlist("p")[:20]:
        value = raw.strip().lower()[:36]
        if value and value not in ids:
            ids.append(value)
    return ids


def load(ids: list[str]) -> list[Column]:
    """The packages to compare, in the order chosen; raise CompareRefused with the reason."""
    if len(ids) < MIN_PACKAGES:
        raise CompareRefused("Kies minstens twee pakketten om te vergelijken.")
    if len(ids) > MAX_PACKAGES:
        raise CompareRefused(f"U kunt hoogstens {MAX_PACKAGES} pakketten tegelijk vergelijken; "
                             f"u koos er {len(ids)}.")
    packages = db.session.scalars(
        select(Package).where(public_package_clause(), Package.public_id.in_(ids))
        .options(selectinload(Package.referentiecomponenten), selectinload(Package.versions),
                 selectinload(Package.standard_claims).joinedload(StandardClaim.standaardversie)
                 .joinedload(Standaardversie.standaard))).all()
    by_id = {p.public_id: p for p in packages}
    if len(by_id) != len(ids):
        raise CompareRefused("Een of meer van de gekozen pakketten bestaan niet (meer) of zijn niet openbaar.")
    ordered = [by_id[i] for i in ids]
    services = services_on_packages(p.id for p in ordered)
    standards = standards_for_packages(p.id for p in ordered)
    return [Column(p, p.municipality_count, services[p.id], standards[p.id]) for p in ordered]
