"""Comparing 2 to 4 public packages side by side (``?p=<public id>&p=...``)."""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import select
from sqlalchemy.orm import selectinload

from core.catalogue.access import public_package_clause
from core.catalogue.models import Package, StandardClaim
from core.catalogue.queries import municipality_count_map, services_on_packages
from core.extensions import db
from core.gemma.models import Standaardversie

MIN_PACKAGES, MAX_PACKAGES = 2, 4


class CompareRefused(ValueError):
    """The choice can not be compared; the message is Dutch."""


@dataclass
class Column:
    package: Package
    municipalities: int
    services: list


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
    counts = municipality_count_map(p.id for p in ordered)
    services = services_on_packages(p.id for p in ordered)
    return [Column(p, counts[p.id], services[p.id]) for p in ordered]
