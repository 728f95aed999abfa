"""The supplier's dashboard: figures over a set of its own packages (all of them, or one).

Tenancy is explicit (these are not model views): every query is limited to the ids of the
supplier's own packages, so a supplier never sees who viewed another supplier's package,
never another package's customers, and never which other packages a municipality views or
uses. Every figure reads the daily aggregates (``ViewDay``, ``ViewTotal``), the proposal
facts and the usages of those packages: the cost does not grow with the number of views.
Counts of visitors that are not attributed are suppressed below ``INZICHTEN_KLEIN_AANTAL``.
"""

from __future__ import annotations

import datetime as dt
from collections import Counter, defaultdict
from dataclasses import dataclass

from flask import current_app
from sqlalchemy import case, func, select

from core.catalogue.models import ACTIVE_USAGE_STATUSES, VERSION_STATUSES, Package, Usage, Version, label
from core.extensions import db
from core.models import Organisation
from plugins.f006_inzichten.charts import Chart
from plugins.f006_inzichten.models import Interest, ProposalFact, ViewDay, ViewTotal

WEEKS = 12
VIEWERS = 100  # the most recent viewing organisations (per package) shown
MONTHS = 12
MONTH_NAMES = ("jan", "feb", "mrt", "apr", "mei", "jun", "jul", "aug", "sep", "okt", "nov", "dec")
SUPPRESSED = "minder dan {n}"


def own_packages(supplier_id: int) -> list[Package]:
    return list(db.session.scalars(select(Package).where(Package.organisation_id == supplier_id)
                                   .order_by(func.lower(Package.name), Package.id)))


def small(value: int) -> int | str:
    """A count that could identify a visitor (1 .. threshold - 1) is not shown."""
    threshold = current_app.config["INZICHTEN_KLEIN_AANTAL"]
    return SUPPRESSED.format(n=threshold) if 0 < value < threshold else value


def week_start(day: dt.date) -> dt.date:
    return day - dt.timedelta(days=day.weekday())


def views_per_week(ids: list[int], today: dt.date) -> Chart:
    first = week_start(today) - dt.timedelta(weeks=WEEKS - 1)
    attributed, others = Counter(), Counter()
    if ids:  # the daily counts: at most one row per package and day
        for day, orgs, hits in db.session.execute(
                select(ViewTotal.day, func.sum(ViewTotal.organisations), func.sum(ViewTotal.hits))
                .where(ViewTotal.package_id.in_(ids), ViewTotal.day >= first).group_by(ViewTotal.day)):
            attributed[week_start(day)] += int(orgs or 0)
            others[week_start(day)] += int(hits or 0)
    rows = []
    for i in range(WEEKS):
        start = first + dt.timedelta(weeks=i)
        rows.append((f"week {start.isocalendar()[1]} ({start.strftime('%d-%m')})", attributed[start],
                     small(others[start])))
    return Chart("weergaven", "Bekeken door gemeenten en samenwerkingen, per week",
                 ["Week", "Gemeenten en samenwerkingen (één keer per dag)", "Overige bezoekers"], rows,
                 note="Een gemeente die een pakket vaker op een dag bekijkt, telt één keer. Bezoeken van uw eigen "
                      "medewerkers, van VNG en van zoekmachines tellen niet mee. Overige bezoekers onder de "
                      f"{current_app.config['INZICHTEN_KLEIN_AANTAL']} worden niet getoond.")


@dataclass
class Viewer:
    name: str
    package: str
    days: int
    last: dt.date


def viewers(ids: list[int], today: dt.date) -> list[Viewer]:
    """Which municipalities viewed which of these packages in the last weeks (names: own packages only)."""
    if not ids:
        return []
    first = week_start(today) - dt.timedelta(weeks=WEEKS - 1)
    rows = db.session.execute(
        select(Organisation.name, Package.name, func.count(ViewDay.id), func.max(ViewDay.day))
        .join(Organisation, Organisation.id == ViewDay.viewer_id).join(Package, Package.id == ViewDay.package_id)
        .where(ViewDay.package_id.in_(ids), ViewDay.day >= first)
        .group_by(Organisation.name, Package.name).order_by(func.max(ViewDay.day).desc(), Organisation.name)
        .limit(VIEWERS))
    return [Viewer(*row) for row in rows]


def interests(ids: list[int]) -> list[Interest]:
    if not ids:
        return []
    return list(db.session.scalars(select(Interest).where(Interest.package_id.in_(ids))
                                   .order_by(Interest.created_on.desc())))


def month_end(year: int, month: int) -> dt.date:
    nxt = dt.date(year + (month == 12), month % 12 + 1, 1)
    return nxt - dt.timedelta(days=1)


def customers_over_time(ids: list[int], today: dt.date) -> Chart:
    """Accepted usages (customers) at the end of each of the last months."""
    usages = db.session.execute(select(Usage.created_on, Usage.status, Usage.status_date, Usage.changed_on)
                                .where(Usage.package_id.in_(ids))).all() if ids else []
    rows = []
    for back in range(MONTHS - 1, -1, -1):
        year, month = divmod(today.year * 12 + today.month - 1 - back, 12)
        end = min(month_end(year, month + 1), today)
        count = 0
        for created, status, status_date, changed in usages:
            if created.date() > end:
                continue
            if status not in ACTIVE_USAGE_STATUSES:
                ended = status_date or changed.date()
                if ended <= end:
                    continue
            count += 1
        rows.append((f"{MONTH_NAMES[month]} {year}", count))
    return Chart("klanten", "Klanten per maand (gebruik in de applicatielandschappen)", ["Maand", "Klanten"], rows)


FUNNEL = (("voorgesteld", "Voorgesteld"), ("geaccepteerd", "Geaccepteerd"), ("afgewezen", "Afgewezen"),
          ("open", "Open"), ("overig", "Ingetrokken, verlopen of vervallen"))


def proposal_funnel(ids: list[int], supplier_id: int | None) -> Chart:
    states = Counter()
    if ids:
        where = [ProposalFact.package_id.in_(ids)]
        if supplier_id is not None:
            where.append(ProposalFact.supplier_id == supplier_id)
        for state, n in db.session.execute(select(ProposalFact.state, func.count()).where(*where)
                                           .group_by(ProposalFact.state)):
            states[state if state in ("geaccepteerd", "afgewezen", "open") else "overig"] += n
    total = sum(states.values())
    rows = [(text, total if key == "voorgesteld" else states[key]) for key, text in FUNNEL]
    return Chart("voorstellen", "Gebruiksvoorstellen aan gemeenten", ["Stap", "Aantal"], rows)


def versions_in_use(ids: list[int], today: dt.date) -> Chart:
    """Active usages per version, with whether its support ended."""
    if not ids:
        return Chart("versies", "Versies in gebruik bij klanten", ["Versie", "Klanten", "Status"], [])
    rows = db.session.execute(
        select(Package.name, Version.name, Version.status, Version.end_support, func.count(Usage.id))
        .select_from(Usage).join(Package, Package.id == Usage.package_id)
        .outerjoin(Version, Version.id == Usage.version_id)
        .where(Usage.package_id.in_(ids), Usage.status.in_(ACTIVE_USAGE_STATUSES))
        .group_by(Package.name, Version.name, Version.status, Version.end_support)
        .order_by(Package.name, case((Version.name.is_(None), 1), else_=0), Version.name)).all()
    out = []
    for package, version, status, end_support, n in rows:
        if version is None:
            out.append((f"{package}: geen versie opgegeven", n, ""))
            continue
        ended = status == "einde_ondersteuning" or (end_support is not None and end_support < today)
        state = "Ondersteuning beëindigd" if ended else label(VERSION_STATUSES, status)
        if end_support is not None:
            state += f" (einde ondersteuning {end_support.strftime('%d-%m-%Y')})"
        out.append((f"{package} {version}", n, state))
    return Chart("versies", "Versies in gebruik bij klanten", ["Versie", "Klanten", "Status"], out)


def summary(ids: list[int], today: dt.date) -> dict:
    """The figures at the top: views in the last 4 weeks, viewing municipalities, interest, customers."""
    if not ids:
        return {"views": 0, "viewers": 0, "interest": 0, "customers": 0}
    since = today - dt.timedelta(days=28)
    views = db.session.scalar(select(func.sum(ViewTotal.organisations)).where(ViewTotal.package_id.in_(ids),
                                                                              ViewTotal.day > since)) or 0
    distinct = db.session.scalar(select(func.count(func.distinct(ViewDay.viewer_id))).where(
        ViewDay.package_id.in_(ids), ViewDay.day > since)) or 0
    interest = db.session.scalar(select(func.count(Interest.id)).where(Interest.package_id.in_(ids))) or 0
    customers = db.session.scalar(select(func.count(Usage.id)).where(
        Usage.package_id.in_(ids), Usage.status.in_(ACTIVE_USAGE_STATUSES))) or 0
    return {"views": views, "viewers": distinct, "interest": interest, "customers": customers}


def charts(ids: list[int], supplier_id: int | None, today: dt.date) -> dict[str, Chart]:
    made = [views_per_week(ids, today), customers_over_time(ids, today), proposal_funnel(ids, supplier_id),
            versions_in_use(ids, today)] + positions(ids)
    return {chart.key: chart for chart in made}


def grouped_by_package(items, key) -> dict:
    out = defaultdict(list)
    for item in items:
        out[key(item)].append(item)
    return out


# --- position per referentiecomponent (issue pt 4) --------------------------------------------
MIN_SHELF = 3  # fewer packages on a shelf: no ranking (it would show too much of too few)


def positions(ids: list[int]) -> list[Chart]:
    """Per referentiecomponent of these packages: the public packages on that shelf ranked by active usages of
    gemeenten and samenwerkingen, the own ones marked. Other packages are named (they are public), their
    customers never. A shelf of fewer than ``MIN_SHELF`` packages is left out. Two queries."""
    from core.catalogue.access import public_package_clause
    from core.catalogue.models import package_referentiecomponent as link
    from core.gemma.models import Referentiecomponent

    if not ids:
        return []
    shelves = select(link.c.referentiecomponent_id).where(link.c.package_id.in_(ids)).distinct()
    active = (select(Usage.package_id, func.count(Usage.id).label("n"))
              .join(Organisation, Organisation.id == Usage.organisation_id)
              .where(Usage.status.in_(ACTIVE_USAGE_STATUSES), Organisation.type.in_(("gemeente", "samenwerking")))
              .group_by(Usage.package_id).subquery())
    rows = db.session.execute(
        select(link.c.referentiecomponent_id, Package.id, Package.name, func.coalesce(active.c.n, 0))
        .join(Package, Package.id == link.c.package_id)
        .outerjoin(active, active.c.package_id == Package.id)
        .where(link.c.referentiecomponent_id.in_(shelves), (Package.id.in_(ids)) | public_package_clause())).all()
    by_shelf = defaultdict(list)
    for rc_id, package_id, name, n in rows:
        by_shelf[rc_id].append((package_id, name, int(n)))
    names = dict(db.session.execute(select(Referentiecomponent.id, Referentiecomponent.name)
                                    .where(Referentiecomponent.id.in_(list(by_shelf)))).all()) if by_shelf else {}
    charts = []
    for rc_id, packages in sorted(by_shelf.items(), key=lambda item: names.get(item[0], "").lower()):
        if len(packages) < MIN_SHELF:
            continue
        packages.sort(key=lambda p: (-p[2], p[1].lower()))
        table = [(f"{i}. {name}" + (" (uw pakket)" if pid in ids else ""), n, "ja" if pid in ids else "")
                 for i, (pid, name, n) in enumerate(packages, start=1)]
        charts.append(Chart(f"positie-{rc_id}", f"Positie bij {names.get(rc_id, '?')}",
                            ["Pakket", "Gemeenten en samenwerkingen die het gebruiken", "Uw pakket"], table,
                            note="Rangorde naar actief gebruik; welke gemeenten een ander pakket gebruiken, "
                                 "tonen we niet."))
    return charts


# --- what municipalities look for (issue pt 5) -------------------------------------------------
SEARCH_WEEKS = 4


@dataclass
class SearchTerm:
    term: str
    kind: str
    organisations: int
    found_mine: bool | None  # None for a filter (not matched against packages)
    found_on_shelf: bool | None  # a public package on one of my shelves matches it


def searches(ids: list[int], today: dt.date) -> list[SearchTerm]:
    """Terms and filters of the last weeks used by at least ``INZICHTEN_MIN_ORGANISATIES`` different
    gemeenten and samenwerkingen, with whether they find any of these packages, and whether they find
    others on the same shelves (referentiecomponenten). Counts only, never which organisation."""
    from core.catalogue.access import public_package_clause
    from core.catalogue.models import package_referentiecomponent as link
    from core.catalogue.search import text_clause
    from plugins.f006_inzichten.models import SearchDay

    minimum = current_app.config["INZICHTEN_MIN_ORGANISATIES"]
    since = today - dt.timedelta(weeks=SEARCH_WEEKS)
    rows = db.session.execute(
        select(SearchDay.term, SearchDay.kind, func.count(func.distinct(SearchDay.viewer_id)))
        .where(SearchDay.day > since).group_by(SearchDay.term, SearchDay.kind)
        .having(func.count(func.distinct(SearchDay.viewer_id)) >= minimum)
        .order_by(func.count(func.distinct(SearchDay.viewer_id)).desc(), SearchDay.term).limit(50)).all()
    shelf_packages = select(link.c.package_id).where(link.c.referentiecomponent_id.in_(
        select(link.c.referentiecomponent_id).where(link.c.package_id.in_(ids))))
    out = []
    for term, kind, n in rows:
        if kind != "zoekterm" or not ids:
            out.append(SearchTerm(term, kind, n, None, None))
            continue
        mine = db.session.scalar(select(func.count(Package.id)).where(Package.id.in_(ids), text_clause(term)))
        shelf = db.session.scalar(select(func.count(Package.id)).where(
            Package.id.in_(shelf_packages), Package.id.notin_(ids), public_package_clause(), text_clause(term)))
        out.append(SearchTerm(term, kind, n, bool(mine), bool(shelf)))
    return out
