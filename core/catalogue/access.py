"""Who may see what of the catalogue: the rules every page, API and export applies.

- A package is public when it is published and its supplier is approved (goedgekeurd).
- A package document is visible to others only once approved (security documents start
  as concept) and, when its audience is "gemeenten", only to members of a municipality,
  samenwerking or community, and to VNG. The owning organisation always sees its own.
"""

from __future__ import annotations

from sqlalchemy import and_, or_, true

from core.catalogue.models import Package, PackageDocument
from core.models import Organisation, OrganisationStatus

#: Organisation types whose members read documents meant for municipalities.
MUNICIPAL_TYPES = ("gemeente", "samenwerking", "community")


def public_package_clause():
    """SQL condition: the package is published and its supplier approved (join-free)."""
    return and_(
        Package.status == "gepubliceerd",
        Package.organisation_id.in_(
            Organisation.__table__.select()
            .with_only_columns(Organisation.id)
            .where(Organisation.status == OrganisationStatus.goedgekeurd.value)
            .scalar_subquery()
        ),
    )


def is_public(package: Package) -> bool:
    org = package.organisation
    return package.status == "gepubliceerd" and org is not None and org.status == OrganisationStatus.goedgekeurd.value


def document_clause(viewer_org_id: int | None, viewer_org_type: str | None, sees_all: bool):
    """SQL condition on PackageDocument: the documents this viewer may see."""
    if sees_all:
        return true()
    others = PackageDocument.review_status == "goedgekeurd"
    if viewer_org_type not in MUNICIPAL_TYPES:
        others = and_(others, PackageDocument.audience == "iedereen")
    if viewer_org_id is None:
        return others
    return or_(PackageDocument.organisation_id == viewer_org_id, others)


def may_see_document(doc: PackageDocument, viewer_org_id: int | None, viewer_org_type: str | None,
                     sees_all: bool) -> bool:
    if sees_all or (viewer_org_id is not None and doc.organisation_id == viewer_org_id):
        return True
    if doc.review_status != "goedgekeurd":
        return False
    return doc.audience == "iedereen" or viewer_org_type in MUNICIPAL_TYPES
