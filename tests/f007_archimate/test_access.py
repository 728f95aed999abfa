"""Who may export which offering: page, download and API for every role, own and other supplier; the CLI."""

from __future__ import annotations

import urllib.parse

import pytest

from core.extensions import db
from core.models import AuditLog
from plugins.f007_export import archimate
from tests.f007_archimate.support import Parsed, assert_valid, make_package, make_rc
from tests.support.actors import api_token, login

PAGE = "/export/archimate/"
FILE = "/export/archimate/bestand"
API = "/api/v1/archimate/aanbod"
OWN_SECRET, OTHER_SECRET = "Eigen concept 7f3a", "Concept van de concurrent 9c1d"
REFUSED_OTHER = "U kunt alleen het aanbod van uw eigen organisatie exporteren."


@pytest.fixture
def offering(app, world):
    rc = make_rc("Zaakregistratiecomponent")
    make_package(world.supplier, OWN_SECRET, rcs=[rc], status="concept", versions=["1.0"])
    make_package(world.other_supplier, OTHER_SECRET, rcs=[rc], status="concept", modules=["Geheim"])
    return world


def _is_file_of(resp, org_name: str, secret: str):
    assert resp.status_code == 200, resp.get_data(as_text=True)[:500]
    assert resp.mimetype == "application/xml"
    assert "attachment" in resp.headers["Content-Disposition"]
    assert "no-store" in resp.headers["Cache-Control"]
    data = resp.get_data()
    assert_valid(data)
    model = Parsed(data)
    assert {model.name(e) for e in model.of_type("Leverancier")} == {org_name}
    assert {model.name(e) for e in model.of_type("Pakket")} == {secret}
    return model


def _refused(resp, *secrets):
    assert resp.status_code in (302, 400, 401, 403, 404, 422), resp.status_code
    body = resp.get_data(as_text=True)
    for secret in secrets:
        assert secret not in body
    return body


def _exports(world) -> int:
    return db.session.query(AuditLog).filter_by(action="export", object_type="ArchiMate").count()


@pytest.mark.parametrize("who", ["aanbod", "aanbod_other"])
def test_a_supplier_exports_its_own_offering_and_nobody_elses(app, offering, who):
    world = offering
    own, other = ((world.supplier, world.other_supplier) if who == "aanbod"
                  else (world.other_supplier, world.supplier))
    own_secret, other_secret = (OWN_SECRET, OTHER_SECRET) if who == "aanbod" else (OTHER_SECRET, OWN_SECRET)
    client = app.test_client()
    login(client, world.users[who])

    page = client.get(PAGE)
    assert page.status_code == 200
    html = page.get_data(as_text=True)
    assert "<h1>ArchiMate-export</h1>" in html and f"_GEMMA 2_{own.name}_ameff_model.xml" in html
    assert 'name="organisatie"' not in html  # nothing to choose

    _is_file_of(client.get(FILE), own.name, own_secret)
    _is_file_of(client.get(f"{FILE}?organisatie={own.id}"), own.name, own_secret)
    body = _refused(client.get(f"{FILE}?organisatie={other.id}"), other_secret)
    assert REFUSED_OTHER in body
    assert client.get(f"{FILE}?organisatie={other.id}").status_code == 403
    assert client.get(f"{FILE}?organisatie=x%3Cy%3E").status_code == 400

    token = {"Authorization": f"Bearer {api_token(client, world.users[who])}"}
    _is_file_of(client.get(API, headers=token), own.name, own_secret)
    _is_file_of(client.get(f"{API}/{own.id}", headers=token), own.name, own_secret)
    resp = client.get(f"{API}/{other.id}", headers=token)
    assert resp.status_code == 403 and resp.json["message"] == REFUSED_OTHER
    _refused(resp, other_secret)
    assert _exports(world) == 4  # every export is in the audit log, refusals are not exports


@pytest.mark.parametrize("who", ["gebruik", "raadpleger", "gebruik_other"])
def test_municipal_roles_export_nothing(app, offering, who):
    world = offering
    client = app.test_client()
    login(client, world.users[who])
    for path in (PAGE, FILE, f"{FILE}?organisatie={world.supplier.id}"):
        resp = client.get(path)
        assert resp.status_code == 403  # FAB: no permission, shown as the Dutch error page
        assert "Geen toegang" in _refused(resp, OWN_SECRET, OTHER_SECRET)
    token = {"Authorization": f"Bearer {api_token(client, world.users[who])}"}
    for path in (API, f"{API}/{world.supplier.id}", f"{API}/{world.gemeente.id}"):
        resp = client.get(path, headers=token)
        assert resp.status_code == 403 and resp.json["message"] == "U heeft geen toegang tot de ArchiMate-export."
    assert _exports(world) == 0


def test_visitors_export_nothing(app, offering):
    client = app.test_client()
    for path in (PAGE, FILE, f"{FILE}?organisatie={offering.supplier.id}"):
        resp = client.get(path)
        assert resp.status_code == 302 and "/login" in resp.location
        _refused(resp, OWN_SECRET, OTHER_SECRET)
    for path in (API, f"{API}/{offering.supplier.id}"):
        resp = client.get(path)
        assert resp.status_code == 401  # (flask-jwt-extended's answer: no token)
        _refused(resp, OWN_SECRET, OTHER_SECRET)
    resp = client.get(API, headers={"Authorization": "Bearer not-a-token"})
    assert resp.status_code in (401, 422)
    _refused(resp, OWN_SECRET, OTHER_SECRET)


@pytest.mark.parametrize("who", ["vng", "fb"])
def test_vng_chooses_any_supplier_and_gets_all_its_packages(app, offering, who):
    world = offering
    client = app.test_client()
    login(client, world.users[who])
    html = client.get(PAGE).get_data(as_text=True)
    assert '<label for="organisatie"' in html
    assert f'<option value="{world.supplier.id}">ICT Solutions BV</option>' in html
    assert f'<option value="{world.other_supplier.id}">Concurrent BV</option>' in html
    assert "Voorbeeldstad" not in html  # municipalities have no offering

    _is_file_of(client.get(f"{FILE}?organisatie={world.supplier.id}"), "ICT Solutions BV", OWN_SECRET)
    _is_file_of(client.get(f"{FILE}?organisatie={world.other_supplier.id}"), "Concurrent BV", OTHER_SECRET)
    resp = client.get(FILE)
    assert resp.status_code == 400 and archimate.MSG_CHOOSE in resp.get_data(as_text=True)
    for bad in (world.gemeente.id, 999999, -1, 2**40):
        resp = client.get(f"{FILE}?organisatie={bad}")
        assert resp.status_code == 404 and archimate.MSG_UNKNOWN in resp.get_data(as_text=True)

    token = {"Authorization": f"Bearer {api_token(client, world.users[who])}"}
    _is_file_of(client.get(f"{API}/{world.other_supplier.id}", headers=token), "Concurrent BV", OTHER_SECRET)
    resp = client.get(API, headers=token)
    assert resp.status_code == 400 and resp.json["message"] == archimate.MSG_CHOOSE
    resp = client.get(f"{API}/{world.gemeente.id}", headers=token)
    assert resp.status_code == 404 and resp.json["message"] == archimate.MSG_UNKNOWN


def test_the_download_name_is_the_standard_one_with_an_rfc5987_name_for_non_ascii(app, offering):
    world = offering
    world.supplier.name = "Zoë & Sön \u202eBV"
    db.session.commit()
    client = app.test_client()
    login(client, world.users["aanbod"])
    resp = client.get(FILE)
    assert resp.status_code == 200
    day = archimate.local_today().strftime("%d-%m-%Y")
    expected = f"{day}_GEMMA 2_Zoë & Sön BV_ameff_model.xml"
    header = resp.headers["Content-Disposition"]
    assert f"filename*=UTF-8''{urllib.parse.quote(expected, safe='!#$&+^`|~')}" in header
    assert f'filename="{day}_GEMMA 2_Zoe & Son BV_ameff_model.xml"' in header  # ASCII fallback
    assert "\u202e" not in urllib.parse.unquote(header)


def test_cli_writes_the_file_and_refuses_what_is_not_a_supplier(app, offering, tmp_path, monkeypatch):
    world = offering
    runner = app.test_cli_runner()
    target = tmp_path / "aanbod.xml"
    result = runner.invoke(args=["scg", "export-archimate", "--organisatie", str(world.supplier.id),
                                 "-o", str(target)])
    assert result.exit_code == 0, result.output
    _model = Parsed(target.read_bytes())
    assert_valid(target.read_bytes())
    assert {_model.name(e) for e in _model.of_type("Pakket")} == {OWN_SECRET}
    assert "1 pakketten van ICT Solutions BV geschreven" in result.output

    monkeypatch.chdir(tmp_path)  # without -o: the standard name in the current folder
    result = runner.invoke(args=["scg", "export-archimate", "--organisatie", str(world.other_supplier.id)])
    assert result.exit_code == 0, result.output
    written = tmp_path / archimate.export_filename(world.other_supplier)
    assert OTHER_SECRET in written.read_text(encoding="utf-8")

    result = runner.invoke(args=["scg", "export-archimate", "--organisatie", str(world.supplier.id), "-o", "-"])
    assert result.exit_code == 0
    assert_valid(result.stdout_bytes)
    assert OWN_SECRET in result.stdout

    for bad in (world.gemeente.id, 999999):
        result = runner.invoke(args=["scg", "export-archimate", "--organisatie", str(bad),
                                     "-o", str(tmp_path / "x.xml")])
        assert result.exit_code == 1 and f"Er is geen leverancier met id {bad}." in result.output
        assert not (tmp_path / "x.xml").exists()
    result = runner.invoke(args=["scg", "export-archimate", "--organisatie", str(world.supplier.id),
                                 "-o", str(tmp_path / "bestaat-niet" / "x.xml")])
    assert result.exit_code == 1 and "Kon" in result.output
    assert _exports(world) == 3
