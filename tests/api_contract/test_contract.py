"""What the API promises, case by case (issue 14): ids that cannot exist are 404, errors
are problem details, a 405 names the allowed methods, a bad token is 401, and the
OpenAPI description says what the answers hold (public operations, nullable fields,
timestamps with their offset, integer ids, rison ``q``, documented errors)."""

from __future__ import annotations

import datetime as dt

import pytest

from tests.support.actors import api_token

PACKAGES = "/api/v1/catalogus/pakketten/"
TOO_BIG = ["9223372036854775808", "9223372036854775807", "2147483648", "-9223372036854775809",
           "99999999999999999999999"]


def _problem(resp, status):
    assert resp.status_code == status, resp.get_data(as_text=True)
    assert resp.mimetype == "application/problem+json"
    body = resp.json if resp.is_json else __import__("json").loads(resp.get_data(as_text=True))
    assert body["status"] == status and body["title"] and body["detail"] and "message" in body
    return body


@pytest.mark.parametrize("pk", TOO_BIG)
def test_ids_no_row_can_have_are_not_found(client, catalogue, pk):
    world = catalogue["world"]
    _problem(client.get(f"{PACKAGES}{pk}"), 404)
    token = api_token(client, world.users["aanbod"])
    auth = {"Authorization": f"Bearer {token}"}
    for method in ("GET", "PUT", "DELETE"):
        _problem(client.open(f"/api/v1/pakketten/{pk}", method=method, headers=auth, json={"name": "x"}), 404)
    # pages too: the supplier's own package page
    from tests.support.actors import login
    login(client, world.users["aanbod"])
    assert client.get(f"/pakketten/show/{pk}").status_code == 404


@pytest.mark.parametrize("pk", ["-5", "abc", "1.5"])
def test_negative_or_non_numeric_id_is_404_not_405(client, catalogue, pk):
    token = api_token(client, catalogue["world"].users["aanbod"])
    auth = {"Authorization": f"Bearer {token}"}
    _problem(client.get(f"/api/v1/pakketten/{pk}", headers=auth), 404)
    _problem(client.get(f"{PACKAGES}{pk}"), 404)


def test_405_names_the_allowed_methods(client, catalogue):
    body = _problem(client.open(PACKAGES, method="DELETE"), 405)
    resp = client.open(PACKAGES, method="DELETE")
    assert set(m.strip() for m in resp.headers["Allow"].split(",")) >= {"GET", "HEAD", "OPTIONS"}
    assert "DELETE" not in resp.headers["Allow"]
    assert "Niet toegestaan" in body["title"]
    # /_info exists for GET only: a PUT there is 405 (not a PUT of a row named "_info")
    token = api_token(client, catalogue["world"].users["aanbod"])
    resp = client.put("/api/v1/pakketten/_info", headers={"Authorization": f"Bearer {token}"}, json={})
    _problem(resp, 405)
    assert "GET" in resp.headers["Allow"] and "PUT" not in resp.headers["Allow"]
    assert "PUT" not in client.options("/api/v1/pakketten/_info").headers["Allow"]


@pytest.mark.parametrize("header", ["Bearer abc.def", "Bearer not-a-token", "Bearer a.b.c", "Basic Zm9vOmJhcg=="])
def test_malformed_token_is_401_in_dutch(client, catalogue, header):
    body = _problem(client.get("/api/v1/pakketten/", headers={"Authorization": header}), 401)
    assert "token" in body["detail"] and "Not enough segments" not in str(body)


def test_missing_token_is_401_in_dutch(client, catalogue):
    body = _problem(client.get("/api/v1/pakketten/"), 401)
    assert "Missing" not in str(body) and "Not authorized" not in str(body)


def test_validation_errors_are_problem_details_with_fields(client, catalogue):
    token = api_token(client, catalogue["world"].users["aanbod"])
    resp = client.post("/api/v1/pakketten/", headers={"Authorization": f"Bearer {token}"}, json={"name": 5})
    body = _problem(resp, 422)
    assert isinstance(body["message"], dict) and "name" in body["message"]


def test_a_write_the_database_refuses_is_422_and_changes_nothing(app, client, catalogue):
    from core.extensions import db
    from core.models import Organisation

    world = catalogue["world"]
    token = api_token(client, world.users["fb"])
    before = db.session.query(Organisation).count()
    resp = client.post("/api/v1/organisaties/", headers={"Authorization": f"Bearer {token}"},
                       json={"name": "Dubbel", "type": "leverancier", "kvk_number": world.supplier.kvk_number})
    body = _problem(resp, 422)
    assert "niets opgeslagen" in body["detail"]
    db.session.expire_all()
    assert db.session.query(Organisation).count() == before


# --- the OpenAPI description ------------------------------------------------------------
@pytest.fixture
def spec(client, catalogue):
    resp = client.get("/api/v1/_openapi")
    assert resp.status_code == 200
    return resp.json


def test_public_operations_need_no_token_and_others_do(spec):
    paths = spec["paths"]
    assert paths["/api/v1/catalogus/pakketten/"]["get"]["security"] == []
    assert paths["/api/v1/catalogus/pakketten/{pk}"]["get"]["security"] == []
    assert paths["/api/{version}/_openapi"]["get"]["security"] == []
    assert paths["/api/v1/pakketten/"]["get"]["security"] == [{"jwt": []}]
    assert paths["/api/v1/pakketten/{pk}"]["delete"]["security"] == [{"jwt": []}]
    assert "api_key" not in spec["components"]["securitySchemes"]


def test_errors_are_documented_as_problem_details(spec):
    problem = spec["components"]["responses"]["403"]["content"]
    assert list(problem) == ["application/problem+json"]
    for path, item in spec["paths"].items():
        for method, operation in item.items():
            for code in ("400", "401", "403", "404", "422", "500"):
                assert operation["responses"][code] == {"$ref": f"#/components/responses/{code}"}, (path, method)


def test_envelope_ids_are_integers_and_info_columns_lists(spec):
    listing = spec["paths"]["/api/v1/pakketten/"]["get"]["responses"]["200"]["content"]["application/json"]
    assert listing["schema"]["properties"]["ids"]["items"] == {"type": "integer"}
    created = spec["paths"]["/api/v1/pakketten/"]["post"]["responses"]["201"]["content"]["application/json"]
    assert created["schema"]["properties"]["id"]["type"] == "integer"
    info = spec["paths"]["/api/v1/pakketten/_info"]["get"]["responses"]["200"]["content"]["application/json"]
    assert info["schema"]["properties"]["add_columns"]["type"] == "array"
    q = next(p for p in spec["paths"]["/api/v1/pakketten/"]["get"]["parameters"] if p["name"] == "q")
    assert q["schema"] == {"type": "string"} and "rison" in q["description"]


def test_exchange_describes_body_and_answers(spec):
    export = spec["paths"]["/api/v1/uitwisseling/export"]["get"]
    assert {"formaat", "inhoud", "organisatie"} <= {p["name"] for p in export["parameters"]}
    assert "text/csv" in export["responses"]["200"]["content"]
    body = spec["paths"]["/api/v1/uitwisseling/import"]["post"]["requestBody"]["content"]["multipart/form-data"]
    assert "bestand" in body["schema"]["properties"]


def test_nullable_fields_are_declared_and_timestamps_carry_their_offset(client, catalogue, spec):
    package = spec["components"]["schemas"]["PublicPackageApi.get_list"]["properties"]
    for name in ("licence_spdx", "website", "cloud_provider", "long_description", "published_on"):
        assert package[name].get("nullable") is True, name
    version = spec["components"]["schemas"]["Version"]["properties"]
    assert version["end_support"]["nullable"] is True
    [row] = client.get(PACKAGES).json["result"]
    published = dt.datetime.fromisoformat(row["published_on"])
    assert published.utcoffset() == dt.timedelta(0)
    token = api_token(client, catalogue["world"].users["aanbod"])
    own = client.get("/api/v1/pakketten/", headers={"Authorization": f"Bearer {token}"}).json["result"]
    assert own and all(dt.datetime.fromisoformat(p["changed_on"]).utcoffset() == dt.timedelta(0) for p in own)


def test_info_descriptions_are_not_the_catalogue_header(client, catalogue):
    token = api_token(client, catalogue["world"].users["aanbod"])
    info = client.get("/api/v1/pakketten/_info", headers={"Authorization": f"Bearer {token}"}).json
    text = str(info)
    assert "Project-Id-Version" not in text and "Content-Type: text/plain" not in text


def test_an_edit_requires_no_field_as_the_api_merges_it(client, catalogue, spec):
    """PUT changes what is sent (FAB merges the body into the row): the description requires nothing."""
    put = spec["paths"]["/api/v1/gebruikers/{pk}"]["put"]["requestBody"]["content"]["application/json"]["schema"]
    name = put["$ref"].rsplit("/", 1)[1]
    assert "required" not in spec["components"]["schemas"][name]
    world = catalogue["world"]
    token = api_token(client, world.users["fb"])
    from core.extensions import db
    from core.models import Membership
    membership = db.session.query(Membership).filter_by(user_id=world.users["aanbod"].id).one()
    resp = client.put(f"/api/v1/gebruikers/{membership.id}", headers={"Authorization": f"Bearer {token}"},
                      json={"active": True})
    assert resp.status_code == 200 and resp.json["result"]["role_name"] == "Aanbod-beheerder"
