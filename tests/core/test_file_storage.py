"""Uploaded files through one storage interface: the same upload/show/delete journeys on the
local folder and on an S3-compatible server (moto in server mode, started by the fixture)."""

from __future__ import annotations

import io
import urllib.request
from pathlib import Path

import boto3
import pytest
from sqlalchemy import select

from core import files
from core.catalogue.models import PackageDocument, Screenshot
from core.extensions import db
from core.storage import S3Storage, StorageError, from_config
from plugins.f002_organisatie.models import OrganisationProfile
from tests.conftest import S3_TEST_BUCKET
from tests.f002.conftest import image_bytes, pdf_bytes, profile_form
from tests.f004.support import make_package
from tests.support.actors import csrf_token, login


@pytest.fixture
def app(make_app, storage_settings):
    app = make_app(**storage_settings)
    with app.app_context():
        yield app


@pytest.fixture
def supplier(app, world):
    client = app.test_client()
    login(client, world.users["aanbod"])
    return client


def _bucket_keys(app) -> set[str]:
    config = app.config
    s3 = boto3.client("s3", endpoint_url=config["S3_ENDPOINT_URL"], aws_access_key_id="test",
                      aws_secret_access_key="test", region_name="us-east-1")
    return {obj["Key"] for obj in s3.list_objects_v2(Bucket=S3_TEST_BUCKET).get("Contents", [])}


def _where(app, token: str) -> str | None:
    """Where the bytes of ``token`` are: "local", "s3", both or None."""
    places = []
    if (Path(app.config["FILE_STORAGE_DIR"]) / token).is_file():
        places.append("local")
    if app.config["STORAGE_BACKEND"] == "s3" and token in _bucket_keys(app):
        places.append("s3")
    return "+".join(places) or None


def _profile(world) -> OrganisationProfile:
    db.session.expire_all()
    return db.session.query(OrganisationProfile).filter_by(organisation_id=world.supplier.id).one()


def test_logo_is_stored_in_the_chosen_backend_served_replaced_and_removed(app, supplier, world):
    backend = app.config["STORAGE_BACKEND"]
    resp = supplier.get("/profiel/mijn")
    path = resp.location.replace("http://localhost", "")
    resp = supplier.post(path, data=profile_form(supplier, path, logo=(io.BytesIO(image_bytes()), "logo.png")),
                         content_type="multipart/form-data")
    assert resp.status_code == 302
    first = _profile(world).logo.token
    assert _where(app, first) == backend
    anonymous = app.test_client()
    shown = anonymous.get(f"/bestanden/{first}")
    assert shown.status_code == 200 and shown.mimetype == "image/png"
    assert shown.data == files.storage().read(first) and shown.data.startswith(b"\x89PNG")
    assert shown.headers["X-Content-Type-Options"] == "nosniff"
    assert shown.headers["Content-Disposition"].startswith("inline;")
    assert shown.headers["Content-Security-Policy"] == "default-src 'none'; sandbox"

    supplier.post(path, data=profile_form(supplier, path, logo=(io.BytesIO(image_bytes("JPEG")), "b.jpg")),
                  content_type="multipart/form-data")
    second = _profile(world).logo.token
    assert second != first and _where(app, first) is None and _where(app, second) == backend
    assert anonymous.get(f"/bestanden/{first}").status_code == 404
    assert anonymous.get(f"/bestanden/{second}").mimetype == "image/jpeg"

    supplier.post(path, data=profile_form(supplier, path, remove_logo="y"), content_type="multipart/form-data")
    assert _profile(world).logo is None and _where(app, second) is None
    assert anonymous.get(f"/bestanden/{second}").status_code == 404


def test_screenshot_upload_show_and_delete(app, supplier, world):
    backend = app.config["STORAGE_BACKEND"]
    package = make_package(world.supplier, "Zaakwijzer")
    resp = supplier.post("/schermafbeeldingen/add", data={
        "csrf_token": csrf_token(supplier, "/schermafbeeldingen/add"), "package": str(package.id),
        "caption": "Dashboard", "upload": (io.BytesIO(image_bytes("JPEG", size=(1200, 800))), "scherm.jpg")},
        content_type="multipart/form-data")
    assert resp.status_code == 302
    shot = db.session.scalars(select(Screenshot)).one()
    token = shot.file.token
    assert _where(app, token) == backend
    served = app.test_client().get(f"/schermafbeeldingbestanden/{token}")
    assert served.status_code == 200 and served.mimetype == "image/jpeg" and served.data.startswith(b"\xff\xd8")

    resp = supplier.post(f"/schermafbeeldingen/delete/{shot.id}",
                         data={"csrf_token": csrf_token(supplier, "/schermafbeeldingen/add")})
    assert resp.status_code == 302
    assert _where(app, token) is None
    assert app.test_client().get(f"/schermafbeeldingbestanden/{token}").status_code == 404


def test_private_document_is_streamed_to_its_owner_only_and_deleted(app, supplier, world):
    backend = app.config["STORAGE_BACKEND"]
    package = make_package(world.supplier, "Zaakwijzer")
    data = {"csrf_token": csrf_token(supplier, "/pakketdocumenten/add"), "package": str(package.id),
            "title": "Pentest 2025", "url": "", "audience": "iedereen", "kind": "pentest",
            "upload": (io.BytesIO(pdf_bytes("Pentest")), "pentest.pdf")}
    assert supplier.post("/pakketdocumenten/add", data=data, content_type="multipart/form-data").status_code == 302
    doc = db.session.scalars(select(PackageDocument)).one()
    token = doc.file.token
    assert doc.file.public is False and _where(app, token) == backend
    # waiting for VNG's review: not for visitors, but for the supplier itself
    assert app.test_client().get(f"/documentbestanden/{token}").status_code == 404
    assert app.test_client().get(f"/bestanden/{token}").status_code == 404
    own = supplier.get(f"/documentbestanden/{token}")
    assert own.status_code == 200 and own.data.startswith(b"%PDF-")
    assert own.headers["Content-Disposition"].startswith("attachment;")

    resp = supplier.post(f"/pakketdocumenten/delete/{doc.id}",
                         data={"csrf_token": csrf_token(supplier, "/pakketdocumenten/add")})
    assert resp.status_code == 302
    assert _where(app, token) is None
    assert supplier.get(f"/documentbestanden/{token}").status_code == 404


def test_unchanged_file_answers_304_and_missing_bytes_404(app, world):
    checked = files.validate_image(image_bytes(), "logo.png")
    stored = files.store(db.session, checked, world.supplier.id, kind="logo", public=True)
    db.session.commit()
    client = app.test_client()
    first = client.get(f"/bestanden/{stored.token}")
    assert first.status_code == 200 and first.headers.get("ETag")
    again = client.get(f"/bestanden/{stored.token}", headers={"If-None-Match": first.headers["ETag"]})
    assert again.status_code == 304 and again.data == b""
    files.storage().delete(stored.token)  # row without bytes (e.g. a lost volume): 404, not 500
    assert client.get(f"/bestanden/{stored.token}").status_code == 404


def test_storage_interface_round_trip(app):
    storage = files.storage()
    assert storage.name == app.config["STORAGE_BACKEND"] and storage.check() is None
    assert storage.read("nooit-geschreven") is None and not storage.exists("nooit-geschreven")
    storage.write("sleutel-1", b"inhoud", "application/octet-stream")
    assert storage.exists("sleutel-1") and storage.read("sleutel-1") == b"inhoud"
    storage.delete("sleutel-1")
    storage.delete("sleutel-1")  # twice: no error
    assert storage.read("sleutel-1") is None
    with pytest.raises(ValueError):
        storage.write("../buiten", b"x", "text/plain")


# --- S3 only ----------------------------------------------------------------------------


def _s3(s3_server, **extra):
    return {"STORAGE_BACKEND": "s3", "S3_BUCKET": S3_TEST_BUCKET, "S3_ENDPOINT_URL": s3_server,
            "S3_ACCESS_KEY_ID": "test", "S3_SECRET_ACCESS_KEY": "test", "S3_REGION": "us-east-1", **extra}


@pytest.mark.parametrize("storage_settings", ["s3"], indirect=True)
def test_public_file_may_redirect_to_the_store_private_one_never(app, world, storage_settings):
    app.config["S3_PUBLIC_REDIRECT"] = True
    logo = files.store(db.session, files.validate_image(image_bytes(), "logo.png"), world.supplier.id,
                       kind="logo", public=True)
    private = files.store(db.session, files.validate_pdf(pdf_bytes(), "p.pdf"), world.supplier.id,
                          kind="document", public=False)
    db.session.commit()
    resp = app.test_client().get(f"/bestanden/{logo.token}")
    assert resp.status_code == 302 and resp.location.startswith(app.config["S3_ENDPOINT_URL"])
    assert "X-Amz-Signature=" in resp.location and resp.headers["Cache-Control"] == "no-store"
    with urllib.request.urlopen(resp.location, timeout=10) as fetched:  # what the browser gets from the store
        assert fetched.headers["Content-Type"] == "image/png" and fetched.read().startswith(b"\x89PNG")
    owner = app.test_client()
    login(owner, world.users["aanbod"])
    streamed = owner.get(f"/bestanden/{private.token}")
    assert streamed.status_code == 200 and streamed.data.startswith(b"%PDF-")
    assert "private" in streamed.headers["Cache-Control"]
    assert app.test_client().get(f"/bestanden/{private.token}").status_code == 404


def test_unreachable_or_missing_bucket_is_reported_not_raised(s3_server):
    missing = S3Storage("bestaat-niet", endpoint_url=s3_server, access_key_id="test", secret_access_key="test",
                        region="us-east-1")
    assert "bestaat-niet" in missing.check()
    closed = S3Storage("bucket", endpoint_url="http://127.0.0.1:9", access_key_id="test",
                       secret_access_key="test", region="us-east-1", timeout=1)
    assert "niet bereikbaar" in closed.check()


def test_unknown_backend_and_bucketless_s3_are_refused_clearly(make_app):
    app = make_app()
    with app.app_context():
        with pytest.raises(StorageError, match="use 'local' or 's3'"):
            from_config({"STORAGE_BACKEND": "ftp"})
        with pytest.raises(StorageError, match="S3_BUCKET"):
            from_config({"STORAGE_BACKEND": "s3"})
