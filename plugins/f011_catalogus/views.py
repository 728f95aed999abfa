"""The public catalogue: search with facets, the package page (shop window) and comparing.

Readable by everybody, the anonymous Bezoeker included, and only over GET. Only public
packages (published, approved supplier: ``core.catalogue.access``) appear; the owner
and VNG may preview an unpublished package of their own / any package.
"""

from __future__ import annotations

from flask import abort, request
from flask_appbuilder import BaseView, expose
from sqlalchemy import select
from sqlalchemy.orm import joinedload, selectinload

from core import files
from core.builtin.errors import render_error
from core.catalogue import models as m
from core.catalogue.access import is_public
from core.catalogue.queries import services_on_packages, visible_documents
from core.catalogue.standards import standards_for_package, version_label
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
        return self._render("f011/search.html", params=params, results=results, facets=facets,
                            sorts=searching.SORTS, base="/catalogus/", title="Catalogus: pakketten zoeken")

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

        return self._render(
            "f011/package.html", package=package, public=public, readable=readable,
            documents=visible_documents(package.id, org_id, org_type, sees_all),
            services=services_on_packages([package.id])[package.id],
            municipalities=package.municipality_count,
            claims=sorted(package.standard_claims, key=lambda c: str(c.standaardversie).lower()),
            mandatory=standards_for_package(package.id).mandatory,
            video=safe_url(package.demo_video_url), website=safe_url(package.website),
            title=package.name)

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
