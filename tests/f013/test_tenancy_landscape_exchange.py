"""Tenancy of "Landschap exporteren en importeren": every role x (page, export, import) x own/other landscape.

The page is no model view, so (as F007's offering exchange, tests/f007/test_tenancy.py) this module uses the
shared matrix's environment and checks its promise: nobody reads another organisation's landscape through an
export, and no import changes another organisation's usages.
"""

from __future__ import annotations

import csv
import io

import pytest

from core.catalogue.models import Package, Usage
from core.extensions import db
from tests.support import tenancy_matrix as tm

matrix_env = tm.environment()
MINE, THEIRS = "Notitie-van-Voorbeeldstad", "Notitie-van-Andersdorp"
ACTORS = list(tm.ACTORS)
BASE = "/landschap-uitwisseling"


@pytest.fixture(scope="module")
def env(matrix_env):
    with matrix_env.app.app_context():
        package = Package(organisation_id=matrix_env.org_ids["supplier"], name="Zaakwijzer", status="gepubliceerd")
        db.session.add(package)
        db.session.flush()
        db.session.add_all([
            Usage(organisation_id=matrix_env.org_ids["gemeente"], package_id=package.id, description=MINE),
            Usage(organisation_id=matrix_env.org_ids["other_gemeente"], package_id=package.id, description=THEIRS)])
        db.session.commit()
        matrix_env._take_snapshot()
    return matrix_env


def usages_state(env):
    with env.app.app_context():
        return sorted((u.organisation_id, u.package_id, u.status, u.description, u.version_id)
                      for u in db.session.query(Usage))


def post_export(env, actor, **extra):
    return env.client(actor).post(f"{BASE}/exporteren", data={"csrf_token": env.csrf[actor], "formaat": "csv",
                                                              "inhoud": "gebruik-landschap", **extra})


def other_file(env) -> bytes:
    """Andersdorp's landscape as its export has it, with a changed status and note."""
    with env.app.app_context():
        from core import accounts
        from plugins.f007_export import exchange

        user = accounts.find_user_by_email("gb@andersdorp.example")
        export = exchange.make_export(user, "csv", scope=exchange.LANDSCAPE)
        try:
            text = open(export.path, "rb").read().decode("utf-8-sig")
        finally:
            export.discard()
    rows = list(csv.DictReader(io.StringIO(text), delimiter=";"))
    for r in rows:
        r.update({"Gebruik Status": "Uitgefaseerd", "Gebruik omschrijving": "Overschreven!"})
    out = io.StringIO()
    writer = csv.DictWriter(out, fieldnames=list(rows[0]), delimiter=";")
    writer.writeheader()
    writer.writerows(rows)
    return out.getvalue().encode()


@pytest.mark.parametrize("actor", ACTORS)
def test_page_and_export_of_the_own_landscape(env, actor):
    env.reset()
    page = env.client(actor).get(f"{BASE}/")
    resp = post_export(env, actor)
    if actor in (tm.GEBRUIK_BEHEERDER, tm.GEBRUIK_RAADPLEGER):
        assert page.status_code == 200
        assert resp.status_code == 200 and MINE.encode() in resp.data and THEIRS.encode() not in resp.data
    elif actor in (tm.VNG_RAADPLEGER, tm.FUNCTIONEEL_BEHEERDER):
        assert page.status_code == 200  # they choose: every landscape or one
        every = post_export(env, actor, organisatie="0")
        assert every.status_code == 200 and MINE.encode() in every.data and THEIRS.encode() in every.data
    else:
        assert page.status_code in (302, 401, 403)
        assert resp.status_code in (302, 400, 401, 403)
        assert MINE.encode() not in resp.data and THEIRS.encode() not in resp.data


@pytest.mark.parametrize("actor", ACTORS)
def test_export_of_another_landscape(env, actor):
    env.reset()
    for chosen in (str(env.org_ids["other_gemeente"]), "0"):
        resp = post_export(env, actor, organisatie=chosen)
        if actor in (tm.VNG_RAADPLEGER, tm.FUNCTIONEEL_BEHEERDER):
            assert resp.status_code == 200 and THEIRS.encode() in resp.data
        else:
            assert resp.status_code in (302, 400, 401, 403) and THEIRS.encode() not in resp.data


@pytest.mark.parametrize("actor", ACTORS)
def test_import_never_changes_another_landscape(env, actor):
    env.reset()
    before = usages_state(env)
    data = other_file(env)
    client = env.client(actor)
    page = client.post(f"{BASE}/importeren", content_type="multipart/form-data",
                       data={"csrf_token": env.csrf[actor], "bestand": (io.BytesIO(data), "x.csv"),
                             "verwijderen": "y"})
    html = page.get_data(as_text=True)
    if actor == tm.GEBRUIK_BEHEERDER:
        assert page.status_code == 200 and "Deze rij is van Andersdorp" in html and ">Bevestigen<" not in html
    else:
        assert page.status_code in (302, 400, 401, 403) and "Voorbeeld van de import" not in html
    client.post(f"{BASE}/bevestigen", data={"csrf_token": env.csrf[actor]})
    assert usages_state(env) == before
