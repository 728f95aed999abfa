"""Facet counts for the catalogue search: one grouped aggregate statement per facet.

The count of a facet's value is the number of packages that match the text and every
*other* facet's selection and that have this value: so choosing a value never hides
the other values of the same facet, and the counts say what a click will find.
"""

from __future__ import annotations

import json
from dataclasses import asdict, dataclass

from sqlalchemy import case, distinct, func, select

from core.catalogue import cache as catalogue_cache
from core.catalogue.models import (
    CLOUD_MODELS,
    LICENCE_TYPES,
    SERVICE_KINDS,
    Package,
    Service,
    StandardClaim,
    package_referentiecomponent,
    service_package,
)
from core.catalogue.queries import approved_organisation_ids
from core.catalogue.standards import supports_all_mandatory_clause
from core.extensions import db
from core.gemma.models import Referentiecomponent, Standaard, Standaardversie, labelled
from core.models import Organisation
from plugins.f011_catalogus.search import ALL_MANDATORY, SearchParams, base_clause, cloud_contains

TITLES = {
    "rc": "Referentiecomponent",
    "standaard": "Standaard",
    "verplicht": "Verplichte standaarden",
    "cloud": "Cloudmodel",
    "licentie": "Licentie",
    "leverancier": "Leverancier",
    "dienst": "Diensten aangeboden",
}


@dataclass
class Option:
    value: object
    label: str
    count: int
    selected: bool


@dataclass
class Facet:
    name: str
    title: str
    options: list

    @property
    def selected_options(self):
        return [o for o in self.options if o.selected]


def _grouped(params: SearchParams, name: str, key, label, join, extra=(), text=None) -> list[tuple]:
    """(value, label, count) of one facet with a join from Package to its dimension.

    With ``extra`` columns, the label is ``text(label, *extra)`` (a referentiecomponent's marker).
    """
    query = (join(select(key, label, *extra, func.count(distinct(Package.id))).select_from(Package))
             .where(base_clause(params, without=name)).group_by(key, label, *extra))
    rows = db.session.execute(query).all()
    if text is None:
        return [tuple(row) for row in rows]
    return [(row[0], text(*row[1:-1]), row[-1]) for row in rows]


RC_MARKER_COLUMNS = (Referentiecomponent.in_release, Referentiecomponent.gemma_status)


def _choices(params: SearchParams, name: str, choices, counts: dict) -> list[tuple]:
    return [(value, text, counts.get(value, 0)) for value, text in choices]


def count_facets(params: SearchParams) -> list[Facet]:
    """Every facet with its values and counts, from the catalogue cache when this filter combination was
    counted since the last change (``core.catalogue.cache``); else seven aggregate statements."""
    cache = catalogue_cache.current()
    generation = cache.generation() if cache is not None else None
    if generation is None:
        return _count_facets(params)
    key = cache.key("facets", generation, json.dumps([params.q, params.selected], sort_keys=True))
    stored = cache.get(key)
    if stored is not None:
        return [Facet(f["name"], f["title"], [Option(**o) for o in f["options"]]) for f in json.loads(stored)]
    facets = _count_facets(params)
    cache.set(key, json.dumps([asdict(f) for f in facets]).encode())
    return facets


def _count_facets(params: SearchParams) -> list[Facet]:
    """Every facet with its values and counts: seven aggregate statements, whatever the number of rows."""
    raw = {
        "rc": _grouped(params, "rc", Referentiecomponent.id, Referentiecomponent.name, lambda q: q
                       .join(package_referentiecomponent, package_referentiecomponent.c.package_id == Package.id)
                       .join(Referentiecomponent,
                             Referentiecomponent.id == package_referentiecomponent.c.referentiecomponent_id),
                       extra=RC_MARKER_COLUMNS, text=labelled),
        "standaard": _grouped(params, "standaard", Standaard.id, Standaard.name, lambda q: q
                              .join(StandardClaim, StandardClaim.package_id == Package.id)
                              .join(Standaardversie, Standaardversie.id == StandardClaim.standaardversie_id)
                              .join(Standaard, Standaard.id == Standaardversie.standaard_id)),
        "leverancier": _grouped(params, "leverancier", Organisation.id, Organisation.name, lambda q: q
                                .join(Organisation, Organisation.id == Package.organisation_id)),
    }
    supporting = db.session.scalar(
        select(func.count(Package.id)).where(base_clause(params, without="verplicht"),
                                             supports_all_mandatory_clause())) or 0
    raw["verplicht"] = _choices(params, "verplicht", ALL_MANDATORY, {"ja": supporting})
    cloud_row = db.session.execute(
        select(*(func.coalesce(func.sum(case((cloud_contains(value), 1), else_=0)), 0) for value, _ in CLOUD_MODELS))
        .where(base_clause(params, without="cloud"))).one()
    raw["cloud"] = _choices(params, "cloud", CLOUD_MODELS,
                            {value: int(n) for (value, _), n in zip(CLOUD_MODELS, cloud_row, strict=True)})
    licences = dict(db.session.execute(
        select(Package.licence_type, func.count(Package.id)).where(base_clause(params, without="licentie"))
        .group_by(Package.licence_type)).all())
    raw["licentie"] = _choices(params, "licentie", LICENCE_TYPES, licences)
    kinds = dict(db.session.execute(
        select(Service.kind, func.count(distinct(Package.id))).select_from(Package)
        .join(service_package, service_package.c.package_id == Package.id)
        .join(Service, Service.id == service_package.c.service_id)
        .where(base_clause(params, without="dienst"), Service.organisation_id.in_(approved_organisation_ids()))
        .group_by(Service.kind)).all())
    raw["dienst"] = _choices(params, "dienst", SERVICE_KINDS, kinds)

    _add_missing_labels(params, raw)
    facets = []
    for name in ("rc", "standaard", "verplicht", "cloud", "licentie", "dienst", "leverancier"):
        chosen = params.selected[name]
        options = [Option(value, text, int(count), value in chosen) for value, text, count in raw[name]
                   if count or value in chosen]
        if name in ("rc", "standaard", "leverancier"):
            options.sort(key=lambda o: (str(o.label).lower(), o.value))
        facets.append(Facet(name, TITLES[name], options))
    return facets


def _add_missing_labels(params: SearchParams, raw: dict) -> None:
    """Selected ids that no longer match anything still need a label, so they can be unselected.

    Only runs when such an id is selected (never because of the number of rows).
    """
    models = {"rc": Referentiecomponent, "standaard": Standaard, "leverancier": Organisation}
    for name, model in models.items():
        present = {row[0] for row in raw[name]}
        missing = [value for value in params.selected[name] if value not in present]
        if missing:
            extra = RC_MARKER_COLUMNS if model is Referentiecomponent else ()
            query = select(model.id, model.name, *extra).where(model.id.in_(missing))
            if model is Organisation:  # never name an organisation that is not a public supplier
                query = query.where(Organisation.id.in_(approved_organisation_ids()),
                                    Organisation.type == "leverancier")
            for row_id, text, *marker_columns in db.session.execute(query):
                raw[name].append((row_id, labelled(text, *marker_columns) if extra else text, 0))
