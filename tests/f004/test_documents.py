"""F004 documents: upload or URL, review of security documents by VNG, visibility per viewer, the file route."""

from __future__ import annotations

import io

import pytest
from sqlalchemy import select

from core.catalogue.models import PackageDocument
from core.extensions import db
from core.files import StoredFile
from core.models import AuditLog, Organisation
from core.roles import AANBOD_BEHEERDER
from tests.f004.support import image_bytes, make_document, make_package, pdf_bytes
from tests.support.actors import csrf_token, login, make_org, make_user


@pytest.fixture
def supplier(app, world):
    client = app.test_client()
    login(client, world.users["aanbod"])
    return client


@pytest.fixture
def fb(app, world):
    client = app.test_client()
    login(client, world.users["fb"])
    return client


def _form(client, path, **fields):
    data = {"csrf_token": csrf_token(client, path), "title": "", "url": "", "audience": "iedereen",
            "kind": "handleiding"}
    data.update(fields)
    return data


def _docs():
    db.session.expire_all()
    return db.session.scalars(select(PackageDocument).order_by(PackageDocument.id)).all()


def _add(client, package, **fields):
    return client.post("/pakketdocumenten/add", data=_form(client, "/pakketdocumenten/add", package=str(package.id),
                                                            **fields), content_type="multipart/form-data")


def test_manual_with_pdf_is_visible_at_once_and_served_to_visitors(supplier, app, world):
    package = make_package(world.supplier, "Zaakwijzer")
    resp = _add(supplier, package, kind="handleiding", title="Gebruikershandleiding",
                upload=(io.BytesIO(pdf_bytes("Handleiding")), "handleiding.pdf"))
    assert resp.status_code == 302
    [doc] = _docs()
    assert doc.review_status == "goedgekeurd" and doc.organisation_id == world.supplier.id
    assert doc.file.public is False  # served only through the document route
    resp = app.test_client().get(f"/documentbestanden/{doc.file.token}")
    assert resp.status_code == 200 and resp.data.startswith(b"%PDF-")
    assert "attachment" in resp.headers["Content-Disposition"]


def test_security_document_waits_for_review_and_is_hidden_until_approved(supplier, fb, app, world, mailbox):
    package = make_package(world.supplier, "Zaakwijzer")
    resp = _add(supplier, package, kind="pentest", title="Pentest 2025",
                upload=(io.BytesIO(pdf_bytes("Pentest")), "pentest.pdf"))
    assert resp.status_code == 302
    assert "zodra VNG het heeft goedgekeurd" in supplier.get(resp.location).get_data(as_text=True)
    [doc] = _docs()
    token = doc.file.token
    assert doc.review_status == "concept"
    assert app.test_client().get(f"/documentbestanden/{token}").status_code == 404
    assert supplier.get(f"/documentbestanden/{token}").status_code == 200

    queue = fb.get("/beheer/documenten/list/").get_data(as_text=True)
    assert "Pentest 2025" in queue and "Zaakwijzer" in queue
    show = fb.get(f"/beheer/documenten/show/{doc.id}").get_data(as_text=True)
    token_fb = csrf_token(fb, f"/beheer/documenten/show/{doc.id}")
    resp = fb.post(f"/beheer/documenten/goedkeuren/{doc.id}", data={"csrf_token": token_fb})
    assert resp.status_code == 302 and "Document goedkeuren" in show
    [doc] = _docs()
    assert doc.review_status == "goedgekeurd" and doc.reviewed_by_id == world.users["fb"].id
    assert app.test_client().get(f"/documentbestanden/{token}").status_code == 200
    [message] = mailbox.messages
    assert message.recipients == ["jan@ictsolutions.example"] and "goedgekeurd" in message.subject
    assert db.session.scalar(select(AuditLog).where(AuditLog.action == "document_goedkeuren")) is not None
    # a second approval changes nothing and says so
    resp = fb.post(f"/beheer/documenten/goedkeuren/{doc.id}", data={"csrf_token": token_fb}, follow_redirects=True)
    assert "wacht niet (meer) op beoordeling" in resp.get_data(as_text=True)
    assert len(mailbox.messages) == 1


def test_changed_file_or_url_sends_an_approved_security_document_back_to_concept(supplier, world):
    package = make_package(world.supplier, "Zaakwijzer")
    doc = make_document(package, "DPIA", kind="dpia", review_status="goedgekeurd", url="https://docs.example/dpia")
    path = f"/pakketdocumenten/edit/{doc.id}"
    # changing only the title keeps the approval
    supplier.post(path, data=_form(supplier, path, package=str(package.id), kind="dpia", title="DPIA v2",
                                   url="https://docs.example/dpia"))
    assert _docs()[0].review_status == "goedgekeurd"
    supplier.post(path, data=_form(supplier, path, package=str(package.id), kind="dpia", title="DPIA v2",
                                   url="https://docs.example/dpia-nieuw"))
    assert _docs()[0].review_status == "concept"
    db.session.get(PackageDocument, doc.id).review_status = "goedgekeurd"
    db.session.commit()
    supplier.post(path, data=_form(supplier, path, package=str(package.id), kind="dpia", title="DPIA v2",
                                   url="https://docs.example/dpia-nieuw",
                                   upload=(io.BytesIO(pdf_bytes("nieuw")), "dpia.pdf")),
                  content_type="multipart/form-data")
    [doc] = _docs()
    assert doc.review_status == "concept" and doc.file is not None


def test_reject_needs_a_reason_then_mails_it_to_the_supplier(fb, world, mailbox):
    package = make_package(world.supplier, "Zaakwijzer")
    doc = make_document(package, "VWO Zaakwijzer", kind="verwerkersovereenkomst")
    show = f"/beheer/documenten/show/{doc.id}"
    resp = fb.post(f"/beheer/documenten/afwijzen/{doc.id}", data={"csrf_token": csrf_token(fb, show), "reason": ""})
    assert resp.status_code == 400 and "Vul de reden van de afwijzing in." in resp.get_data(as_text=True)
    assert _docs()[0].review_status == "concept" and mailbox.messages == []
    resp = fb.post(f"/beheer/documenten/afwijzen/{doc.id}",
                   data={"csrf_token": csrf_token(fb, show), "reason": "Handtekening ontbreekt."})
    assert resp.status_code == 302
    [doc] = _docs()
    assert doc.review_status == "afgewezen" and doc.review_note == "Handtekening ontbreekt."
    [message] = mailbox.messages
    assert "afgewezen" in message.subject and "Handtekening ontbreekt." in message.text
    rejected = fb.get("/beheer/documenten/list/?status=afgewezen").get_data(as_text=True)
    assert "VWO Zaakwijzer" in rejected
    assert "VWO Zaakwijzer" not in fb.get("/beheer/documenten/list/").get_data(as_text=True)


def test_review_actions_are_post_only_and_for_the_functioneel_beheerder_only(supplier, app, world):
    package = make_package(world.supplier, "Zaakwijzer")
    doc = make_document(package, "TPM", kind="tpm")
    assert app.test_client().get(f"/beheer/documenten/goedkeuren/{doc.id}").status_code == 405
    resp = supplier.post(f"/beheer/documenten/goedkeuren/{doc.id}",
                         data={"csrf_token": csrf_token(supplier, "/pakketdocumenten/add")})
    assert resp.status_code in (302, 403)
    assert supplier.get("/beheer/documenten/list/").status_code in (302, 403)
    assert _docs()[0].review_status == "concept"


def test_document_without_file_or_url_is_refused(supplier, world):
    package = make_package(world.supplier)
    resp = _add(supplier, package, kind="casestudy", title="Gemeente X")
    assert "Voeg het document toe: upload een PDF-bestand of vul een webadres in." in resp.get_data(as_text=True)
    assert _docs() == []


@pytest.mark.parametrize("content,name,message", [
    (image_bytes("PNG"), "document.pdf", "geen geldig PDF-document"),
    (b"MZ\x90\x00 uitvoerbaar", "document.pdf", "geen geldig PDF-document"),
    (pdf_bytes() + b"\0" * (10 * 1024 * 1024), "groot.pdf", "te groot: maximaal 10 MB"),
    (b"", "leeg.pdf", "Het bestand is leeg."),
])
def test_bad_document_files_are_refused_and_store_nothing(supplier, world, content, name, message):
    package = make_package(world.supplier)
    before = db.session.query(StoredFile).count()
    resp = _add(supplier, package, kind="casestudy", title="Casestudy", upload=(io.BytesIO(content), name))
    assert message in resp.get_data(as_text=True)
    assert _docs() == [] and db.session.query(StoredFile).count() == before


def test_documents_api_follows_the_review_rule(app, world):
    from tests.support.actors import api_token

    client = app.test_client()
    headers = {"Authorization": f"Bearer {api_token(client, world.users['aanbod'])}"}
    package = make_package(world.supplier)
    resp = client.post("/api/v1/pakketdocumenten/", headers=headers, json={
        "package": package.id, "kind": "pentest", "title": "Pentest", "url": "https://docs.example/pentest"})
    assert resp.status_code == 201, resp.json
    [doc] = _docs()
    assert doc.review_status == "concept"
    doc.review_status = "goedgekeurd"
    db.session.commit()
    resp = client.put(f"/api/v1/pakketdocumenten/{doc.id}", headers=headers, json={
        "package": package.id, "kind": "pentest", "title": "Pentest", "url": "https://docs.example/pentest-2"})
    assert resp.status_code == 200 and _docs()[0].review_status == "concept"
    bad = client.post("/api/v1/pakketdocumenten/", headers=headers, json={
        "package": package.id, "kind": "geheim", "title": "X", "url": "https://x.example"})
    assert bad.status_code in (400, 422) and "Kies een soort" in str(bad.json)
    bare = client.post("/api/v1/pakketdocumenten/", headers=headers, json={
        "package": package.id, "kind": "casestudy", "title": "X"})
    assert bare.status_code == 400 and "Voeg het document toe" in bare.json["message"]
    assert len(_docs()) == 1


# --- visibility of the file per viewer ---------------------------------------------------------

VIEWERS = ("anoniem", "aanbod_other", "gebruik", "samenwerking", "vng", "aanbod")


def _client(app, world, who):
    client = app.test_client()
    if who == "samenwerking":
        org = make_org("Samenwerking Noord", "samenwerking")
        user = make_user("sw@noord.example", "Gebruik-beheerder", org)
        login(client, user)
    elif who != "anoniem":
        login(client, world.users[who])
    return client


CASES = {
    # (audience, review status, package published): viewers who may download
    ("iedereen", "goedgekeurd", True): {"anoniem", "aanbod_other", "gebruik", "samenwerking", "vng", "aanbod"},
    ("gemeenten", "goedgekeurd", True): {"gebruik", "samenwerking", "vng", "aanbod"},
    ("iedereen", "concept", True): {"vng", "aanbod"},
    ("gemeenten", "afgewezen", True): {"vng", "aanbod"},
    ("iedereen", "goedgekeurd", False): {"vng", "aanbod"},
}


@pytest.mark.parametrize("case", list(CASES), ids=lambda c: "-".join(str(x) for x in c))
def test_document_file_visibility_per_viewer(app, world, case):
    audience, status, published = case
    package = make_package(world.supplier, "Zaakwijzer", status="gepubliceerd" if published else "concept")
    doc = make_document(package, "Document", kind="pentest", audience=audience, review_status=status,
                        with_file=True)
    from core import files

    path = files.storage_dir() / doc.file.token
    path.write_bytes(pdf_bytes())
    for who in VIEWERS:
        resp = _client(app, world, who).get(f"/documentbestanden/{doc.file.token}")
        expected = 200 if who in CASES[case] else 404
        assert resp.status_code == expected, f"{who}: {resp.status_code}"


def test_document_of_unapproved_supplier_is_hidden_from_others(app, world):
    package = make_package(world.supplier, "Zaakwijzer")
    doc = make_document(package, "Handleiding", with_file=True)
    from core import files

    (files.storage_dir() / doc.file.token).write_bytes(pdf_bytes())
    db.session.get(Organisation, world.supplier.id).status = "bevestigd"
    db.session.commit()
    assert app.test_client().get(f"/documentbestanden/{doc.file.token}").status_code == 404
    assert _client(app, world, "vng").get(f"/documentbestanden/{doc.file.token}").status_code == 200


def test_role_permissions_give_suppliers_documents_and_not_the_review_queue():
    from plugins.f004_aanbod.hooks import role_permissions

    granted = role_permissions()[AANBOD_BEHEERDER]
    assert ("can_add", "PackageDocument") in granted
    assert not [p for p in granted if p[1] in ("DocumentReview", "PackageMerge")]
