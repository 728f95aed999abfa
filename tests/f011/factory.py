"""Catalogue test data made directly with core.catalogue.models (F004/F005 build the editing pages)."""

from __future__ import annotations

import datetime as dt
import uuid

from core.catalogue.models import Package, Service, StandardClaim, Usage, Version
from core.extensions import db
from core.gemma.models import Referentiecomponent, Standaard, Standaardversie


def rc(name: str) -> Referentiecomponent:
    row = Referentiecomponent(object_id=str(uuid.uuid4()), name=name, description=f"{name} (test)")
    db.session.add(row)
    db.session.commit()
    return row


def standard(name: str, version: str = "1.0") -> Standaardversie:
    std = Standaard(object_id=str(uuid.uuid4()), name=name)
    versie = Standaardversie(object_id=str(uuid.uuid4()), name=f"{name} {version}", standaard=std)
    db.session.add_all([std, versie])
    db.session.commit()
    return versie


def package(org, name: str, status: str = "gepubliceerd", rcs=(), standards=(), commit: bool = True,
            **fields) -> Package:
    pkg = Package(organisation_id=org.id, name=name, status=status, **fields)
    pkg.referentiecomponenten = list(rcs)
    db.session.add(pkg)
    db.session.flush()
    for versie in standards:
        db.session.add(StandardClaim(organisation_id=org.id, package_id=pkg.id, standaardversie_id=versie.id,
                                     evidence_url="https://bewijs.example/" + versie.name.replace(" ", "-")))
    if commit:
        db.session.commit()
    return pkg


def version(pkg, name: str, status: str = "in_gebruik", **fields) -> Version:
    row = Version(organisation_id=pkg.organisation_id, package_id=pkg.id, name=name, status=status, **fields)
    db.session.add(row)
    db.session.commit()
    return row


def service(org, kind: str, packages, name: str | None = None) -> Service:
    row = Service(organisation_id=org.id, kind=kind, name=name or f"{kind} door {org.name}")
    row.packages = list(packages)
    db.session.add(row)
    db.session.commit()
    return row


def usage(org, pkg, status: str = "in_productie") -> Usage:
    row = Usage(organisation_id=org.id, package_id=pkg.id, status=status, status_date=dt.date(2026, 1, 1))
    db.session.add(row)
    db.session.commit()
    return row
