"""Export and import of the supplier's services (F005) through a ``core.io`` handler.

A service is offered on packages: the supplier's own, or published packages of
other suppliers. The export lists only packages the supplier may see (its own, or
public ones), so a package of another supplier that was unpublished never shows.
"""

from __future__ import annotations

from collections import defaultdict

from sqlalchemy import or_, select

from core.catalogue.access import public_package_clause
from core.catalogue.models import SERVICE_KINDS, Package, Service, label, service_package
from core.extensions import db
from core.io import Column, IOHandler
from core.io_sync import UNKNOWN_ID, SeenIds, apply_fields, by_label, join_list, labels, split_list
from core.roles import AANBOD_BEHEERDER

KIND = by_label(SERVICE_KINDS)

COLUMNS = (
    Column("Dienst ID", help="Laat leeg voor een nieuwe dienst; verander een bestaand ID niet."),
    Column("Dienst Naam", required=True, help="Naam van de dienst."),
    Column("Soort dienst", required=True, allowed_values=labels(SERVICE_KINDS), help="Wat voor dienst het is."),
    Column("Beschrijving", width=50, help="Omschrijving van de dienst."),
    Column("Pakket ID's", width=40, help="De Pakket ID's waarop de dienst wordt geleverd, met een komma ertussen: "
           "uw eigen pakketten of gepubliceerde pakketten van anderen."),
    Column("Pakketten", read_only=True, width=40, help="Namen van die pakketten."),
)
ATTRS = {"name": "Dienst Naam", "kind": "Soort dienst", "description": "Beschrijving"}


def _visible_packages(organisation_id):
    """Packages a service of this organisation may name: its own and public ones."""
    return or_(Package.organisation_id == organisation_id, public_package_clause())


def export_services(user, organisation_id):
    if organisation_id is None:
        return
    services = db.session.scalars(select(Service).where(Service.organisation_id == organisation_id)
                                  .order_by(Service.name, Service.id)).all()
    packages = defaultdict(list)
    rows = db.session.execute(
        select(service_package.c.service_id, Package.public_id, Package.name)
        .join(Package, Package.id == service_package.c.package_id)
        .join(Service, Service.id == service_package.c.service_id)
        .where(Service.organisation_id == organisation_id, _visible_packages(organisation_id))
        .order_by(Package.name))
    for service_id, public_id, name in rows:
        packages[service_id].append((public_id, name))
    for s in services:
        yield {"Dienst ID": s.public_id, "Dienst Naam": s.name, "Soort dienst": label(SERVICE_KINDS, s.kind),
               "Beschrijving": s.description, "Pakket ID's": join_list(p for p, _ in packages[s.id]),
               "Pakketten": join_list(n for _, n in packages[s.id])}


def sync_services(sync, rows):
    existing = {s.public_id: s for s in db.session.scalars(
        select(Service).where(Service.organisation_id == sync.organisation_id))}
    seen, kept = SeenIds(), set()
    for number, row in rows:
        if not seen.check(sync, number, "Dienst ID", row["Dienst ID"]):
            continue
        wanted_ids = split_list(row["Pakket ID's"])
        found = {p.public_id: p for p in db.session.scalars(
            select(Package).where(Package.public_id.in_(wanted_ids), _visible_packages(sync.organisation_id)))
        } if wanted_ids else {}
        missing = [i for i in wanted_ids if i not in found]
        if missing:
            sync.error(number, "Pakket ID's", "onbekend pakket-ID: " + ", ".join(missing))
            continue
        values = {"name": row["Dienst Naam"], "kind": KIND[row["Soort dienst"]], "description": row["Beschrijving"]}
        if row["Dienst ID"]:
            service = existing.get(row["Dienst ID"])
            if service is None:
                sync.error(number, "Dienst ID", UNKNOWN_ID)
                continue
            kept.add(service.public_id)
            changed = apply_fields(service, values, ATTRS)
            # links to packages the supplier can no longer see are kept as they are
            hidden = [p for p in service.packages if p.organisation_id != sync.organisation_id
                      and p.public_id not in found and not _is_public(p)]
            current = {p.public_id for p in service.packages if p not in hidden}
            if current != set(found):
                service.packages = hidden + [found[i] for i in wanted_ids]
                changed.append("Pakket ID's")
            if changed:
                sync.changed(number, changed, service.name)
            else:
                sync.unchanged(number)
        else:
            service = Service(organisation_id=sync.organisation_id, **values)
            service.packages = [found[i] for i in dict.fromkeys(wanted_ids)]
            db.session.add(service)
            sync.created(number, f"dienst {service.name}")
    if sync.remove_missing:
        for public_id, service in existing.items():
            if public_id not in kept:
                sync.removed(f"dienst {service.name}")
                db.session.delete(service)


def _is_public(package) -> bool:
    from core.catalogue.access import is_public

    return is_public(package)


SERVICES = IOHandler(
    name="aanbod-diensten", entity="Dienst", label="Diensten", sheet="Diensten", group="aanbod", order=60,
    columns=COLUMNS, roles=frozenset({AANBOD_BEHEERDER}), export_rows=export_services, sync_rows=sync_services,
    description="Eén rij per dienst, met de pakketten waarop u de dienst levert.",
)

HANDLERS = [SERVICES]
