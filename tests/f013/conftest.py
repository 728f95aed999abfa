"""Helpers for F013: packages, versions and usages made directly with the core catalogue models."""

from __future__ import annotations

import pytest

from core.catalogue.models import Package, Usage, Version
from core.extensions import db
from tests.support.actors import login


def make_package(org, name: str, status: str = "gepubliceerd", versions=()) -> Package:
    package = Package(organisation_id=org.id, name=name, status=status)
    db.session.add(package)
    db.session.flush()
    for version in versions:
        db.session.add(Version(organisation_id=org.id, package_id=package.id, name=version))
    db.session.commit()
    return package


def version_of(package, name: str) -> Version:
    return db.session.query(Version).filter_by(package_id=package.id, name=name).one()


def make_usage(org, package, status: str = "in_productie", **kwargs) -> Usage:
    usage = Usage(organisation_id=org.id, package_id=package.id, status=status, **kwargs)
    db.session.add(usage)
    db.session.commit()
    return usage


@pytest.fixture
def catalogue(app, world):
    return {
        "zaak": make_package(world.supplier, "Zaakwijzer", versions=("3.1", "4.0")),
        "other": make_package(world.other_supplier, "Belastingen Plus", versions=("1.0",)),
        "concept": make_package(world.other_supplier, "Geheim Concept", status="concept"),
    }


def logged_in(app, user):
    client = app.test_client()
    login(client, user)
    return client


@pytest.fixture
def beheerder(app, world):
    return logged_in(app, world.users["gebruik"])
