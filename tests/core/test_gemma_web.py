"""GEMMA through the web: the import by the Functioneel beheerder, hostile uploads, the public pages."""

from __future__ import annotations

import io
import json
import os
import re
import time
from pathlib import Path

import pytest
from flask import current_app

from core.builtin.gemma import RELEASE_PATH, import_file
from core.extensions import db
from core.gemma.models import Referentiecomponent, Standaard, StandaardVerplichting
from core.models import AuditLog
from tests.core import gemma_files
from tests.support.actors import csrf_token, login

UPLOAD = "/beheer/gemma-import/"


def _upload(client, content: bytes, filename: str = "release.xml"):
    token = csrf_token(client, UPLOAD)
    return client.post(UPLOAD, data={"csrf_token": token, "bestand": (io.BytesIO(content), filename)},
                       content_type="multipart/form-data")


def _confirm_token(html: str) -> str:
    form = html[html.index('action="/beheer/gemma-import/bevestigen"'):]
    return re.search(r'name="csrf_token" type="hidden" value="([^"]+)"', form).group(1)


def _uploads() -> list[Path]:
    folder = Path(current_app.instance_path) / "gemma-uploads"
    return list(folder.iterdir()) if folder.is_dir() else []


def _state():
    return (db.session.query(Referentiecomponent).count(), db.session.query(StandaardVerplichting).count(),
            db.session.query(AuditLog).filter_by(action="gemma_import").count())


def test_upload_report_confirm_imports_the_release_and_audits_it(app, world, client):
    login(client, world.users["fb"])
    resp = _upload(client, RELEASE_PATH.read_bytes())
    html = resp.get_data(as_text=True)
    assert resp.status_code == 200
    assert "<h1>Controle GEMMA-release</h1>" in html
    assert re.search(r"<th scope=\"row\">Referentiecomponenten</th><td>171</td>", html)
    assert "Afvalbeheercomponent" in html
    assert _state() == (0, 0, 0)  # nothing changes before the confirmation
    assert len(_uploads()) == 1

    token = _confirm_token(html)
    assert client.post("/beheer/gemma-import/bevestigen", data={}).status_code == 400  # no CSRF token
    assert _state() == (0, 0, 0)
    resp = client.post("/beheer/gemma-import/bevestigen", data={"csrf_token": token})
    assert resp.status_code == 302 and "/beheer/gemma-import/taak/" in resp.location  # the import is a job
    resp = client.get(resp.location)
    html = resp.get_data(as_text=True)
    assert resp.status_code == 200 and "GEMMA-release geïmporteerd" in html
    assert _state() == (171, 745, 1)
    assert _uploads() == []
    entry = db.session.query(AuditLog).filter_by(action="gemma_import").one()
    assert entry.username == world.users["fb"].username
    assert json.loads(entry.details)["referentiecomponenten"]["toegevoegd"] == 171

    # The upload is gone: confirming again imports nothing.
    resp = client.post("/beheer/gemma-import/bevestigen", data={"csrf_token": token})
    assert resp.status_code == 302 and _state() == (171, 745, 1)

    resp = _upload(client, RELEASE_PATH.read_bytes())
    assert "Geen wijzigingen: deze release is al ingelezen." in resp.get_data(as_text=True)
    token = _confirm_token(resp.get_data(as_text=True))
    resp = client.post("/beheer/gemma-import/annuleren", data={"csrf_token": token})
    assert resp.status_code == 302 and _uploads() == [] and _state() == (171, 745, 1)


def test_a_release_exported_from_archi_with_its_views_folder_uploads_and_imports(app, world, client):
    login(client, world.users["fb"])
    resp = _upload(client, gemma_files.archi_export(), "GEMMA uit Archi.xml")
    html = resp.get_data(as_text=True)
    assert resp.status_code == 200 and "<h1>Controle GEMMA-release</h1>" in html
    assert "onbekend element" not in html
    resp = client.post("/beheer/gemma-import/bevestigen", data={"csrf_token": _confirm_token(html)},
                       follow_redirects=True)
    assert "GEMMA-release geïmporteerd" in resp.get_data(as_text=True)
    assert _state() == (1, 1, 1)


HOSTILE_UPLOADS = dict(gemma_files.HOSTILE, dangling=(None, "verwijst naar een onbekend element"),
                       te_groot=(None, "Het bestand is te groot"))


@pytest.mark.parametrize("name", sorted(HOSTILE_UPLOADS))
def test_a_hostile_upload_gets_a_dutch_message_and_changes_nothing(app, world, client, name):
    import_file(RELEASE_PATH)
    content, message = HOSTILE_UPLOADS[name]
    if name == "dangling":
        content = gemma_files.dangling_release()
    elif name == "te_groot":
        app.config["GEMMA_MAX_UPLOAD_BYTES"] = 1024 * 1024
        content = RELEASE_PATH.read_bytes()
    before = _state()
    login(client, world.users["fb"])
    resp = _upload(client, content)
    html = resp.get_data(as_text=True)
    assert resp.status_code == 200
    assert message in html and "<h1>GEMMA importeren</h1>" in html
    assert "bevestigen" not in html
    assert _state() == before and _uploads() == []
    assert client.post("/beheer/gemma-import/bevestigen",
                       data={"csrf_token": csrf_token(client, UPLOAD)}).status_code == 302
    assert _state() == before


@pytest.mark.parametrize("who", ["aanbod", "gebruik", "raadpleger", "vng", None])
def test_only_the_functioneel_beheerder_reaches_the_import(app, world, client, who):
    if who:
        login(client, world.users[who])
    assert client.get(UPLOAD).status_code in (302, 403)
    resp = client.post(UPLOAD, data={"bestand": (io.BytesIO(RELEASE_PATH.read_bytes()), "r.xml")},
                       content_type="multipart/form-data")
    assert resp.status_code in (302, 400, 403)
    assert client.post("/beheer/gemma-import/bevestigen").status_code in (302, 400, 403)
    assert _state() == (0, 0, 0) and _uploads() == []


def _with_both_kinds():
    for rc in db.session.query(Referentiecomponent).order_by(Referentiecomponent.name):
        kinds = {v.kind for v in rc.verplichtingen}
        if kinds == {"verplicht", "aanbevolen"}:
            return rc
    raise AssertionError("no referentiecomponent with both kinds")


def test_public_pages_show_components_and_their_standards_anonymously(app, client):
    import_file(RELEASE_PATH)
    resp = client.get("/gemma/referentiecomponenten/")
    html = resp.get_data(as_text=True)
    assert resp.status_code == 200 and html.count("<h1") == 1
    assert "171 referentiecomponenten" in html and '<label for="q"' in html

    html = client.get("/gemma/referentiecomponenten/?q=AFVALBEHEER").get_data(as_text=True)
    assert "1 referentiecomponent gevonden" in html and "Afvalbeheercomponent" in html
    html = client.get("/gemma/referentiecomponenten/?q=afvàlbeheër").get_data(as_text=True)  # accents ignored
    assert "1 referentiecomponent gevonden" in html and "Afvalbeheercomponent" in html

    rc = _with_both_kinds()
    resp = client.get(f"/gemma/referentiecomponenten/{rc.object_id}")
    html = resp.get_data(as_text=True)
    assert resp.status_code == 200 and html.count("<h1") == 1 and rc.name in html
    assert f"https://gemmaonline.nl/index.php/GEMMA/id-{rc.object_id}" in html
    verplicht, aanbevolen = html.split("<h2>Aanbevolen standaarden</h2>")
    assert "<h2>Verplichte standaarden</h2>" in verplicht
    for link in rc.verplichtingen:
        assert link.standaard.name in (verplicht if link.kind == "verplicht" else aanbevolen)
    standaard = next((v.standaard for v in rc.verplichtingen if v.standaard.versies), None)
    if standaard is not None:
        assert standaard.versies[0].name in html
    assert client.get("/gemma/referentiecomponenten/bestaat-niet").status_code == 404


def test_a_component_no_longer_in_the_release_is_marked(app, client):
    import_file(RELEASE_PATH)
    rc = db.session.query(Referentiecomponent).first()
    rc.in_release = False
    db.session.commit()
    html = client.get(f"/gemma/referentiecomponenten/{rc.object_id}").get_data(as_text=True)
    assert "staat niet meer in de huidige GEMMA-release" in html
    assert f"/gemma/referentiecomponenten/{rc.object_id}" not in client.get("/gemma/referentiecomponenten/").get_data(
        as_text=True)
    assert db.session.query(Standaard).count() == 200


def test_an_abandoned_upload_is_removed_after_a_day(app, world, client):
    login(client, world.users["fb"])
    folder = Path(current_app.instance_path) / "gemma-uploads"
    folder.mkdir(parents=True, exist_ok=True)
    old, recent = folder / "0badc0de.xml", folder / "0fresh00.xml"
    for path in (old, recent):
        path.write_bytes(b"<x/>")
    day_ago = time.time() - 24 * 60 * 60 - 60
    os.utime(old, (day_ago, day_ago))
    _upload(client, gemma_files.NOT_AMEFF)
    assert not old.exists() and recent.exists()
    recent.unlink()
