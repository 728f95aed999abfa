"""The public catalogue: search with facets, the package page (shop window) and comparing.

Readable by everybody, the anonymous Bezoeker included, and only over GET. Only public
packages (published, approved supplier: ``core.catalogue.access``) appear; the owner
and VNG may preview an unpublished package of their own / any package.
"""

from __future__ import annotations

import datetime as dt

from flask import abort, request
from flask_appbuilder import BaseView, expose
from sqlalchemy import select
from sqlalchemy.orm import joinedload, selectinload

from core import files, page_cache
from core.builtin.errors import render_error
from core.catalogue import models as m
from core.catalogue.access import is_public
from core.catalogue.queries import services_on_packages, visible_documents
from core.catalogue.standards import standards_for_package, version_label
from core.events import CatalogueSearched, PackageViewed, emit
from core.extensions import db
from core.gemma.models import Standaardversie
from core.markup import safe_url
from core.page_cache import cacheable
from core.tenancy import current_organisation_id, current_user, sees_all_organisations
from plugins.f011_catalogus import compare as comparing
from plugins.f011_catalogus import search as searching
from plugins.f011_catalogus.facets import count_facets

LABELS = {
    "version": dict(m.VERSION_STATUSES),
    "cloud": dict(m.CLOUD_MODELS),
    "location": dict(m.DATA_LOCATIONS),
    "licence": dict(m.LICENCE_TYPES),
    "document": dict(m.DOCUMENT_KINDS),
    "audience": dict(m.DOCUMENT_AUDIENCES),
    "review": dict(m.DOCUMENT_REVIEW_STATUSES),
    "service": dict(m.SERVICE_KINDS),
}


def viewer() -> tuple[int | None, str | None, bool]:
    """(organisation id, organisation type, sees all organisations) of the person looking."""
    user = current_user()
    org = getattr(user, "organisation", None) if user is not None else None
    return current_organisation_id(user), (org.type if org is not None else None), sees_all_organisations(user)


def record_view(package, org_id, org_type, sees_all) -> None:
    """Tell the plugins that count views (F006) that this public page was seen: organisation and day only.
    A visitor's page may come from the page cache later: each such hit counts as a view too."""
    _emit_view(package.id, package.organisation_id, org_id, org_type, sees_all)
    page_cache.remember("f011.package_viewed", package_id=package.id, organisation_id=package.organisation_id)


def _emit_view(package_id, organisation_id, org_id=None, org_type=None, sees_all=False) -> None:
    emit(PackageViewed(package_id=package_id, organisation_id=organisation_id,
                       viewer_organisation_id=org_id, viewer_organisation_type=org_type, viewer_sees_all=sees_all,
                       user_agent=request.headers.get("User-Agent", "")[:300], day=dt.date.today()))
    db.session.commit()


@page_cache.on_hit("f011.package_viewed")
def _view_from_cache(package_id: int, organisation_id: int) -> None:
    _emit_view(package_id, organisation_id)  # a cached page is only ever a visitor's


def _emit_search(query: str, filters: tuple[str, ...], org_id=None, org_type=None, sees_all=False) -> None:
    emit(CatalogueSearched(query=query, filters=filters, viewer_organisation_id=org_id,
                           viewer_organisation_type=org_type, viewer_sees_all=sees_all,
                           user_agent=request.headers.get("User-Agent", "")[:300], day=dt.date.today()))
    db.session.commit()


@page_cache.on_hit("f011.catalogue_searched")
def _search_from_cache(query: str, filters: list[str]) -> None:
    _emit_search(query, tuple(filters))


def record_search(params) -> None:
    """Tell the plugins that count searches (F006) what was looked for: organisation and day only."""
    chosen = tuple(f"{name}={value}"[:200] for name, values in sorted(params.selected.items()) for value in values)
    if params.page != 1 or not (params.q.strip() or chosen):
        return
    org_id, org_type, sees_all = viewer()
    _emit_search(params.q.strip()[:200], chosen[:10], org_id, org_type, sees_all)
    page_cache.remember("f011.catalogue_searched", query=params.q.strip()[:200], filters=list(chosen[:10]))


def package_url(package) -> str:
    return f"/catalogus/pakketten/{package.public_id}"


class CatalogueView(BaseView):
    """Search, package page and comparison: public pages, no permission needed."""

    route_base = "/catalogus"
    default_view = "index"

    def _render(self, template: str, **context):
        return self.render_template(template, labels=LABELS, package_url=package_url, version_label=version_label,
                                    **context)

    @expose("/")
    @cacheable
    def index(self):
        try:
            params = searching.parse(request.args)
        except searching.BadSearch as exc:
            return render_error(400, str(exc))
        results = searching.run(params)
        facets = count_facets(params)
        page = self._render("f011/search.html", params=params, results=results, facets=facets,
                            sorts=searching.SORTS, base="/catalogus/", title="Catalogus: pakketten zoeken")
        record_search(params)  # after rendering: its commit would expire every result shown
        return page

    @expose("/pakketten/<string:public_id>")
    @cacheable
    def package(self, public_id):
        package = db.session.scalar(
            select(m.Package).where(m.Package.public_id == public_id.lower()[:36])
            .options(selectinload(m.Package.modules), selectinload(m.Package.versions),
                     selectinload(m.Package.referentiecomponenten), selectinload(m.Package.screenshots),
                     selectinload(m.Package.standard_claims).joinedload(m.StandardClaim.standaardversie)
                     .joinedload(Standaardversie.standaard),
                     selectinload(m.Package.standard_claims).joinedload(m.StandardClaim.evidence_file),
                     joinedload(m.Package.logo), joinedload(m.Package.contact_person)))
        if package is None:
            abort(404)
        org_id, org_type, sees_all = viewer()
        public = is_public(package)
        if not public and not (sees_all or (org_id is not None and org_id == package.organisation_id)):
            abort(404)

        def readable(stored) -> bool:
            return stored is not None and files.may_read(stored, package.organisation, org_id, sees_all)

        page = self._render(
            "f011/package.html", package=package, public=public, readable=readable,
            documents=visible_documents(package.id, org_id, org_type, sees_all),
            services=services_on_packages([package.id])[package.id],
            municipalities=package.municipality_count,
            claims=sorted(package.standard_claims, key=lambda c: str(c.standaardversie).lower()),
            mandatory=standards_for_package(package.id).mandatory,
            video=safe_url(package.demo_video_url), website=safe_url(package.website),
            title=package.name)
        if public:
            record_view(package, org_id, org_type, sees_all)  # after rendering (its commit expires the package)
        return page

    @expose("/vergelijken")
    @cacheable
    def compare(self):
        ids = comparing.chosen_ids(request.args)
        try:
            columns = comparing.load(ids)
        except comparing.CompareRefused as exc:
            return self._render("f011/compare.html", columns=[], refusal=str(exc),
                                title="Pakketten vergelijken"), 400
        return self._render("f011/compare.html", columns=columns, refusal=None,
                            mandatory_rows=comparing.mandatory_rows(columns), title="Pakketten vergelijken")
