"""Helpers for F006: packages made with the core catalogue models, logged-in clients, a browser User-Agent."""

from __future__ import annotations

import pytest

from core.catalogue.models import Package, Usage, Version
from core.extensions import db
from tests.support.actors import login

BROWSER = {"User-Agent": "Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/120 Safari/537"}


def make_package(org, name: str, status: str = "gepubliceerd", versions=()) -> Package:
    package = Package(organisation_id=org.id, name=name, status=status)
    db.session.add(package)
    db.session.flush()
    for version in versions:
        db.session.add(Version(organisation_id=org.id, package_id=package.id, name=version, status="in_gebruik"))
    db.session.commit()
    return package


def make_usage(org, package, status: str = "in_productie", **kwargs) -> Usage:
    usage = Usage(organisation_id=org.id, package_id=package.id, status=status, **kwargs)
    db.session.add(usage)
    db.session.commit()
    return usage


def logged_in(app, user):
    client = app.test_client()
    login(client, user)
    return client


def view(client, package, headers=None):
    resp = client.get(f"/catalogus/pakketten/{package.public_id}", headers=headers or BROWSER)
    assert resp.status_code == 200
    return resp


@pytest.fixture
def catalogue(app, world):
    return {
        "zaak": make_package(world.supplier, "Zaakwijzer", versions=("3.1", "4.0")),
        "other": make_package(world.other_supplier, "Belastingen Plus", versions=("1.0",)),
    }
