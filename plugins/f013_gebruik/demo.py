"""Demo data of F013: the landscape of the demo gemeente (its user gebruik@gemeente.example).

Loaded after core's demo catalogue (``seed_data`` runs last), idempotent: a usage that
exists is left alone.
"""

from __future__ import annotations

import datetime as dt

from sqlalchemy import select

from core import accounts
from core.catalogue.models import Package, Usage, Version
from core.extensions import db
from plugins.f013_gebruik.models import Reference, UsageChange

DEMO_USER = "gebruik@gemeente.example"
#: The demo samenwerking (core's demo accounts) and the usage it registered for the demo gemeente.
DEMO_SAMENWERKING_USER = "regio@samenwerking.example"
DEMO_REGISTERED = ("Vergaderapp Regio (demo)", "gepland", dt.date(2026, 9, 1),
                   "Regionaal aanbesteed; geregistreerd door de samenwerking (demo).")
#: (package, version or None, status, status date, note)
DEMO_LANDSCAPE = [
    ("Zaakwijzer (demo)", "3.2", "in_productie", dt.date(2025, 4, 1), "Gebruikt door alle afdelingen (demo)."),
    ("Documentenstraat (demo)", None, "gepland", dt.date(2026, 6, 1), "Vervangt de huidige sjablonen (demo)."),
    ("Archiefkast Café (demo)", "1.0", "uitgefaseerd", dt.date(2025, 12, 31), None),
]
#: The demo gemeente is a reference for this package of the demo supplier, with this contact.
DEMO_REFERENCE = ("Zaakwijzer (demo)", "Gerda Gemeente (demo)", "referentie@gemeente.example", "030 000 00 00")


def load_demo_landscape() -> None:
    user = accounts.find_user_by_email(DEMO_USER)
    org = getattr(user, "organisation", None) if user is not None else None
    if org is None:
        return
    for name, version_name, status, status_date, note in DEMO_LANDSCAPE:
        package = db.session.scalar(select(Package).filter_by(name=name))
        if package is None or db.session.scalar(
                select(Usage.id).filter_by(organisation_id=org.id, package_id=package.id)) is not None:
            continue
        version = db.session.scalar(select(Version).filter_by(package_id=package.id, name=version_name)) \
            if version_name else None
        usage = Usage(organisation_id=org.id, package_id=package.id, version=version, status=status,
                      status_date=status_date, description=note)
        db.session.add(usage)
        db.session.add(UsageChange(usage=usage, organisation_id=org.id, changed_by_id=user.id, kind="toegevoegd",
                                   status=status, status_date=status_date,
                                   version_name=version.name if version else None,
                                   summary="Toegevoegd (demogegevens)"))
    db.session.commit()
    load_demo_reference(org.id, user.id)
    _load_registered_by_samenwerking(org)


def load_demo_reference(organisation_id: int, user_id: int) -> None:
    """The demo gemeente opted in as a reference for the demo supplier's Zaakwijzer (asked, then yes)."""
    name, contact, email, phone = DEMO_REFERENCE
    usage = db.session.scalar(select(Usage).join(Package, Package.id == Usage.package_id)
                              .where(Usage.organisation_id == organisation_id, Package.name == name))
    if usage is None or db.session.scalar(select(Reference.id).filter_by(usage_id=usage.id)) is not None:
        return
    db.session.add(Reference(usage_id=usage.id, organisation_id=organisation_id, package_id=usage.package_id,
                             asked_on=dt.datetime(2026, 1, 15, 9, 0), opted_in=True, contact_name=contact,
                             contact_email=email, contact_phone=phone, changed_by_id=user_id))
    db.session.commit()


DEMO_SUPPLIER_USER = "jan@voorbeeldsoftware.example"
#: An open proposal of the demo supplier to the demo gemeente: an upgrade of a package it uses.
DEMO_PROPOSAL = ("Zaakwijzer (demo)", "4.0", "gepland", dt.date(2026, 9, 1),
                 "Versie 4.0 staat voor u klaar; wij plannen de overstap graag samen in (demo).")


def load_demo_proposal() -> None:
    """The demo gemeente's landscape shows one open proposal (idempotent: only when it has none for that package)."""
    from plugins.f013_gebruik.models import Proposal

    gemeente_user = accounts.find_user_by_email(DEMO_USER)
    supplier_user = accounts.find_user_by_email(DEMO_SUPPLIER_USER)
    org = getattr(gemeente_user, "organisation", None) if gemeente_user is not None else None
    supplier = getattr(supplier_user, "organisation", None) if supplier_user is not None else None
    name, version_name, status, status_date, note = DEMO_PROPOSAL
    package = db.session.scalar(select(Package).filter_by(name=name))
    if org is None or supplier is None or package is None or package.organisation_id != supplier.id:
        return
    if db.session.scalar(select(Proposal.id).filter_by(organisation_id=org.id, package_id=package.id)) is not None:
        return
    version = db.session.scalar(select(Version).filter_by(package_id=package.id, name=version_name))
    db.session.add(Proposal(organisation_id=org.id, supplier_id=supplier.id, package_id=package.id,
                            version_id=version.id if version else None, status=status, status_date=status_date,
                            note=note, state="open", proposed_by_id=supplier_user.id))
    db.session.commit()


def _load_registered_by_samenwerking(gemeente) -> None:
    """A usage the demo samenwerking registered for the demo gemeente (one of its members, F010's demo)."""
    user = accounts.find_user_by_email(DEMO_SAMENWERKING_USER)
    group = getattr(user, "organisation", None) if user is not None else None
    if group is None or group.type != "samenwerking":
        return
    name, status, status_date, note = DEMO_REGISTERED
    package = db.session.scalar(select(Package).filter_by(name=name))
    if package is None:
        supplier = db.session.scalar(select(Package.organisation_id).filter_by(name="Zaakwijzer (demo)"))
        if supplier is None:
            return
        package = Package(organisation_id=supplier, name=name, status="gepubliceerd",
                          short_description="Vergaderen en besluiten vastleggen, voor de hele regio (demo).")
        db.session.add(package)
        db.session.flush()
    if db.session.scalar(select(Usage.id).filter_by(organisation_id=gemeente.id, package_id=package.id)) is not None:
        return
    usage = Usage(organisation_id=gemeente.id, package_id=package.id, status=status, status_date=status_date,
                  description=note, registered_by_id=group.id)
    db.session.add(usage)
    db.session.add(UsageChange(usage=usage, organisation_id=gemeente.id, changed_by_id=user.id, kind="toegevoegd",
                               status=status, status_date=status_date,
                               summary=f"Toegevoegd (demogegevens) (door {group.name})"))
    db.session.commit()
