"""F004 standard claims: the form, evidence (PDF or URL), uniqueness, the API and the standards page."""

from __future__ import annotations

import io

import pytest
from sqlalchemy import event, select

from core.catalogue import standards as std
from core.catalogue.models import StandardClaim
from core.extensions import db
from core.files import StoredFile
from tests.f004.support import (
    classify,
    image_bytes,
    make_claim,
    make_package,
    make_rc,
    make_standard,
    oblige,
    pdf_bytes,
    version_of,
)
from tests.support.actors import api_token, csrf_token, login


@pytest.fixture
def gemma(app):
    zaak = make_rc("Zaakregistratiecomponent")
    dms = make_rc("Documentbeheercomponent")
    stuf = make_standard("StUF-ZKN", ("3.10", "3.20"))
    zgw = make_standard("ZGW API's", ("1.0", "1.5"))
    cmis = make_standard("CMIS", ("1.1",))
    old = make_standard("Oude standaard", ("0.9",), in_release=False)
    oblige(zaak, stuf, "verplicht")
    oblige(zaak, zgw, "aanbevolen")
    oblige(dms, cmis, "verplicht")
    oblige(dms, zgw, "verplicht")
    return {"zaak": zaak, "dms": dms, "stuf": stuf, "zgw": zgw, "cmis": cmis, "old": old}


@pytest.fixture
def supplier(app, world):
    client = app.test_client()
    login(client, world.users["aanbod"])
    return client


def _form(client, path, **fields):
    data = {"csrf_token": csrf_token(client, path), "evidence_url": "", "note": ""}
    data.update(fields)
    return data


def _claims():
    db.session.expire_all()
    return db.session.scalars(select(StandardClaim)).all()


def test_claim_with_url_is_saved_and_listed_for_the_package(supplier, world, gemma):
    package = make_package(world.supplier, "Zaakwijzer")
    version = version_of(gemma["stuf"], 1)
    resp = supplier.post("/standaardclaims/add", data=_form(
        supplier, "/standaardclaims/add", package=str(package.id), standaardversie=str(version.id),
        evidence_url="https://zaakwijzer.example/stuf", note="Volledig ondersteund"))
    assert resp.status_code == 302, resp.get_data(as_text=True)[:2000]
    [claim] = _claims()
    assert (claim.package_id, claim.standaardversie_id, claim.organisation_id) == (
        package.id, version.id, world.supplier.id)
    other_package = make_package(world.supplier, "Archiefkast")
    make_claim(other_package, version_of(gemma["cmis"]), url="https://archiefkast.example/cmis")
    page = supplier.get(f"/standaardclaims/list/?_flt_0_package={package.id}").get_data(as_text=True)
    assert "StUF-ZKN 3.20" in page and "https://zaakwijzer.example/stuf" in page
    assert "https://archiefkast.example/cmis" not in page  # the related-view prefilter of the package page


def test_claim_with_pdf_evidence_stores_the_file_and_serves_it(supplier, app, world, gemma):
    package = make_package(world.supplier, "Zaakwijzer")
    version = version_of(gemma["zgw"])
    resp = supplier.post("/standaardclaims/add", data=_form(
        supplier, "/standaardclaims/add", package=str(package.id), standaardversie=str(version.id),
        evidence_upload=(io.BytesIO(pdf_bytes("ZGW")), "bewijs.pdf")), content_type="multipart/form-data")
    assert resp.status_code == 302
    [claim] = _claims()
    assert claim.evidence_file is not None and claim.evidence_file.content_type == "application/pdf"
    token = claim.evidence_file.token
    assert supplier.get(f"/standaardclaims/bewijs/{token}").data.startswith(b"%PDF-")
    # the package is public: a visitor may read the evidence; of a concept package nobody else may
    assert app.test_client().get(f"/standaardclaims/bewijs/{token}").status_code == 200
    claim.package.status = "concept"
    db.session.commit()
    assert app.test_client().get(f"/standaardclaims/bewijs/{token}").status_code == 404
    other = app.test_client()
    login(other, world.users["aanbod_other"])
    assert other.get(f"/standaardclaims/bewijs/{token}").status_code == 404


def test_claim_without_evidence_is_refused_in_dutch_and_nothing_is_saved(supplier, world, gemma):
    package = make_package(world.supplier)
    resp = supplier.post("/standaardclaims/add", data=_form(
        supplier, "/standaardclaims/add", package=str(package.id),
        standaardversie=str(version_of(gemma["stuf"]).id)))
    assert resp.status_code == 200
    assert "Voeg bewijs toe: upload een PDF-bestand of vul een webadres in." in resp.get_data(as_text=True)
    assert _claims() == []


@pytest.mark.parametrize("content,name,message", [
    (image_bytes("PNG"), "bewijs.pdf", "geen geldig PDF-document"),
    (b"%PDF-1.4 maar eigenlijk niets", "bewijs.pdf", "geen geldig PDF-document"),
    (b"<html><script>alert(1)</script></html>", "bewijs.pdf", "geen geldig PDF-document"),
    (pdf_bytes() + b"\0" * (10 * 1024 * 1024), "groot.pdf", "te groot: maximaal 10 MB"),
])
def test_bad_evidence_files_are_refused(supplier, world, gemma, content, name, message):
    package = make_package(world.supplier)
    files_before = db.session.query(StoredFile).count()
    resp = supplier.post("/standaardclaims/add", data=_form(
        supplier, "/standaardclaims/add", package=str(package.id), standaardversie=str(version_of(gemma["stuf"]).id),
        evidence_url="https://bewijs.example", evidence_upload=(io.BytesIO(content), name)),
        content_type="multipart/form-data")
    assert message in resp.get_data(as_text=True)
    assert _claims() == [] and db.session.query(StoredFile).count() == files_before


def test_second_claim_on_the_same_version_is_refused_with_a_clear_message(supplier, world, gemma):
    package = make_package(world.supplier, "Zaakwijzer")
    version = version_of(gemma["stuf"])
    make_claim(package, version)
    resp = supplier.post("/standaardclaims/add", data=_form(
        supplier, "/standaardclaims/add", package=str(package.id), standaardversie=str(version.id),
        evidence_url="https://andere.example"))
    body = resp.get_data(as_text=True)
    assert "Zaakwijzer claimt StUF-ZKN 3.10 al." in body
    assert len(_claims()) == 1


def test_version_choices_are_those_in_the_release_plus_the_linked_one(supplier, world, gemma):
    package = make_package(world.supplier)
    old_version = version_of(gemma["old"])
    add_page = supplier.get(f"/standaardclaims/add?_flt_0_package={package.id}").get_data(as_text=True)
    assert "StUF-ZKN 3.20" in add_page and "Oude standaard 0.9" not in add_page
    # a version that left the release stays choosable on the claim that links to it
    claim = make_claim(package, old_version)
    edit_page = supplier.get(f"/standaardclaims/edit/{claim.id}").get_data(as_text=True)
    assert "Oude standaard 0.9" in edit_page
    resp = supplier.post("/standaardclaims/add", data=_form(
        supplier, "/standaardclaims/add", package=str(package.id), standaardversie=str(old_version.id),
        evidence_url="https://bewijs.example"))
    assert len(_claims()) == 1 and resp.status_code == 200


def test_add_link_preselects_package_and_version(supplier, world, gemma):
    package = make_package(world.supplier, "Zaakwijzer")
    version = version_of(gemma["zgw"], 1)
    page = supplier.get(f"/standaardclaims/add?_flt_0_package={package.id}&standaardversie={version.id}")
    body = page.get_data(as_text=True)
    assert page.status_code == 200
    assert f'<option selected value="{version.id}">' in body or f'value="{version.id}" selected' in body


def test_claims_api_adds_lists_and_refuses_duplicates_and_missing_evidence(app, world, gemma):
    client = app.test_client()
    headers = {"Authorization": f"Bearer {api_token(client, world.users['aanbod'])}"}
    package = make_package(world.supplier, "Zaakwijzer")
    version = version_of(gemma["stuf"])
    payload = {"package": package.id, "standaardversie": version.id, "evidence_url": "https://bewijs.example"}
    resp = client.post("/api/v1/standaardclaims/", json=payload, headers=headers)
    assert resp.status_code == 201, resp.json
    again = client.post("/api/v1/standaardclaims/", json=payload, headers=headers)
    assert again.status_code == 400 and "claimt StUF-ZKN 3.10 al" in again.json["message"]
    bare = client.post("/api/v1/standaardclaims/", json=dict(payload, standaardversie=version_of(gemma["zgw"]).id,
                                                             evidence_url=None), headers=headers)
    assert bare.status_code == 400 and "Voeg bewijs toe" in bare.json["message"]
    old = client.post("/api/v1/standaardclaims/", json=dict(payload, standaardversie=version_of(gemma["old"]).id),
                      headers=headers)
    assert old.status_code == 400 and "niet bij de huidige GEMMA-release" in old.json["message"]
    listed = client.get("/api/v1/standaardclaims/", headers=headers).json
    assert [r["standaardversie"]["name"] for r in listed["result"]] == ["StUF-ZKN 3.10"]


# --- core.catalogue.standards and the standards page -----------------------------------------

def test_standards_of_packages_are_computed_in_three_queries(app, world, gemma):
    a = make_package(world.supplier, "Zaakwijzer")
    b = make_package(world.supplier, "Archiefkast")
    classify(a, gemma["zaak"], gemma["dms"])
    classify(b, gemma["dms"])
    make_claim(a, version_of(gemma["stuf"], 1))
    make_claim(b, version_of(gemma["zgw"]))
    a_id, b_id = a.id, b.id
    db.session.expire_all()
    statements = []
    listener = lambda *args: statements.append(args[2])  # noqa: E731
    event.listen(db.engine, "before_cursor_execute", listener)
    try:
        result = std.standards_for_packages([a_id, b_id])
        for ps in result.values():  # touching everything loads nothing more
            [(s.standaard.name, s.referentiecomponent.name, [v.name for v in s.claimed_versions],
              s.suggested_version and s.suggested_version.name) for s in ps.statuses]
    finally:
        event.remove(db.engine, "before_cursor_execute", listener)
    assert len(statements) == 3
    names = lambda ids: {db.session.get(type(gemma["stuf"]), i).name for i in ids}  # noqa: E731
    assert names(result[a.id].mandatory_ids) == {"StUF-ZKN", "CMIS", "ZGW API's"}
    assert names(result[a.id].claimed_ids) == {"StUF-ZKN"}
    assert names(result[a.id].missing_mandatory_ids) == {"CMIS", "ZGW API's"}
    assert names(result[b.id].missing_mandatory_ids) == {"CMIS"}
    assert result[a.id].recommended_ids == set()  # ZGW is mandatory through the other component


def test_standards_page_shows_groups_status_warning_and_prefilled_links(supplier, world, gemma):
    package = make_package(world.supplier, "Zaakwijzer")
    classify(package, gemma["zaak"])
    make_claim(package, version_of(gemma["zgw"]))
    resp = supplier.get(f"/pakketstandaarden/{package.id}")
    body = resp.get_data(as_text=True)
    assert resp.status_code == 200
    assert "Standaarden van Zaakwijzer" in body and "Zaakregistratiecomponent" in body
    assert "Verplichte standaard nog niet geclaimd" in body  # StUF-ZKN
    assert "Geclaimd: ZGW API&#39;s 1.0" in body
    newest_stuf = version_of(gemma["stuf"], 1)
    assert f"/standaardclaims/add?_flt_0_package={package.id}&amp;standaardversie={newest_stuf.id}" in body
    overview = supplier.get("/pakketstandaarden/").get_data(as_text=True)
    assert "Zaakwijzer" in overview


def test_standards_page_of_another_suppliers_package_is_not_found(app, world, gemma):
    foreign = make_package(world.other_supplier, "Geheim pakket")
    client = app.test_client()
    login(client, world.users["aanbod"])
    resp = client.get(f"/pakketstandaarden/{foreign.id}")
    assert resp.status_code == 404 and "Geheim pakket" not in resp.get_data(as_text=True)
    assert "Geheim pakket" not in client.get("/pakketstandaarden/").get_data(as_text=True)
    assert app.test_client().get(f"/pakketstandaarden/{foreign.id}").status_code in (302, 401, 403)


def test_prefilter_on_another_suppliers_package_shows_nothing_and_adds_nothing(supplier, world, gemma):
    foreign = make_package(world.other_supplier, "Geheim pakket")
    make_claim(foreign, version_of(gemma["cmis"]), url="https://geheim.example/cmis")
    listing = supplier.get(f"/standaardclaims/list/?_flt_0_package={foreign.id}").get_data(as_text=True)
    assert "geheim.example" not in listing and "Geheim pakket" not in listing
    path = f"/standaardclaims/add?_flt_0_package={foreign.id}"
    assert "Geheim pakket" not in supplier.get(path).get_data(as_text=True)
    supplier.post(path, data=_form(supplier, path, standaardversie=str(version_of(gemma["stuf"]).id),
                                   evidence_url="https://bewijs.example"))
    assert [c.package_id for c in _claims()] == [foreign.id]  # only the foreign supplier's own claim
