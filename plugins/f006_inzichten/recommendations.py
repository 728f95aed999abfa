"""Aanbevelingen (issue pt 6): concrete, checkable recommendations per own package, ranked by expected effect.

Each is computed from the catalogue as it is now, so it disappears as soon as it is fixed. Each has a
link to the page that fixes it; those pages belong to F004 (Mijn aanbod), which F006 never imports: the
link is built from the endpoint's name only when that page exists in this app (``fix_link``), so with
F004 left out the recommendation stays, without a link. A fixed number of queries for all packages.
"""

from __future__ import annotations

import datetime as dt
from collections import Counter, defaultdict
from dataclasses import dataclass

from flask import current_app, url_for
from sqlalchemy import func, select

from core.catalogue.models import ACTIVE_USAGE_STATUSES, Package, PackageDocument, Screenshot, Usage, Version
from core.catalogue.standards import standards_for_packages
from core.extensions import db


@dataclass(frozen=True)
class Recommendation:
    package: str
    text: str
    action: str  # the link's text
    url: str | None
    weight: int  # expected effect: higher first


def fix_link(endpoint: str, **values) -> str | None:
    """A link to another functionality's page, only when this app has it (never an import)."""
    if endpoint not in current_app.view_functions:
        return None
    return url_for(endpoint, **values)


def _ended(version: Version, today: dt.date) -> bool:
    return version.status == "einde_ondersteuning" or (version.end_support is not None
                                                        and version.end_support < today)


def for_packages(packages: list[Package], today: dt.date | None = None, searches=()) -> list[Recommendation]:
    """``searches``: the frequent search terms (``insights.searches``) of these packages' shelves."""
    today = today or dt.date.today()
    if not packages:
        return []
    ids = [p.id for p in packages]
    standards = standards_for_packages(ids)
    versions = defaultdict(list)
    for version in db.session.scalars(select(Version).where(Version.package_id.in_(ids))):
        versions[version.package_id].append(version)
    screenshots = dict(db.session.execute(select(Screenshot.package_id, func.count(Screenshot.id))
                                          .where(Screenshot.package_id.in_(ids)).group_by(Screenshot.package_id)).all())
    documents = dict(db.session.execute(select(PackageDocument.package_id, func.count(PackageDocument.id))
                                        .where(PackageDocument.package_id.in_(ids))
                                        .group_by(PackageDocument.package_id)).all())
    used = Counter(dict(db.session.execute(
        select(Usage.version_id, func.count(Usage.id))
        .where(Usage.package_id.in_(ids), Usage.version_id.isnot(None), Usage.status.in_(ACTIVE_USAGE_STATUSES))
        .group_by(Usage.version_id)).all()))
    found: list[Recommendation] = []
    for package in packages:
        name = package.name
        edit = fix_link("PackageView.edit", pk=package.id)
        for status in standards[package.id].missing_mandatory:
            found.append(Recommendation(
                name, f"{name} claimt de verplichte standaard {status.standaard.name} niet (verplicht voor "
                      f"{status.referentiecomponent.name}). Gemeenten filteren hierop.",
                "Standaard claimen", fix_link("StandardClaimView.add", _flt_0_package=package.id), 100))
        own_versions = versions[package.id]
        in_use = [v for v in own_versions if v.status == "in_gebruik" and not _ended(v, today)]
        for version in own_versions:
            customers = used[version.id]
            if customers and _ended(version, today) and not in_use:
                found.append(Recommendation(
                    name, f"Versie {version.name} van {name} wordt niet meer ondersteund, maar {customers} "
                          f"{'klant gebruikt' if customers == 1 else 'klanten gebruiken'} haar nog, en er is geen "
                          "opvolger in gebruik.",
                    "Opvolger toevoegen", fix_link("VersionView.add", _flt_0_package=package.id), 80 + customers))
        if not in_use:
            found.append(Recommendation(name, f"{name} heeft geen versie met de status In gebruik.",
                                        "Versie toevoegen", fix_link("VersionView.add", _flt_0_package=package.id),
                                        75))
        found += _profile(package, edit, screenshots.get(package.id), documents.get(package.id))
    first = packages[0]
    for term in searches:
        if term.found_on_shelf and not term.found_mine:
            found.append(Recommendation(
                first.name, f"{term.organisations} gemeenten en samenwerkingen zochten op \u201c{term.term}\u201d: dat "
                            "vindt andere pakketten op uw referentiecomponenten, maar geen van de uwe.",
                "Beschrijving aanvullen", fix_link("PackageView.edit", pk=first.id), 65))
    found.sort(key=lambda r: (-r.weight, r.package.lower(), r.text))
    return found


def _profile(package: Package, edit: str | None, screenshots: int | None, documents: int | None) -> list:
    """What the package page lacks: description, contact person, logo, screenshots, documents."""
    name, found = package.name, []
    if not (package.long_description or "").strip():
        found.append(Recommendation(name, f"{name} heeft geen uitgebreide beschrijving.",
                                    "Beschrijving schrijven", edit, 60))
    if package.contact_person_id is None:
        found.append(Recommendation(name, f"{name} heeft geen contactpersoon.", "Contactpersoon kiezen", edit,
                                    55))
    if package.logo_file_id is None:
        found.append(Recommendation(name, f"{name} heeft geen logo.", "Logo toevoegen", edit, 50))
    if not screenshots:
        found.append(Recommendation(name, f"{name} heeft geen schermafbeeldingen.", "Schermafbeelding toevoegen",
                                    fix_link("ScreenshotView.add", _flt_0_package=package.id), 40))
    if not documents:
        found.append(Recommendation(name, f"{name} heeft geen documenten (zoals een handleiding of "
                                          "verwerkersovereenkomst).", "Document toevoegen",
                                    fix_link("PackageDocumentView.add", _flt_0_package=package.id), 30))
    return found
