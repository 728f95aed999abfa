"""F002 contact persons and certifications: CRUD, PDF or URL evidence, expiry, file visibility."""

from __future__ import annotations

import io

import pytest

from core.contacts import ContactPerson
from core.extensions import db
from core.files import StoredFile, storage_dir
from plugins.f002_organisatie.models import Certification
from tests.f002.conftest import image_bytes, pdf_bytes
from tests.support.actors import api_token, csrf_token, login


@pytest.fixture
def supplier(app, world):
    client = app.test_client()
    login(client, world.users["aanbod"])
    return client


def test_contact_persons_crud(supplier, world):
    token = csrf_token(supplier, "/contactpersonen/add")
    resp = supplier.post("/contactpersonen/add", data={
        "csrf_token": token, "organisation": str(world.supplier.id), "name": "Els de Boer", "role": "Accountmanager",
        "email": "els@ictsolutions.example", "phone": "06 1234 5678"})
    assert resp.status_code == 302
    person = db.session.query(ContactPerson).filter_by(name="Els de Boer").one()
    assert person.organisation_id == world.supplier.id
    assert "Els de Boer" in supplier.get("/contactpersonen/list/").get_data(as_text=True)

    resp = supplier.post(f"/contactpersonen/edit/{person.id}", data={
        "csrf_token": token, "name": "Els de Boer", "role": "Productmanager", "email": "els@ictsolutions.example",
        "phone": ""})
    assert resp.status_code == 302
    db.session.expire_all()
    assert db.session.get(ContactPerson, person.id).role == "Productmanager"

    resp = supplier.post(f"/contactpersonen/edit/{person.id}", data={
        "csrf_token": token, "name": "Els", "email": "geen-adres"})
    assert "Vul een geldig e-mailadres in." in resp.get_data(as_text=True)

    public = supplier.application.test_client().get(f"/leveranciers/{world.supplier.id}").get_data(as_text=True)
    assert "Els de Boer" in public and "Productmanager" in public

    resp = supplier.post(f"/contactpersonen/delete/{person.id}", data={"csrf_token": token})
    assert resp.status_code == 302
    assert db.session.query(ContactPerson).filter_by(id=person.id).first() is None


def test_contact_persons_api(supplier, world):
    headers = {"Authorization": f"Bearer {api_token(supplier, world.users['aanbod'])}"}
    resp = supplier.post("/api/v1/contactpersonen/", json={"organisation": world.supplier.id, "name": "Api Persoon"},
                         headers=headers)
    assert resp.status_code == 201, resp.get_data(as_text=True)
    listed = supplier.get("/api/v1/contactpersonen/", headers=headers).json["result"]
    assert [p["name"] for p in listed] == ["Api Persoon"]


def _add_certification(client, world, **fields):
    data = {"csrf_token": csrf_token(client, "/certificeringen/add"), "organisation": str(world.supplier.id),
            "kind": "iso27001", "other_name": "", "issuer": "DNV", "valid_until": "2030-12-31", "evidence_url": ""}
    data.update(fields)
    return client.post("/certificeringen/add", data=data, content_type="multipart/form-data")


def test_certification_with_pdf_evidence(supplier, world):
    resp = _add_certification(supplier, world, evidence_upload=(io.BytesIO(pdf_bytes()), "iso.pdf"))
    assert resp.status_code == 302, resp.get_data(as_text=True)[:1000]
    cert = db.session.query(Certification).one()
    assert cert.title == "ISO 27001" and not cert.expired
    stored = cert.evidence_file
    old_token = stored.token
    assert stored.content_type == "application/pdf" and stored.organisation_id == world.supplier.id
    assert (storage_dir() / stored.token).read_bytes() == pdf_bytes()
    resp = supplier.application.test_client().get(f"/bestanden/{stored.token}")
    assert resp.status_code == 200 and resp.mimetype == "application/pdf"
    assert resp.headers["X-Content-Type-Options"] == "nosniff"
    assert resp.headers["Content-Disposition"] in ('attachment; filename=iso.pdf', 'attachment; filename="iso.pdf"')

    # replacing the evidence removes the old file; deleting the certification removes the new one
    token = csrf_token(supplier, f"/certificeringen/edit/{cert.id}")
    resp = supplier.post(f"/certificeringen/edit/{cert.id}", data={
        "csrf_token": token, "kind": "iso27001", "issuer": "DNV", "valid_until": "2031-01-31", "evidence_url": "",
        "other_name": "", "evidence_upload": (io.BytesIO(pdf_bytes("Nieuw")), "nieuw.pdf")},
        content_type="multipart/form-data")
    assert resp.status_code == 302
    db.session.expire_all()
    new_token = db.session.get(Certification, cert.id).evidence_file.token
    assert new_token != old_token and not (storage_dir() / old_token).exists()
    supplier.post(f"/certificeringen/delete/{cert.id}", data={"csrf_token": token})
    db.session.expire_all()
    assert db.session.query(StoredFile).count() == 0 and not (storage_dir() / new_token).exists()


@pytest.mark.parametrize("content,name,message", [
    (image_bytes(), "bewijs.pdf", "geen geldig PDF-document"),
    (b"%PDF-1.4\nzomaar wat tekst zonder structuur", "kapot.pdf", "geen geldig PDF-document"),
    (b"<html><script>alert(1)</script></html>", "bewijs.pdf", "geen geldig PDF-document"),
    (pdf_bytes() + b"\0" * (10 * 1024 * 1024), "groot.pdf", "te groot: maximaal 10 MB"),
])
def test_bad_evidence_is_refused(supplier, world, content, name, message):
    resp = _add_certification(supplier, world, evidence_upload=(io.BytesIO(content), name))
    assert resp.status_code in (200, 400) and message in resp.get_data(as_text=True)
    assert db.session.query(Certification).count() == 0 and db.session.query(StoredFile).count() == 0


def test_certification_with_url_and_expired_flag(supplier, world):
    resp = _add_certification(supplier, world, kind="nen7510", evidence_url="https://certificaten.example/nen",
                              valid_until="2020-01-31")
    assert resp.status_code == 302
    resp = _add_certification(supplier, world, kind="anders", other_name="Eigen verklaring", issuer="ICT",
                              valid_until="")
    assert resp.status_code == 302
    cert = db.session.query(Certification).filter_by(kind="nen7510").one()
    assert cert.expired and cert.validity == "Verlopen op 31-01-2020"
    page = supplier.application.test_client().get(f"/leveranciers/{world.supplier.id}").get_data(as_text=True)
    assert "NEN 7510" in page and "https://certificaten.example/nen" in page
    assert "Verlopen</strong> sinds 31-01-2020" in page and "Verlopen Verlopen" not in page
    assert "Eigen verklaring" in page and "Geen einddatum" in page
    # javascript: is no evidence URL
    resp = _add_certification(supplier, world, evidence_url="javascript://example.com/%0aalert(1)")
    assert "begint met https://" in resp.get_data(as_text=True)


def test_certifications_api_validates_kind(supplier, world):
    headers = {"Authorization": f"Bearer {api_token(supplier, world.users['aanbod'])}"}
    ok = supplier.post("/api/v1/certificeringen/", headers=headers, json={
        "organisation": world.supplier.id, "kind": "soc2", "issuer": "EY", "valid_until": "2020-01-01"})
    assert ok.status_code == 201, ok.get_data(as_text=True)
    got = supplier.get(f"/api/v1/certificeringen/{ok.json['id']}", headers=headers).json["result"]
    assert got["title"] == "SOC 2" and got["expired"] is True
    bad = supplier.post("/api/v1/certificeringen/", headers=headers, json={
        "organisation": world.supplier.id, "kind": "iso99999", "issuer": "X"})
    assert bad.status_code == 422 and "Kies een soort" in bad.get_data(as_text=True)


def test_private_files_are_only_for_the_own_organisation_and_vng(app, world):
    private = StoredFile(token="prive-token", organisation_id=world.supplier.id, kind="intern",
                         content_type="application/pdf", size=len(pdf_bytes()), public=False)
    db.session.add(private)
    db.session.commit()
    (storage_dir() / "prive-token").write_bytes(pdf_bytes())
    expectations = {None: 404, "aanbod": 200, "aanbod_other": 404, "gebruik": 404, "vng": 200}
    for who, status in expectations.items():
        client = app.test_client()
        if who:
            login(client, world.users[who])
        assert client.get("/bestanden/prive-token").status_code == status, who
    assert app.test_client().get("/bestanden/bestaat-niet").status_code == 404


def test_public_file_of_an_unapproved_supplier_is_hidden(app, world):
    world.supplier.status = "bevestigd"
    db.session.add(StoredFile(token="logo-token", organisation_id=world.supplier.id, kind="logo",
                              content_type="image/png", size=10, public=True))
    db.session.commit()
    (storage_dir() / "logo-token").write_bytes(image_bytes())
    assert app.test_client().get("/bestanden/logo-token").status_code == 404


def test_adding_a_certification_says_so_in_dutch(supplier, world):
    resp = _add_certification(supplier, world)
    assert resp.status_code == 302
    page = supplier.get("/certificeringen/list/").get_data(as_text=True)
    assert f"De certificering is toegevoegd aan {world.supplier.name}." in page and "Rij toegevoegd" not in page
