"""F011 pages run a fixed number of SQL statements, whatever the number of packages (no N+1)."""

from __future__ import annotations

import pytest
from sqlalchemy import event

from core.catalogue.models import Module, Screenshot
from core.extensions import db
from core.gemma.models import StandaardVerplichting
from tests.f011 import factory as f
from tests.f011.conftest import results
from tests.f011.test_package_page import stored
from tests.support.actors import make_org


@pytest.fixture(autouse=True)
def _no_catalogue_cache(app):
    """The SQL a page runs itself, also when SCG_TEST_CATALOGUE_CACHE=1 (the cache is tested on its own)."""
    app.config["CATALOGUE_CACHE"] = False


def statements(client, url: str, own_only: bool = False) -> int:
    """Statements of one request; ``own_only`` leaves out FAB's menu permission look-ups (ab_ tables)."""
    found = []

    def before(conn, cursor, statement, *args):
        found.append(statement)

    client.get(url)  # warm up (first-request work is not per page)
    event.listen(db.engine, "before_cursor_execute", before)
    try:
        resp = client.get(url)
        assert resp.status_code == 200
    finally:
        event.remove(db.engine, "before_cursor_execute", before)
    return len([s for s in found if not (own_only and " ab_" in s)])


def add_packages(world, shelves, standards, n: int, start: int = 0) -> list:
    made = []
    for i in range(start, start + n):
        supplier = world.supplier if i % 2 else make_org(f"Leverancier {i:03d} BV")
        pkg = f.package(supplier, f"Pakket {i:03d}", rcs=[shelves[i % 2]], standards=[standards[i % 2]],
                        cloud_models="saas,iaas", licence_type="open_source", commit=False)
        db.session.add(Module(organisation_id=supplier.id, package_id=pkg.id, name="Module"))
        pkg.logo = stored(supplier, "logo")
        made.append(pkg)
        f.service(world.other_supplier, "technisch_beheer", [pkg], name=f"Hosting {i}")
        f.usage(world.gemeente, pkg)
    db.session.commit()
    return made


def oblige_all(shelves, standards) -> None:
    """Each shelf makes its package's standard mandatory, the second one also the first standard: the packages
    on the first shelf claim every mandatory standard, those on the second miss one."""
    for shelf, versie in ((shelves[0], standards[0]), (shelves[1], standards[1]), (shelves[1], standards[0])):
        db.session.add(StandaardVerplichting(referentiecomponent_id=shelf.id, standaard_id=versie.standaard_id,
                                             kind="verplicht"))
    db.session.commit()


URLS = ["/catalogus/?verplicht=ja", "/catalogus/", "/catalogus/?q=pakket&sort=gemeenten",
        "/catalogus/?cloud=saas&licentie=open_source&sort=gewijzigd",
        "/catalogus/?rc={rc}&standaard={std}&dienst=technisch_beheer&leverancier={sup}&pagina=2"]


def test_search_page_statement_count_is_the_same_for_3_and_60_packages(app, world, client):
    shelves = [f.rc("Zaakafhandelcomponent"), f.rc("Archiefcomponent")]
    standards = [f.standard("ZGW API's"), f.standard("StUF-ZKN")]
    oblige_all(shelves, standards)
    add_packages(world, shelves, standards, 3)
    urls = [u.format(rc=shelves[1].id, std=standards[1].standaard_id, sup=world.supplier.id) for u in URLS]
    few = [statements(client, u) for u in urls]
    assert len(results(client.get(urls[1]).get_data(as_text=True))) == 3
    assert len(results(client.get(urls[0]).get_data(as_text=True))) == 2  # packages 000 and 002
    add_packages(world, shelves, standards, 57, start=3)
    many = [statements(client, u) for u in urls]
    assert len(results(client.get(urls[1]).get_data(as_text=True))) == 20  # a full page
    assert "30 pakketten gevonden" in client.get(urls[0]).get_data(as_text=True)
    assert many == few
    # count, page, its referentiecomponenten, seven facets
    assert [statements(client, u, own_only=True) for u in urls] == [10, 10, 10, 10, 10]


def test_package_and_compare_pages_have_a_fixed_statement_count(app, world, client):
    shelves = [f.rc("Zaakafhandelcomponent"), f.rc("Archiefcomponent")]
    standards = [f.standard("ZGW API's"), f.standard("StUF-ZKN")]
    oblige_all(shelves, standards)
    small = add_packages(world, shelves, standards, 4)
    url = f"/catalogus/pakketten/{small[1].public_id}"
    compare_url = "/catalogus/vergelijken?" + "&".join(f"p={p.public_id}" for p in small)
    few = statements(client, url), statements(client, compare_url)
    big = small[1]
    big.referentiecomponenten = shelves
    for n in range(10):
        f.version(big, f"{n}.0")
        db.session.add(Module(organisation_id=big.organisation_id, package_id=big.id, name=f"Module {n}"))
        db.session.add(Screenshot(organisation_id=big.organisation_id, package_id=big.id, position=n,
                                  file=stored(world.supplier, "screenshot")))
        f.service(world.other_supplier, "opleidingen", small, name=f"Cursus {n}")
        f.usage(make_org(f"Gemeente {n}", "gemeente"), big)
    db.session.commit()
    assert (statements(client, url), statements(client, compare_url)) == few
