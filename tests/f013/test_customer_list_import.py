"""A supplier's customer list imports as usage proposals, never as usage (issue 12, point 3)."""

from __future__ import annotations

import codecs
import csv
import io
import re

import pytest
from sqlalchemy import func, select

from core.catalogue.models import Usage
from core.extensions import db
from plugins.f013_gebruik.models import Proposal, ProposalBlock
from tests.f013.conftest import logged_in, make_package, make_usage, version_of
from tests.support.actors import csrf_token

HEADER = ("Gemeente naam", "Gemeente CBS", "Pakket Naam", "Pakketversie Naam", "Gebruik Status")


def csv_bytes(rows) -> bytes:
    out = io.StringIO()
    writer = csv.DictWriter(out, fieldnames=list(HEADER), delimiter=";")
    writer.writeheader()
    writer.writerows(rows)
    return codecs.BOM_UTF8 + out.getvalue().encode()


def upload(client, data):
    return client.post("/uitwisseling/importeren", content_type="multipart/form-data",
                       data={"csrf_token": csrf_token(client, "/uitwisseling/"),
                             "bestand": (io.BytesIO(data), "klanten.csv")}).get_data(as_text=True)


def confirm(client):
    return client.post("/uitwisseling/bevestigen", data={"csrf_token": csrf_token(client, "/uitwisseling/")})


def count(text, what):
    return int(re.search(rf'id="aantal-{what}">(\d+)', text).group(1))


def n_usages():
    db.session.expire_all()
    return db.session.scalar(select(func.count()).select_from(Usage))


@pytest.fixture
def supplier(app, world):
    make_package(world.supplier, "Zaakwijzer", versions=("4.0",))
    make_package(world.other_supplier, "Belastingen Plus")
    return logged_in(app, world.users["aanbod"])


def test_customer_list_becomes_proposals_never_usage(app, world, supplier):
    rows = [{"Gemeente naam": "Voorbeeldstad", "Pakket Naam": "Zaakwijzer", "Pakketversie Naam": "4.0",
             "Gebruik Status": "In productie"},
            {"Gemeente CBS": "9992", "Pakket Naam": "zaakwijzer", "Gebruik Status": "gepland"}]
    page = upload(supplier, csv_bytes(rows))
    assert count(page, "nieuw") == 2 and count(page, "fouten") == 0, page
    assert confirm(supplier).status_code == 302
    db.session.expire_all()
    found = {(p.organisation.name, p.package.name, p.version.name if p.version else None, p.status, p.state)
             for p in db.session.scalars(select(Proposal))}
    assert found == {("Voorbeeldstad", "Zaakwijzer", "4.0", "in_productie", "open"),
                     ("Andersdorp", "Zaakwijzer", None, "gepland", "open")}
    assert n_usages() == 0
    # the municipality sees it among its incoming proposals
    listing = logged_in(app, world.users["gebruik"]).get("/gebruik/list/").get_data(as_text=True)
    assert "Voorstellen van leveranciers (1)" in listing and "voorgesteld door ICT Solutions BV" in listing
    # the same file again: proposed already, nothing new
    page = upload(supplier, csv_bytes(rows))
    assert "Geen wijzigingen" in page


def test_rows_that_cannot_be_proposals_are_errors_or_warnings(app, world, supplier):
    db.session.add(ProposalBlock(organisation_id=world.other_gemeente.id, supplier_id=world.supplier.id))
    db.session.commit()
    zaak = db.session.scalar(select(Usage.package_id).limit(1))  # (none yet)
    assert zaak is None
    rows = [{"Gemeente naam": "Nergensdorp", "Pakket Naam": "Zaakwijzer", "Gebruik Status": "In productie"},
            {"Gemeente naam": "Voorbeeldstad", "Pakket Naam": "Belastingen Plus", "Gebruik Status": "In productie"},
            {"Gemeente naam": "Voorbeeldstad", "Pakket Naam": "Zaakwijzer", "Pakketversie Naam": "9.9",
             "Gebruik Status": "Niet bestaand"}]
    page = upload(supplier, csv_bytes(rows))
    assert count(page, "fouten") == 3 and ">Bevestigen<" not in page
    assert "Nergensdorp" in page and "Belastingen Plus" in page
    # a blocked gemeente is skipped with a warning; an unknown version is a warning too
    rows = [{"Gemeente naam": "Andersdorp", "Pakket Naam": "Zaakwijzer", "Gebruik Status": "In productie"},
            {"Gemeente naam": "Voorbeeldstad", "Pakket Naam": "Zaakwijzer", "Pakketversie Naam": "9.9",
             "Gebruik Status": "In productie"}]
    page = upload(supplier, csv_bytes(rows))
    assert count(page, "fouten") == 0 and count(page, "nieuw") == 1 and "Andersdorp" in page and "9.9" in page
    confirm(supplier)
    db.session.expire_all()
    assert [(p.organisation.name, p.version_id) for p in db.session.scalars(select(Proposal))] == [
        ("Voorbeeldstad", None)]
    assert n_usages() == 0


def test_a_customer_already_using_it_so_needs_no_proposal(app, world, supplier):
    zaak = db.session.scalar(select(Proposal.package_id))  # (none)
    assert zaak is None
    from core.catalogue.models import Package

    package = db.session.scalar(select(Package).where(Package.name == "Zaakwijzer"))
    make_usage(world.gemeente, package, version=version_of(package, "4.0"))
    rows = [{"Gemeente naam": "Voorbeeldstad", "Pakket Naam": "Zaakwijzer", "Pakketversie Naam": "4.0",
             "Gebruik Status": "In productie"}]
    assert "Geen wijzigingen" in upload(supplier, csv_bytes(rows))


def test_a_gemeente_cannot_import_a_customer_list(app, world, supplier):
    client = logged_in(app, world.users["gebruik"])
    rows = [{"Gemeente naam": "Voorbeeldstad", "Pakket Naam": "Zaakwijzer", "Gebruik Status": "In productie"}]
    resp = client.post("/uitwisseling/importeren", content_type="multipart/form-data",
                       data={"csrf_token": csrf_token(client, "/landschap-uitwisseling/"),
                             "bestand": (io.BytesIO(csv_bytes(rows)), "klanten.csv")})
    assert resp.status_code in (302, 403)
    assert db.session.query(Proposal).count() == 0 and n_usages() == 0
