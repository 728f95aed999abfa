"""Helpers for F005: packages made directly with the core catalogue models."""

from __future__ import annotations

from core.catalogue.models import Package, Service
from core.contacts import ContactPerson
from core.extensions import db


def make_package(org, name: str, status: str = "gepubliceerd") -> Package:
    package = Package(organisation_id=org.id, name=name, status=status)
    db.session.add(package)
    db.session.commit()
    return package


def make_contact(org, name: str) -> ContactPerson:
    person = ContactPerson(organisation_id=org.id, name=name)
    db.session.add(person)
    db.session.commit()
    return person


def make_service(org, name: str, packages, kind: str = "functioneel_beheer") -> Service:
    service = Service(organisation_id=org.id, name=name, kind=kind, packages=list(packages))
    db.session.add(service)
    db.session.commit()
    return service
