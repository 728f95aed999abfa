"""F007 tenancy: every role x (page, export, API export, import) x own/other organisation.

The export and import pages are not model views, so the shared matrix's model
operations do not apply; this module uses its environment (the World's people logged
in by session and JWT, including a user whose membership ended after login) and checks
the same promise: nobody reads another organisation's private rows or concept packages
through an export, and no import changes another organisation's rows.
"""

from __future__ import annotations

import io

import pytest

from core.catalogue.models import Package, Version
from core.extensions import db
from tests.f007.conftest import offering
from tests.support import tenancy_matrix as tm

matrix_env = tm.environment()
MINE, THEIRS, CONCEPT = "Zaaksysteem", "Concurrent Zaaksysteem", "Geheim Concept"
ACTORS = list(tm.ACTORS)
EXPORTERS = {tm.AANBOD_BEHEERDER, tm.FUNCTIONEEL_BEHEERDER}


@pytest.fixture(scope="module")
def env(matrix_env):
    with matrix_env.app.app_context():
        offering(matrix_env.org("supplier"))
        offering(matrix_env.org("other_supplier"), prefix="Concurrent ")
        db.session.add(Package(organisation_id=matrix_env.org_ids["other_supplier"], name=CONCEPT,
                               status="concept"))
        db.session.commit()
        matrix_env._take_snapshot()
        from core import accounts
        from plugins.f007_export import exchange

        def exported(email):
            export = exchange.make_export(accounts.find_user_by_email(email), "xlsx")
            try:
                return open(export.path, "rb").read()
            finally:
                export.discard()
        matrix_env.files = {"own": exported("jan@ictsolutions.example"),
                            "other": exported("piet@concurrent.example")}
    return matrix_env


def versions_state(env):
    with env.app.app_context():
        return sorted((v.organisation_id, v.name, v.description, v.status) for v in db.session.query(Version))


def post_export(env, actor, **extra):
    return env.client(actor).post("/uitwisseling/exporteren",
                                  data={"csrf_token": env.csrf[actor], "formaat": "csv",
                                        "inhoud": "aanbod-pakketversies", **extra})


@pytest.mark.parametrize("actor", ACTORS)
def test_export_page_and_own_export(env, actor):
    env.reset()
    page = env.client(actor).get("/uitwisseling/")
    resp = post_export(env, actor)
    api = env.client(actor).get("/api/v1/uitwisseling/export?formaat=csv", headers=env.api_headers(actor))
    if actor == tm.AANBOD_BEHEERDER:
        assert page.status_code == 200
        for r in (resp, api):
            assert r.status_code == 200 and MINE.encode() in r.data
            assert THEIRS.encode() not in r.data and CONCEPT.encode() not in r.data
    elif actor == tm.FUNCTIONEEL_BEHEERDER:
        assert page.status_code == 200
        for r in (resp, api):  # without an organisation of his own he must choose one
            assert r.status_code in (400, 403) and MINE.encode() not in r.data
    else:
        assert page.status_code in (302, 401, 403)
        for r in (resp, api):
            assert r.status_code in (302, 400, 401, 403)
            assert MINE.encode() not in r.data and THEIRS.encode() not in r.data


@pytest.mark.parametrize("actor", ACTORS)
def test_export_of_another_organisation(env, actor):
    env.reset()
    other = env.org_ids["other_supplier"]
    resp = post_export(env, actor, organisatie=str(other))
    api = env.client(actor).get(f"/api/v1/uitwisseling/export?formaat=csv&organisatie={other}",
                                headers=env.api_headers(actor))
    for r in (resp, api):
        if actor == tm.FUNCTIONEEL_BEHEERDER:
            assert r.status_code == 200 and THEIRS.encode() in r.data and CONCEPT.encode() in r.data
            assert MINE.encode() + b";" not in r.data.replace(THEIRS.encode(), b"")
        else:
            assert r.status_code in (302, 400, 401, 403)
            assert THEIRS.encode() not in r.data and CONCEPT.encode() not in r.data


@pytest.mark.parametrize("actor", ACTORS)
def test_import_of_another_organisations_ids_changes_nothing(env, actor):
    env.reset()
    before = versions_state(env)
    data = env.files["other"].replace(b"Eerste versie", b"Overschreven!")  # (a shared string edit is not needed:
    # every row of the other supplier's file carries its IDs, which are unknown here)
    client = env.client(actor)
    page = client.post("/uitwisseling/importeren", content_type="multipart/form-data",
                       data={"csrf_token": env.csrf[actor], "bestand": (io.BytesIO(data), "x.xlsx"),
                             "verwijderen": "y"})
    html = page.get_data(as_text=True)
    if actor == tm.AANBOD_BEHEERDER:
        assert page.status_code == 200 and "Onbekend ID" in html and ">Bevestigen<" not in html
        client.post("/uitwisseling/bevestigen", data={"csrf_token": env.csrf[actor]})
    else:
        assert page.status_code in (302, 400, 401, 403) and "Voorbeeld van de import" not in html
    api = client.post("/api/v1/uitwisseling/import", headers=env.api_headers(actor),
                      content_type="multipart/form-data",
                      data={"bestand": (io.BytesIO(data), "x.xlsx"), "bevestigen": "ja", "verwijderen": "ja"})
    assert api.status_code in ((422,) if actor == tm.AANBOD_BEHEERDER else (400, 401, 403))
    assert versions_state(env) == before


@pytest.mark.parametrize("actor", ACTORS)
def test_import_of_own_file_only_by_its_supplier(env, actor):
    env.reset()
    before = versions_state(env)
    client = env.client(actor)
    # the own supplier's export with nothing changed and "remove missing": a no-op for him, refused for others
    api = client.post("/api/v1/uitwisseling/import", headers=env.api_headers(actor),
                      content_type="multipart/form-data",
                      data={"bestand": (io.BytesIO(env.files["own"]), "x.xlsx"), "bevestigen": "ja",
                            "verwijderen": "ja"})
    if actor == tm.AANBOD_BEHEERDER:
        assert api.status_code == 200 and api.json["verwijderd"] == 0 and api.json["gewijzigd"] == 0
    elif actor == tm.FUNCTIONEEL_BEHEERDER:
        assert api.status_code == 403 and "eigen organisatie" in api.json["message"]
    else:
        assert api.status_code in (400, 401, 403)
    assert versions_state(env) == before
