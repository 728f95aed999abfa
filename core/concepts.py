"""Concept suppliers: organisations a municipality named when it registered a missing package.

When the real supplier registers, the Functioneel beheerder links its concept while approving
it: the concept's packages (still waiting for a takeover) move to the registered organisation,
which then takes them over or declines them as usual, and the concept disappears.
"""

from __future__ import annotations

from flask_appbuilder import Model
from sqlalchemy import delete, inspect, select, update

from core import audit
from core.catalogue.search import normalise
from core.events import ConceptSupplierLinked, emit
from core.extensions import db
from core.models import Organisation, OrganisationStatus, OrganisationType

CONCEPT = OrganisationStatus.concept.value

#: Legal forms left out when names are compared: "Gemeentesoft B.V." is "gemeentesoft bv".
LEGAL_FORMS = {"bv", "nv", "vof", "cv", "bvba", "holding", "ltd", "gmbh", "inc"}


def name_key(name: str) -> str:
    """``name`` without case, accents, punctuation and legal form: to find the same supplier."""
    return " ".join(w for w in normalise(name).split() if w not in LEGAL_FORMS)  # "b.v." is "bv" there


def matching_concepts(organisation: Organisation) -> list[Organisation]:
    """The concept suppliers named like ``organisation`` (one normally; two only for near-equal names)."""
    key = name_key(organisation.name)
    concepts = db.session.scalars(select(Organisation).where(
        Organisation.status == CONCEPT, Organisation.type == OrganisationType.leverancier.value,
        Organisation.id != organisation.id).order_by(Organisation.id)).all()
    return [c for c in concepts if key and name_key(c.name) == key]


def _owner_columns():
    """Every ``organisation_id`` column that refers to an organisation (packages, versions, ...).

    Only tables of this database: the metadata also holds the models of plugins this app does not run.
    """
    existing = set(inspect(db.engine).get_table_names())
    for table in Model.metadata.sorted_tables:
        if table.name not in existing:
            continue
        column = table.c.get("organisation_id")
        if column is not None and any(fk.column.table.name == "organisation" for fk in column.foreign_keys):
            yield column


def link_concept(concept: Organisation, organisation: Organisation, actor=None) -> int:
    """Move everything of ``concept`` to ``organisation`` and delete the concept; returns its package count.

    Part of the caller's transaction (the approval): nothing is committed here. ``actor`` is the
    Functioneel beheerder who approved.
    """
    if concept.status != CONCEPT:
        raise ValueError(f"{concept.name} is not a concept organisation")
    from core.catalogue.models import Package

    packages = db.session.scalar(select(db.func.count()).select_from(Package)
                                 .where(Package.organisation_id == concept.id))
    for column in _owner_columns():
        db.session.execute(update(column.table).where(column == concept.id).values({column.name: organisation.id})
                           .execution_options(synchronize_session=False))
    from core.catalogue.counts import recompute_municipality_counts
    from core.catalogue.models import Usage

    # usage rows moved by bulk statements: recount the packages the organisation uses
    recompute_municipality_counts(db.session.scalars(select(Usage.package_id)
                                                     .where(Usage.organisation_id == organisation.id)).all())
    emit(ConceptSupplierLinked(concept_id=concept.id, organisation_id=organisation.id,
                               actor_id=getattr(actor, "id", None)))
    audit.record(db.session, "concept_leverancier_koppelen", object_type="Organisation", object_id=organisation.id,
                 organisation_id=organisation.id, user=actor,
                 details={"concept": concept.name, "concept_id": concept.id, "pakketten": packages})
    db.session.execute(delete(Organisation).where(Organisation.id == concept.id)
                       .execution_options(synchronize_session=False))
    db.session.expire_all()
    return packages


# --- concepts named in an import (F013's landscape import; F004 registers them one at a time) -------------
APPROVED = OrganisationStatus.goedgekeurd.value


def find_supplier(name: str | None) -> Organisation | None:
    """The approved (else concept) supplier whose name is ``name`` ignoring case, accents, punctuation and legal
    form ("Gemeentesoft B.V." is "GemeenteSoft BV"); None when there is none or the name is empty."""
    key = compact_key(name)
    if not key:
        return None
    return suppliers_by_key().get(key)


def compact_key(name: str | None) -> str:
    """``name_key`` without spaces: "ICT-Solutions B.V." and "ICT Solutions" are the same supplier."""
    return name_key(name or "").replace(" ", "")


def suppliers_by_key() -> dict[str, Organisation]:
    """Every approved and concept supplier by ``compact_key`` (approved first: it wins over a concept)."""
    found: dict[str, Organisation] = {}
    for org in db.session.scalars(select(Organisation).where(
            Organisation.type == OrganisationType.leverancier.value, Organisation.status.in_((APPROVED, CONCEPT)))
            .order_by(Organisation.status.desc(), Organisation.id)):  # goedgekeurd before concept
        found.setdefault(compact_key(org.name), org)
    return found


def concept_supplier(name: str, created_by_id: int) -> tuple[Organisation, bool]:
    """The supplier called ``name`` (see ``find_supplier``), else a new concept organisation made by
    ``created_by_id``; and whether it is new. Part of the caller's transaction."""
    from sqlalchemy.exc import IntegrityError

    found = find_supplier(name)
    if found is not None:
        return found, False
    org = Organisation(name=name.strip(), type=OrganisationType.leverancier.value, status=CONCEPT,
                       created_by_organisation_id=created_by_id)
    try:
        with db.session.begin_nested():
            db.session.add(org)
    except IntegrityError:  # named by another municipality a moment ago
        found = find_supplier(name)
        if found is None:
            raise
        return found, False
    audit.record(db.session, "leverancier_aanmaken_als_concept", object_type="Organisation", object_id=org.id,
                 organisation_id=created_by_id, details={"leverancier": org.name})
    return org, True


def concept_package(supplier: Organisation, name: str, registered_by_id: int):
    """A concept package ``name`` of ``supplier``, registered by a municipality and waiting for the supplier's
    takeover (as F004's "Pakket aanmelden namens leverancier" makes it); the existing one when a municipality
    registered it already (same name ignoring case, accents and punctuation). Returns (package, new)."""
    from sqlalchemy.exc import IntegrityError

    from core.catalogue.models import Package

    def existing():
        key = normalise(name).replace(" ", "")
        for package in db.session.scalars(select(Package).where(
                Package.organisation_id == supplier.id, Package.takeover_pending.is_(True),
                Package.registered_by_id.isnot(None)).order_by(Package.id)):
            if normalise(package.name).replace(" ", "") == key:
                return package
        return None

    found = existing()
    if found is not None:
        return found, False
    package = Package(organisation_id=supplier.id, registered_by_id=registered_by_id, takeover_pending=True,
                      status="concept", name=name.strip())
    try:
        with db.session.begin_nested():
            db.session.add(package)
    except IntegrityError:  # the unique index on a registered concept's supplier and name
        found = existing()
        if found is None:
            raise
        return found, False
    audit.record(db.session, "pakket_aanmelden_namens_leverancier", object_type="Package", object_id=package.id,
                 organisation_id=registered_by_id, details={"leverancier": supplier.name, "pakket": package.name})
    return package, True
