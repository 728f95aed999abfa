"""F007 helpers: a supplier's offering with every kind of row, and files in memory."""

from __future__ import annotations

import datetime as dt
import io as _io

import pytest
from openpyxl import load_workbook

from core.catalogue.models import Module, Package, Service, StandardClaim, Version
from core.extensions import db
from core.gemma.models import Referentiecomponent, Standaard, Standaardversie


def gemma():
    """Two referentiecomponenten and a standard with a version (as a GEMMA import makes them)."""
    found = db.session.query(Referentiecomponent).filter_by(object_id="rc-zaak").first()
    if found is not None:
        return {"zaak": found, "dms": db.session.query(Referentiecomponent).filter_by(object_id="rc-dms").one(),
                "zgw": db.session.query(Standaardversie).filter_by(object_id="sv-zgw-1").one()}
    zaak = Referentiecomponent(object_id="rc-zaak", name="Zaakregistratiecomponent")
    dms = Referentiecomponent(object_id="rc-dms", name="Documentregistratiecomponent")
    standaard = Standaard(object_id="st-zgw", name="ZGW API's")
    versie = Standaardversie(object_id="sv-zgw-1", name="ZGW API's 1.0", standaard=standaard)
    db.session.add_all([zaak, dms, standaard, versie])
    db.session.commit()
    return {"zaak": zaak, "dms": dms, "zgw": versie}


def offering(org, prefix: str = "", published: bool = True) -> dict:
    """A package with two versions, a module, a link, a claim and a service, for ``org``."""
    g = gemma()
    package = Package(organisation_id=org.id, name=f"{prefix}Zaaksysteem", short_description="Zaken afhandelen",
                      website="https://zaak.example", status="gepubliceerd" if published else "concept",
                      cloud_models="saas,iaas", data_location="nl", licence_type="open_source",
                      licence_spdx="EUPL-1.2")
    package.referentiecomponenten = [g["zaak"]]
    db.session.add(package)
    db.session.flush()
    v1 = Version(organisation_id=org.id, package_id=package.id, name="1.0", status="in_gebruik",
                 description="Eerste versie", start_development=dt.date(2024, 1, 1),
                 start_distribution=dt.date(2024, 6, 1))
    v2 = Version(organisation_id=org.id, package_id=package.id, name="2.0", status="in_ontwikkeling")
    module = Module(organisation_id=org.id, package_id=package.id, name="Zaakportaal",
                    description="Portaal voor inwoners")
    claim = StandardClaim(organisation_id=org.id, package_id=package.id, standaardversie_id=g["zgw"].id,
                          evidence_url="https://zaak.example/zgw")
    service = Service(organisation_id=org.id, name=f"{prefix}Hosting", kind="technisch_beheer",
                      description="Wij hosten het")
    service.packages = [package]
    db.session.add_all([v1, v2, module, claim, service])
    db.session.commit()
    return {"package": package, "v1": v1, "v2": v2, "module": module, "claim": claim, "service": service}


def workbook(data: bytes):
    return load_workbook(_io.BytesIO(data))


def save(book) -> bytes:
    out = _io.BytesIO()
    book.save(out)
    return out.getvalue()


def sheet_rows(book, name) -> list[dict]:
    sheet = book[name]
    rows = list(sheet.iter_rows(values_only=True))
    header = rows[0]
    return [dict(zip(header, r, strict=False)) for r in rows[1:]]


def column_of(sheet, name) -> int:
    for cell in sheet[1]:
        if cell.value == name:
            return cell.column
    raise KeyError(name)


@pytest.fixture
def suppliers(world):
    """The world's two suppliers, each with an offering; the other one also has a concept package."""
    mine = offering(world.supplier)
    theirs = offering(world.other_supplier, prefix="Concurrent ")
    concept = Package(organisation_id=world.other_supplier.id, name="Geheim Concept", status="concept",
                      short_description="Nog niet gepubliceerd")
    db.session.add(concept)
    db.session.commit()
    return {"mine": mine, "theirs": theirs, "concept": concept}
