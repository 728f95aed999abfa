"""The catalogue search: query-string parameters, filters, sort orders and pagination.

Everything a search shows is in the query string (shareable URLs). Parameters:

- ``q``: free text; every word must occur (see ``core.catalogue.search``);
- ``rc``, ``standaard``, ``leverancier``: ids (repeatable, OR within a facet);
- ``cloud``, ``licentie``, ``dienst``: choice values (repeatable);
- ``verplicht=ja``: only packages that claim every standard their referentiecomponenten make mandatory
  (a package without referentiecomponenten or without mandatory standards misses none, so it matches);
- ``sort``: ``naam`` (default), ``gemeenten`` or ``gewijzigd``;
- ``pagina``: the page number (out of range: the nearest page).

Different facets combine with AND. A value that is not a number where an id is expected
raises :class:`BadSearch` (a Dutch 400); unknown choice values and sort orders are ignored.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from urllib.parse import urlencode

from sqlalchemy import and_, func, literal, or_, select
from sqlalchemy.orm import joinedload, selectinload

from core.catalogue.access import public_package_clause
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
from core.catalogue.search import MAX_QUERY_LENGTH, text_clause
from core.catalogue.standards import supports_all_mandatory_clause
from core.extensions import db
from core.gemma.models import Standaardversie

PAGE_SIZE = 20
MAX_VALUES = 50  # per facet: more selected values than this is not a person clicking
ID_FACETS = ("rc", "standaard", "leverancier")
ALL_MANDATORY = (("ja", "Ondersteunt alle verplichte standaarden"),)
CHOICE_FACETS = {"verplicht": ALL_MANDATORY, "cloud": CLOUD_MODELS, "licentie": LICENCE_TYPES,
                 "dienst": SERVICE_KINDS}
FACETS = ("rc", "standaard", "verplicht", "cloud", "licentie", "leverancier", "dienst")
SORTS = {"naam": "Naam (A-Z)", "gemeenten": "Aantal gemeenten (meeste eerst)", "gewijzigd": "Laatst gewijzigd"}


class BadSearch(ValueError):
    """A parameter a person can not have meant; the message is Dutch."""


@dataclass
class SearchParams:
    q: str = ""
    sort: str = "naam"
    page: int = 1
    selected: dict = field(default_factory=lambda: {name: [] for name in FACETS})

    @property
    def has_filters(self) -> bool:
        return any(self.selected.values())

    def pairs(self, page: int | None = None, drop: tuple[str, object] | None = None, sort: str | None = None):
        """The query-string pairs of this search, optionally with another page/sort or a value dropped."""
        items = []
        if self.q:
            items.append(("q", self.q))
        for name in FACETS:
            for value in self.selected[name]:
                if drop != (name, value):
                    items.append((name, value))
        chosen = sort or self.sort
        if chosen != "naam":
            items.append(("sort", chosen))
        if page and page > 1:
            items.append(("pagina", page))
        return items

    def url(self, base: str, **kwargs) -> str:
        query = urlencode(self.pairs(**kwargs))
        return f"{base}?{query}" if query else base


def _page(raw: str | None) -> int:
    if raw is None or not raw.strip().isdigit() or len(raw.strip()) > 9:
        return 1
    return max(1, int(raw.strip()))


def parse(args) -> SearchParams:
    """Read the search from request args (a MultiDict); raise BadSearch for ids that are no numbers."""
    params = SearchParams(q=" ".join((args.get("q") or "").split())[:MAX_QUERY_LENGTH])
    sort = args.get("sort") or "naam"
    params.sort = sort if sort in SORTS else "naam"
    params.page = _page(args.get("pagina"))
    for name in ID_FACETS:
        values = []
        for raw in args.getlist(name)[:MAX_VALUES]:
            raw = raw.strip()
            if not raw:
                continue
            if not raw.isdigit() or len(raw) > 9:
                raise BadSearch(f"De filterwaarde “{raw[:40]}” is geen geldig nummer. "
                                "Gebruik de filters op de zoekpagina.")
            if int(raw) not in values:
                values.append(int(raw))
        params.selected[name] = values
    for name, choices in CHOICE_FACETS.items():
        allowed = dict(choices)
        values = []
        for raw in args.getlist(name)[:MAX_VALUES]:
            if raw in allowed and raw not in values:
                values.append(raw)
        params.selected[name] = values
    return params


# --------------------------------------------------------------------------- filters
def facet_clause(name: str, values: list):
    """SQL condition on Package for one facet's selected values (OR between them)."""
    if name == "rc":
        return Package.id.in_(select(package_referentiecomponent.c.package_id)
                              .where(package_referentiecomponent.c.referentiecomponent_id.in_(values)))
    if name == "standaard":
        return Package.id.in_(select(StandardClaim.package_id)
                              .join(Standaardversie, Standaardversie.id == StandardClaim.standaardversie_id)
                              .where(Standaardversie.standaard_id.in_(values)))
    if name == "verplicht":
        return supports_all_mandatory_clause()
    if name == "cloud":
        return or_(*(cloud_contains(value) for value in values))
    if name == "licentie":
        return Package.licence_type.in_(values)
    if name == "leverancier":
        return Package.organisation_id.in_(values)
    if name == "dienst":
        return Package.id.in_(select(service_package.c.package_id)
                              .join(Service, Service.id == service_package.c.service_id)
                              .where(Service.kind.in_(values),
                                     Service.organisation_id.in_(approved_organisation_ids())))
    raise KeyError(name)


def cloud_contains(value: str):
    """``cloud_models`` (comma-separated) contains ``value``."""
    return literal(",").concat(Package.cloud_models).concat(",").like(f"%,{value},%")


def base_clause(params: SearchParams, without: str | None = None):
    """Public packages matching the text and every selected facet except ``without``."""
    conditions = [public_package_clause(), text_clause(params.q)]
    for name in FACETS:
        if name != without and params.selected[name]:
            conditions.append(facet_clause(name, params.selected[name]))
    return and_(*conditions)


# --------------------------------------------------------------------------- results
@dataclass
class Results:
    rows: list  # (Package, number of municipalities)
    total: int
    page: int
    pages: int

    @property
    def first(self) -> int:
        return 0 if not self.total else (self.page - 1) * PAGE_SIZE + 1

    @property
    def last(self) -> int:
        return min(self.total, self.page * PAGE_SIZE)


def run(params: SearchParams) -> Results:
    """One page of results: a count and a page query (relationships loaded eagerly)."""
    where = base_clause(params)
    total = db.session.scalar(select(func.count(Package.id)).where(where)) or 0
    pages = max(1, math.ceil(total / PAGE_SIZE))
    page = min(params.page, pages)
    n = Package.municipality_count  # kept by core.catalogue.counts: no aggregate over usage per request
    order = {
        "naam": (func.lower(Package.name), Package.id),
        "gemeenten": (n.desc(), func.lower(Package.name), Package.id),
        "gewijzigd": (Package.changed_on.desc(), Package.id.desc()),
    }[params.sort]
    rows = db.session.execute(
        select(Package, n.label("gemeenten"))
        .where(where).order_by(*order)
        .limit(PAGE_SIZE).offset((page - 1) * PAGE_SIZE)
        .options(selectinload(Package.referentiecomponenten), joinedload(Package.logo))
    ).unique().all()
    return Results(rows=[(package, count) for package, count in rows], total=total, page=page, pages=pages)
