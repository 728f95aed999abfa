"""The public statistics page (issue pt 7): the catalogue in numbers, for everyone.

Suppliers, public packages and gemeenten with a landscape; market share per referentiecomponent (public
packages by the number of gemeenten and samenwerkingen that use them: counts, never which ones); adoption
of standards (public packages claiming a version). Aggregates over the catalogue only: no view rows.
"""

from __future__ import annotations

from collections import defaultdict

from sqlalchemy import func, select

from core.catalogue.access import public_package_clause
from core.catalogue.models import ACTIVE_USAGE_STATUSES, Package, StandardClaim, Usage
from core.catalogue.models import package_referentiecomponent as link
from core.extensions import db
from core.gemma.models import Referentiecomponent, Standaard, Standaardversie
from core.models import Organisation
from plugins.f006_inzichten.charts import Chart

LANDSCAPE_TYPES = ("gemeente", "samenwerking")
SHELVES, PER_SHELF, STANDARDS, MIN_SHELF = 20, 8, 25, 3


def totals() -> dict:
    suppliers = db.session.scalar(select(func.count(Organisation.id)).where(
        Organisation.type == "leverancier", Organisation.status == "goedgekeurd")) or 0
    packages = db.session.scalar(select(func.count(Package.id)).where(public_package_clause())) or 0
    gemeenten = db.session.scalar(select(func.count(Organisation.id)).where(Organisation.type == "gemeente")) or 0
    with_landscape = db.session.scalar(
        select(func.count(func.distinct(Usage.organisation_id))).join(Organisation, Organisation.id ==
                                                                       Usage.organisation_id)
        .where(Organisation.type == "gemeente", Usage.status.in_(ACTIVE_USAGE_STATUSES))) or 0
    return {"suppliers": suppliers, "packages": packages, "gemeenten": gemeenten, "with_landscape": with_landscape}


def market_share() -> list[Chart]:
    """Per referentiecomponent (the most used first): its public packages by number of users."""
    users = (select(Usage.package_id, func.count(func.distinct(Usage.organisation_id)).label("n"))
             .join(Organisation, Organisation.id == Usage.organisation_id)
             .where(Usage.status.in_(ACTIVE_USAGE_STATUSES), Organisation.type.in_(LANDSCAPE_TYPES))
             .group_by(Usage.package_id).subquery())
    rows = db.session.execute(
        select(Referentiecomponent.id, Referentiecomponent.name, Package.name, func.coalesce(users.c.n, 0))
        .select_from(link).join(Package, Package.id == link.c.package_id)
        .join(Referentiecomponent, Referentiecomponent.id == link.c.referentiecomponent_id)
        .outerjoin(users, users.c.package_id == Package.id).where(public_package_clause())).all()
    shelves = defaultdict(list)
    names = {}
    for rc_id, rc_name, package, n in rows:
        shelves[rc_id].append((package, int(n)))
        names[rc_id] = rc_name
    ranked = sorted((rc for rc in shelves if len(shelves[rc]) >= MIN_SHELF),
                    key=lambda rc: (-sum(n for _, n in shelves[rc]), names[rc].lower()))[:SHELVES]
    charts = []
    for rc in ranked:
        packages = sorted(shelves[rc], key=lambda p: (-p[1], p[0].lower()))[:PER_SHELF]
        charts.append(Chart(f"marktaandeel-{rc}", f"Marktaandeel bij {names[rc]}",
                            ["Pakket", "Gemeenten en samenwerkingen die het gebruiken"], packages))
    return charts


def adoption() -> Chart:
    rows = db.session.execute(
        select(Standaard.name, func.count(func.distinct(StandardClaim.package_id)))
        .select_from(StandardClaim).join(Standaardversie, Standaardversie.id == StandardClaim.standaardversie_id)
        .join(Standaard, Standaard.id == Standaardversie.standaard_id)
        .join(Package, Package.id == StandardClaim.package_id).where(public_package_clause())
        .group_by(Standaard.name).order_by(func.count(func.distinct(StandardClaim.package_id)).desc(),
                                           Standaard.name).limit(STANDARDS)).all()
    return Chart("standaarden", "Adoptie van standaarden", ["Standaard", "Pakketten die de standaard ondersteunen"],
                 [(name, int(n)) for name, n in rows])


def charts() -> dict[str, Chart]:
    made = [adoption()] + market_share()
    return {chart.key: chart for chart in made}
