"""A small public catalogue for the API tests: public, concept and hidden packages with usage."""

from __future__ import annotations

import datetime as dt

import pytest
from sqlalchemy import event

from core.catalogue.models import Module, Package, PackageDocument, StandardClaim, Usage, Version
from core.extensions import db
from core.gemma.models import Referentiecomponent, Standaard, Standaardversie
from tests.support.actors import World, make_org


def add_package(org, name, status="gepubliceerd", **kwargs) -> Package:
    package = Package(organisation_id=org.id, name=name, status=status, **kwargs)
    db.session.add(package)
    db.session.flush()
    return package


def add_usage(org, package, status="in_productie") -> Usage:
    usage = Usage(organisation_id=org.id, package_id=package.id, status=status)
    db.session.add(usage)
    return usage


@pytest.fixture
def catalogue(app):
    world = World.build(app)
    pending = make_org("Aangemeld BV", status="aangemeld", kvk_number="99990000", email="geheim@aangemeld.example")
    samenwerking = make_org("Samen Sterk", "samenwerking")
    third = make_org("Derdedorp", "gemeente", cbs_code="9993")
    zrc = Referentiecomponent(object_id="rc-zaak", name="Zaakregistratiecomponent")
    stuf = Standaard(object_id="std-stuf", name="StUF")
    stuf_v = Standaardversie(object_id="stdv-stuf-310", name="StUF 3.10", standaard=stuf)
    db.session.add_all([zrc, stuf, stuf_v])
    public = add_package(world.supplier, "Zaakwijzer", short_description="Zaken doen", website="https://zaak.example",
                         cloud_models="saas,paas", data_location="nl", licence_type="open_source",
                         licence_spdx="EUPL-1.2", search_text="zaakwijzer geheim", unpublished_reason="oud",
                         registered_by_id=world.gemeente.id, takeover_pending=True,
                         published_on=dt.datetime(2025, 1, 1))
    public.referentiecomponenten = [zrc]
    db.session.add_all([
        Version(organisation_id=world.supplier.id, package_id=public.id, name="4.2", status="in_gebruik"),
        Module(organisation_id=world.supplier.id, package_id=public.id, name="Archief"),
        StandardClaim(organisation_id=world.supplier.id, package_id=public.id, standaardversie=stuf_v,
                      evidence_url="https://bewijs.example"),
        PackageDocument(organisation_id=world.supplier.id, package_id=public.id, kind="pentest",
                        title="Geheime pentest", review_status="concept"),
    ])
    concept = add_package(world.other_supplier, "Conceptpakket", status="concept")
    hidden = add_package(pending, "Verborgen Pakket")
    for org, status in ((world.gemeente, "in_productie"), (third, "gepland"), (world.other_gemeente, "uitgefaseerd"),
                        (samenwerking, "in_productie")):
        add_usage(org, public, status)
    add_usage(world.gemeente, concept)
    db.session.commit()
    return {"world": world, "public": public, "concept": concept, "hidden": hidden, "pending": pending,
            "zrc": zrc, "stuf": stuf}


class StatementCounter:
    """Counts the SQL statements the app sends while active (see bench/sql_per_page.py)."""

    def __init__(self, engine):
        self.engine, self.statements = engine, []

    def _count(self, conn, cursor, statement, *args):
        self.statements.append(statement)

    def __enter__(self):
        event.listen(self.engine, "before_cursor_execute", self._count)
        return self

    def __exit__(self, *exc):
        event.remove(self.engine, "before_cursor_execute", self._count)
