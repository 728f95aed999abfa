"""F005 Diensten: a supplier offers services on published packages of any approved supplier.

By the page and by the API: a service on another supplier's published package works; a
concept package, a package of a supplier that is not approved, no package at all or a
contact person of another organisation are refused with a Dutch message and change nothing.
"""

from __future__ import annotations

import pytest
from sqlalchemy import func, select

from core.catalogue.models import Service, service_package
from core.extensions import db
from tests.f005.conftest import make_contact, make_package, make_service
from tests.support.actors import api_token, csrf_token, login, make_org
from tests.support.welcome import tasks

FORGED = "U kunt alleen gegevens van uw eigen organisatie kiezen."
NO_PACKAGE = "Kies ten minste één gepubliceerd pakket waarop u deze dienst aanbiedt."


@pytest.fixture
def catalogue(app, world):
    pending = make_org("Nog Niet Goedgekeurd BV", status="aangemeld", kvk_number="11223344")
    return {
        "own": make_package(world.supplier, "Eigen Zaaksysteem"),
        "other": make_package(world.other_supplier, "Concurrent Zaken"),
        "concept": make_package(world.other_supplier, "Concurrent Concept", status="concept"),
        "own_concept": make_package(world.supplier, "Eigen Concept", status="concept"),
        "pending": make_package(pending, "Niet Goedgekeurd Pakket"),
        "contact": make_contact(world.supplier, "Els de Boer"),
        "foreign_contact": make_contact(world.other_supplier, "Piet Vreemd"),
    }


@pytest.fixture
def supplier(app, world):
    client = app.test_client()
    login(client, world.users["aanbod"])
    return client


@pytest.fixture
def headers(supplier, world):
    return {"Authorization": f"Bearer {api_token(supplier, world.users['aanbod'])}"}


def _counts():
    db.session.expire_all()
    return (db.session.scalar(select(func.count()).select_from(Service)),
            db.session.scalar(select(func.count()).select_from(service_package)))


def _form(client, world, **fields):
    data = {"csrf_token": csrf_token(client, "/diensten/add"), "organisation": str(world.supplier.id),
            "name": "Beheer van zaken", "kind": "functioneel_beheer", "description": "Wij doen het beheer."}
    data.update(fields)
    return data


def test_add_a_service_on_another_suppliers_published_package(supplier, world, catalogue):
    page = supplier.get("/diensten/add").get_data(as_text=True)
    assert "Concurrent Zaken" in page and "Eigen Zaaksysteem" in page
    for hidden in ("Concurrent Concept", "Eigen Concept", "Niet Goedgekeurd Pakket", "Piet Vreemd"):
        assert hidden not in page
    resp = supplier.post("/diensten/add", data=_form(
        supplier, world, packages=[str(catalogue["other"].id), str(catalogue["own"].id)],
        contact_person=str(catalogue["contact"].id)))
    assert resp.status_code == 302 and resp.headers["Location"].endswith("/diensten/list/")  # (no page before)
    service = db.session.query(Service).filter_by(name="Beheer van zaken").one()
    assert service.organisation_id == world.supplier.id
    assert {p.name for p in service.packages} == {"Concurrent Zaken", "Eigen Zaaksysteem"}
    assert service.contact_person.name == "Els de Boer"

    listing = supplier.get("/diensten/list/").get_data(as_text=True)
    assert "De dienst Beheer van zaken is toegevoegd." in listing
    assert "Functioneel beheer" in listing and "functioneel_beheer" not in listing
    assert "Concurrent Zaken (Concurrent BV)" in listing
    shown = supplier.get(f"/diensten/show/{service.id}").get_data(as_text=True)
    assert "Functioneel beheer" in shown and "functioneel_beheer" not in shown and "Wij doen het beheer." in shown


@pytest.mark.parametrize("which", ["concept", "own_concept", "pending"])
def test_form_refuses_a_package_that_is_not_public(supplier, world, catalogue, which):
    before = _counts()
    resp = supplier.post("/diensten/add", data=_form(
        supplier, world, packages=[str(catalogue["other"].id), str(catalogue[which].id)]))
    assert resp.status_code == 200
    assert "Kies alleen gepubliceerde pakketten uit de lijst." in resp.get_data(as_text=True)
    assert _counts() == before


def test_form_requires_a_package_and_a_kind(supplier, world, catalogue):
    before = _counts()
    resp = supplier.post("/diensten/add", data=_form(supplier, world, kind=""))
    text = resp.get_data(as_text=True)
    assert NO_PACKAGE in text and "Kies een soort dienst uit de lijst." in text
    assert _counts() == before


def test_api_adds_a_service_on_another_suppliers_package(supplier, headers, world, catalogue):
    resp = supplier.post("/api/v1/diensten/", headers=headers, json={
        "organisation": world.supplier.id, "name": "Hosting", "kind": "technisch_beheer",
        "packages": [catalogue["other"].id], "contact_person": catalogue["contact"].id})
    assert resp.status_code == 201, resp.get_data(as_text=True)
    got = supplier.get(f"/api/v1/diensten/{resp.json['id']}", headers=headers).json["result"]
    assert got["packages"] == [{"id": catalogue["other"].id, "name": "Concurrent Zaken",
                                "public_id": catalogue["other"].public_id}]
    assert got["organisation"] == {"id": world.supplier.id, "name": "ICT Solutions BV"}


@pytest.mark.parametrize("which", ["concept", "own_concept", "pending"])
def test_api_refuses_a_package_that_is_not_public(supplier, headers, world, catalogue, which):
    before = _counts()
    resp = supplier.post("/api/v1/diensten/", headers=headers, json={
        "organisation": world.supplier.id, "name": "Hosting", "kind": "technisch_beheer",
        "packages": [catalogue["other"].id, catalogue[which].id]})
    assert resp.status_code == 400
    assert resp.json["message"] == FORGED
    assert _counts() == before


def test_api_refuses_bad_input_in_dutch(supplier, headers, world, catalogue):
    before = _counts()
    base = {"organisation": world.supplier.id, "name": "Hosting", "kind": "technisch_beheer",
            "packages": [catalogue["other"].id]}
    resp = supplier.post("/api/v1/diensten/", headers=headers, json=dict(base, packages=[]))
    assert resp.status_code in (400, 422) and NO_PACKAGE in str(resp.json["message"])
    resp = supplier.post("/api/v1/diensten/", headers=headers, json=dict(base, kind="koffie"))
    assert resp.status_code == 422 and "Kies een soort dienst uit de lijst." in str(resp.json["message"])
    resp = supplier.post("/api/v1/diensten/", headers=headers,
                         json=dict(base, contact_person=catalogue["foreign_contact"].id))
    assert resp.status_code == 400 and resp.json["message"] == FORGED
    assert _counts() == before


def test_api_put_refuses_a_concept_package_and_keeps_the_service(supplier, headers, world, catalogue):
    service = make_service(world.supplier, "Opleiding", [catalogue["other"]], kind="opleidingen")
    resp = supplier.put(f"/api/v1/diensten/{service.id}", headers=headers,
                        json={"packages": [catalogue["concept"].id]})
    assert resp.status_code == 400 and resp.json["message"] == FORGED
    db.session.expire_all()
    assert [p.name for p in db.session.get(Service, service.id).packages] == ["Concurrent Zaken"]


def test_info_offers_only_public_packages(supplier, headers, catalogue):
    text = supplier.get("/api/v1/diensten/_info", headers=headers).get_data(as_text=True)
    assert "Concurrent Zaken" in text and "Eigen Zaaksysteem" in text
    for hidden in ("Concurrent Concept", "Eigen Concept", "Niet Goedgekeurd Pakket", "Piet Vreemd"):
        assert hidden not in text


def test_a_service_survives_when_its_package_is_unpublished(supplier, headers, world, catalogue):
    service = make_service(world.supplier, "Applicatiebeheer", [catalogue["other"], catalogue["own"]],
                           kind="applicatiebeheer")
    catalogue["other"].status = "concept"
    db.session.commit()
    assert supplier.get("/diensten/list/").status_code == 200
    assert supplier.get(f"/diensten/show/{service.id}").status_code == 200
    # The name can still be changed, by the API (links kept) and by the page (public packages only).
    resp = supplier.put(f"/api/v1/diensten/{service.id}", headers=headers, json={"name": "Beheer"})
    assert resp.status_code == 200, resp.get_data(as_text=True)
    db.session.expire_all()
    assert len(db.session.get(Service, service.id).packages) == 2
    token = csrf_token(supplier, f"/diensten/edit/{service.id}")
    resp = supplier.post(f"/diensten/edit/{service.id}", data={
        "csrf_token": token, "name": "Beheer 2", "kind": "applicatiebeheer", "packages": [str(catalogue["own"].id)]})
    assert resp.status_code == 302
    db.session.expire_all()
    assert db.session.get(Service, service.id).name == "Beheer 2"


def test_welcome_step_for_suppliers(app, world):
    client = app.test_client()
    login(client, world.users["aanbod"])
    assert tasks(client.get("/welkom/").get_data(as_text=True))["Bied diensten aan"] == ("Nog te doen",
                                                                                       "Nog geen dienst")
    other = app.test_client()
    login(other, world.users["gebruik"])
    assert "Bied diensten aan" not in other.get("/welkom/").get_data(as_text=True)


def test_list_sql_does_not_grow_with_rows(app, supplier, headers, world, catalogue):
    from tests.f011_api.conftest import StatementCounter

    def statements(url, **kwargs):
        supplier.get(url, **kwargs)  # warm up
        with StatementCounter(db.engine) as counter:
            assert supplier.get(url, **kwargs).status_code == 200
        return len(counter.statements)

    page, api = "/diensten/list/?psize_ServiceView=100", "/api/v1/diensten/?q=(page_size:100)"
    make_service(world.supplier, "Eerste", [catalogue["own"]]).contact_person = catalogue["contact"]
    db.session.commit()
    few = statements(page), statements(api, headers=headers)
    for i in range(25):
        service = make_service(world.supplier, f"Dienst {i}", [catalogue["own"], catalogue["other"]],
                               kind="opleidingen")
        service.contact_person = catalogue["contact"]
    db.session.commit()
    many = statements(page), statements(api, headers=headers)
    assert many == few


@pytest.mark.parametrize("q", ["(page:-1)", "(filters:!((col:name,opr:ct,value:x)),page:-5,page_size:10)", "((("])
def test_api_bad_q_is_a_400(supplier, headers, q):
    resp = supplier.get("/api/v1/diensten/", headers=headers, query_string={"q": q})
    assert resp.status_code == 400 and resp.is_json
