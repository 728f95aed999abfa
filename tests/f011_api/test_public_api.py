"""The public read-only catalogue API: anyone reads public data, and only that.

Exact key sets (no internal field ever), public packages only whatever filter is asked,
municipality counts, no write methods, bad ``q`` answered with 400, the OpenAPI
description and Swagger UI readable by visitors, and a flat number of SQL statements.
"""

from __future__ import annotations

import pytest

from core.extensions import db
from tests.f011_api.conftest import StatementCounter, add_package, add_usage

PACKAGE_KEYS = {"id", "public_id", "name", "short_description", "long_description", "website", "status",
                "published_on", "supplier", "referentiecomponenten", "versions", "modules", "standaardversies",
                "cloud_models", "cloud_provider", "data_location", "licence_type", "licence_spdx",
                "municipality_count"}
SUPPLIER_KEYS = {"id", "name", "description", "website", "email", "phone"}
GEMMA_KEYS = {"id", "object_id", "name", "description", "gemma_status", "in_release"}
PACKAGES = "/api/v1/catalogus/pakketten/"
SUPPLIERS = "/api/v1/catalogus/leveranciers/"
SECRETS = ("geheim", "Conceptpakket", "Verborgen Pakket", "Geheime pentest", "takeover", "registered_by",
           "unpublished_reason", "search_text", "Aangemeld BV")


def _no_secrets(resp):
    text = resp.get_data(as_text=True)
    for secret in SECRETS:
        assert secret not in text, f"{secret!r} in {resp.request.path}"


def test_packages_list_only_public_packages_with_exact_fields(client, catalogue):
    resp = client.get(PACKAGES)
    assert resp.status_code == 200
    _no_secrets(resp)
    assert resp.json["count"] == 1
    [package] = resp.json["result"]
    assert set(package) == PACKAGE_KEYS
    public = catalogue["public"]
    assert package["public_id"] == public.public_id and package["name"] == "Zaakwijzer"
    assert package["supplier"] == {"id": catalogue["world"].supplier.id, "name": "ICT Solutions BV"}
    assert package["referentiecomponenten"] == [{"object_id": "rc-zaak", "name": "Zaakregistratiecomponent"}]
    assert [v["name"] for v in package["versions"]] == ["4.2"]
    assert set(package["versions"][0]) == {"public_id", "name", "status", "description", "start_development",
                                           "start_test", "start_distribution", "end_support"}
    assert [(m["name"], set(m)) for m in package["modules"]] == [("Archief", {"public_id", "name", "description"})]
    assert package["standaardversies"] == [{"object_id": "stdv-stuf-310", "name": "StUF 3.10",
                                            "evidence_url": "https://bewijs.example"}]
    assert package["cloud_models"] == ["saas", "paas"] and package["data_location"] == "nl"
    # active usage by two municipalities; an ended usage and a samenwerking do not count
    assert package["municipality_count"] == 2


def test_one_package_public_or_404(client, catalogue):
    resp = client.get(f"{PACKAGES}{catalogue['public'].id}")
    assert resp.status_code == 200 and set(resp.json["result"]) == PACKAGE_KEYS
    assert resp.json["result"]["municipality_count"] == 2
    _no_secrets(resp)
    for hidden in ("concept", "hidden"):
        resp = client.get(f"{PACKAGES}{catalogue[hidden].id}")
        assert resp.status_code == 404
        _no_secrets(resp)


@pytest.mark.parametrize("q", [
    "(filters:!((col:status,opr:eq,value:concept)))",
    "(filters:!((col:name,opr:ct,value:Concept)))",
    "(filters:!((col:name,opr:eq,value:'Verborgen Pakket')))",
    "(filters:!((col:organisation,opr:rel_o_m,value:{other})))",
    "(filters:!((col:organisation,opr:rel_o_m,value:{pending})))",
])
def test_no_filter_reveals_a_package_that_is_not_public(client, catalogue, q):
    q = q.format(other=catalogue["world"].other_supplier.id, pending=catalogue["pending"].id)
    resp = client.get(f"{PACKAGES}?q={q}")
    assert resp.status_code == 200, resp.get_data(as_text=True)
    assert resp.json["count"] == 0 and resp.json["result"] == []
    _no_secrets(resp)


def test_filters_and_pagination_work(client, catalogue):
    world = catalogue["world"]
    for i in range(3):
        add_package(world.other_supplier, f"Extra {i}")
    db.session.commit()
    resp = client.get(f"{PACKAGES}?q=(filters:!((col:organisation,opr:rel_o_m,value:{world.supplier.id})))")
    assert [p["name"] for p in resp.json["result"]] == ["Zaakwijzer"]
    resp = client.get(f"{PACKAGES}?q=(order_column:name,order_direction:asc,page:1,page_size:2)")
    assert resp.json["count"] == 4 and [p["name"] for p in resp.json["result"]] == ["Extra 2", "Zaakwijzer"]
    resp = client.get(f"{PACKAGES}?q=(filters:!((col:referentiecomponenten,opr:rel_m_m,value:{catalogue['zrc'].id})))")
    assert [p["name"] for p in resp.json["result"]] == ["Zaakwijzer"]


@pytest.mark.parametrize("q", [
    "(((", "(filters:!((col:search_text,opr:ct,value:geheim)))", "(filters:!((col:name,opr:nope,value:x)))",
    "(order_column:search_text,order_direction:asc)", "(page_size:100000)", "(page:-1)", "(columns:!(search_text))",
    "(filters:!((col:organisation,opr:rel_o_m,value:abc)))", "(filters:x)", "'\u0000'",
])
def test_bad_q_is_a_400_never_a_500(client, catalogue, q):
    resp = client.get(PACKAGES, query_string={"q": q})
    assert resp.status_code in (200, 400), (q, resp.status_code, resp.get_data(as_text=True)[:300])
    assert resp.is_json
    if resp.status_code == 200:  # (FAB ignores what it does not understand): still only public data
        _no_secrets(resp)
        assert {p["name"] for p in resp.json["result"]} <= {"Zaakwijzer"}
        assert all(set(p) <= PACKAGE_KEYS for p in resp.json["result"])
    else:
        assert resp.json["message"]


def test_suppliers_only_approved_leveranciers_with_public_fields(client, catalogue):
    resp = client.get(SUPPLIERS)
    assert resp.status_code == 200
    names = [s["name"] for s in resp.json["result"]]
    assert names == ["Concurrent BV", "ICT Solutions BV"]  # not pending, not municipalities or VNG
    assert all(set(s) == SUPPLIER_KEYS for s in resp.json["result"])
    assert "12345678" not in resp.get_data(as_text=True)  # KvK number
    assert "jan@ictsolutions.example" not in resp.get_data(as_text=True)  # users' e-mail
    assert client.get(f"{SUPPLIERS}{catalogue['pending'].id}").status_code == 404
    assert client.get(f"{SUPPLIERS}{catalogue['world'].gemeente.id}").status_code == 404


def test_gemma_endpoints(client, catalogue):
    resp = client.get("/api/v1/catalogus/referentiecomponenten/")
    assert resp.status_code == 200
    assert [set(r) for r in resp.json["result"]] == [GEMMA_KEYS]
    resp = client.get("/api/v1/catalogus/standaarden/")
    [standaard] = resp.json["result"]
    assert set(standaard) == GEMMA_KEYS | {"versies"}
    assert standaard["versies"] == [{"object_id": "stdv-stuf-310", "name": "StUF 3.10", "gemma_status": None,
                                     "in_release": True}]
    resp = client.get(f"/api/v1/catalogus/standaarden/{catalogue['stuf'].id}")
    assert resp.status_code == 200 and resp.json["result"]["name"] == "StUF"


@pytest.mark.parametrize("base", [PACKAGES, SUPPLIERS, "/api/v1/catalogus/referentiecomponenten/",
                                  "/api/v1/catalogus/standaarden/"])
def test_no_write_methods_and_info_without_choices(client, catalogue, base):
    before = client.get(base).json["count"]
    assert client.post(base, json={"name": "Nieuw"}).status_code in (404, 405)
    assert client.put(f"{base}1", json={"name": "Anders"}).status_code in (404, 405)
    assert client.delete(f"{base}1").status_code in (404, 405)
    assert client.get(base).json["count"] == before
    info = client.get(f"{base}_info")
    assert info.status_code == 200
    assert info.json.get("add_columns", []) == [] and info.json.get("edit_columns", []) == []
    _no_secrets(info)


def test_logged_in_users_read_it_too(app, client, catalogue):
    from tests.support.actors import login

    login(client, catalogue["world"].users["aanbod"])
    assert client.get(PACKAGES).json["count"] == 1
    assert client.get("/api/v1/_openapi").status_code == 200


def test_openapi_and_swagger_are_public_and_list_the_endpoints(client, catalogue):
    resp = client.get("/api/v1/_openapi")
    assert resp.status_code == 200
    paths = resp.json["paths"]
    for name in ("pakketten", "leveranciers", "referentiecomponenten", "standaarden"):
        assert f"/api/v1/catalogus/{name}/" in paths and f"/api/v1/catalogus/{name}/{{pk}}" in paths
        assert set(paths[f"/api/v1/catalogus/{name}/"]) == {"get"}
    assert client.get("/swagger/v1").status_code == 200
    schemas = resp.json["components"]["schemas"]
    package_schemas = [v for k, v in schemas.items() if k.startswith("PublicPackage")]
    assert package_schemas
    for schema in package_schemas:  # the description names no internal field either
        assert set(schema.get("properties", {})) <= PACKAGE_KEYS, set(schema.get("properties", {})) - PACKAGE_KEYS


def test_anonymous_reaches_nothing_else(client, catalogue):
    """The visitor's new permissions open these APIs only: the write APIs stay closed."""
    assert client.get("/api/v1/diensten/").status_code == 401
    assert client.get("/api/v1/contactpersonen/").status_code == 401


def _statements(app, client, url) -> int:
    client.get(url)  # warm up
    with StatementCounter(db.engine) as counter:
        assert client.get(url).status_code == 200
    return len(counter.statements)


def test_list_sql_does_not_grow_with_rows(app, client, catalogue):
    url = f"{PACKAGES}?q=(page_size:100)"
    few = _statements(app, client, url)
    world = catalogue["world"]
    for i in range(30):
        package = add_package(world.supplier if i % 2 else world.other_supplier, f"Pakket {i}")
        package.referentiecomponenten = [catalogue["zrc"]]
        add_usage(world.gemeente, package)
    db.session.commit()
    many = _statements(app, client, url)
    assert client.get(url).json["count"] == 31
    assert many == few, (few, many)
