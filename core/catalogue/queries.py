"""Read-only queries on the public catalogue, shared by the catalogue pages, GEMMA pages and
supplier pages. Every query here applies the public rules of ``core.catalogue.access`` and
loads what its page shows in a fixed number of statements (no N+1).
"""

from __future__ import annotations

from sqlalchemy import func, select
from sqlalchemy.orm import selectinload

from core.catalogue.access import document_clause, public_package_clause
from core.catalogue.models import (
    Package,
    PackageDocument,
    Service,
    package_referentiecomponent,
    service_package,
)
from core.extensions import db
from core.models import Organisation, OrganisationStatus


def approved_organisation_ids():
    """Subquery: ids of approved organisations."""
    return (select(Organisation.id).where(Organisation.status == OrganisationStatus.goedgekeurd.value)
            .scalar_subquery())


def public_packages_of_supplier(organisation_id: int) -> list[Package]:
    """The supplier's public packages by name, with their referentiecomponenten."""
    return list(db.session.scalars(
        select(Package).where(public_package_clause(), Package.organisation_id == organisation_id)
        .options(selectinload(Package.referentiecomponenten))
        .order_by(func.lower(Package.name), Package.id)))


def public_packages_on_referentiecomponent(referentiecomponent_id: int) -> list[Package]:
    """The public packages classified on a referentiecomponent (the GEMMA shelf), by name."""
    on_shelf = select(package_referentiecomponent.c.package_id).where(
        package_referentiecomponent.c.referentiecomponent_id == referentiecomponent_id)
    return list(db.session.scalars(
        select(Package).where(public_package_clause(), Package.id.in_(on_shelf))
        .order_by(func.lower(Package.name), Package.id)))


def services_on_packages(package_ids) -> dict[int, list[Service]]:
    """{package id: services offered on it by approved suppliers}, in one statement."""
    ids = list(package_ids)
    result: dict[int, list[Service]] = {pid: [] for pid in ids}
    if not ids:
        return result
    rows = db.session.execute(
        select(service_package.c.package_id, Service)
        .join(Service, Service.id == service_package.c.service_id)
        .where(service_package.c.package_id.in_(ids), Service.organisation_id.in_(approved_organisation_ids()))
        .order_by(Service.kind, Service.name)).all()
    for pid, service in rows:
        result[pid].append(service)
    return result


def visible_documents(package_id: int, viewer_org_id: int | None, viewer_org_type: str | None,
                      sees_all: bool) -> list[PackageDocument]:
    """The package's documents this viewer may see (see ``core.catalogue.access``)."""
    return list(db.session.scalars(
        select(PackageDocument)
        .where(PackageDocument.package_id == package_id,
               document_clause(viewer_org_id, viewer_org_type, sees_all))
        .options(selectinload(PackageDocument.file))
        .order_by(PackageDocument.kind, PackageDocument.id)))
