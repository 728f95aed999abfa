"""F004 screenshots: checked images, at most 12 per package, ordering by POST, files removed with the row."""

from __future__ import annotations

import io

import pytest
from PIL import Image
from sqlalchemy import select

from core import files
from core.catalogue.models import Screenshot
from core.extensions import db
from core.files import StoredFile
from tests.f004.support import bomb_png, image_bytes, make_package, make_screenshot, pdf_bytes, svg_bytes
from tests.support.actors import csrf_token, login


@pytest.fixture
def supplier(app, world):
    client = app.test_client()
    login(client, world.users["aanbod"])
    return client


def _shots(package_id=None):
    db.session.expire_all()
    query = select(Screenshot).order_by(Screenshot.position, Screenshot.id)
    if package_id is not None:
        query = query.where(Screenshot.package_id == package_id)
    return db.session.scalars(query).all()


def _add(client, package, content=None, name="scherm.png", caption="Overzicht"):
    data = {"csrf_token": csrf_token(client, "/schermafbeeldingen/add"), "package": str(package.id),
            "caption": caption}
    if content is not None:
        data["upload"] = (io.BytesIO(content), name)
    return client.post("/schermafbeeldingen/add", data=data, content_type="multipart/form-data")


def test_screenshot_is_scaled_reencoded_stored_public_and_shown(supplier, app, world):
    package = make_package(world.supplier, "Zaakwijzer")
    resp = _add(supplier, package, image_bytes("JPEG", size=(3200, 1800)), "scherm.jpg", "Dashboard")
    assert resp.status_code == 302
    [shot] = _shots()
    assert shot.caption == "Dashboard" and shot.file.public and shot.organisation_id == world.supplier.id
    served = app.test_client().get(f"/schermafbeeldingbestanden/{shot.file.token}")
    assert served.status_code == 200 and served.mimetype == "image/jpeg"
    image = Image.open(io.BytesIO(served.data))
    assert max(image.size) == 1600 and "exif" not in image.info
    listing = supplier.get(f"/schermafbeeldingen/list/?_flt_0_package={package.id}").get_data(as_text=True)
    assert "Dashboard" in listing and "Volgorde aanpassen" in listing


def test_screenshot_of_a_concept_package_is_not_served_to_others(app, world):
    package = make_package(world.supplier, "Zaakwijzer", status="concept")
    shot = make_screenshot(package, "Geheim scherm")
    (files.storage_dir() / shot.file.token).write_bytes(image_bytes())
    assert app.test_client().get(f"/schermafbeeldingbestanden/{shot.file.token}").status_code == 404
    owner = app.test_client()
    login(owner, world.users["aanbod"])
    assert owner.get(f"/schermafbeeldingbestanden/{shot.file.token}").status_code == 200


BAD = {
    "pdf-als-png": (pdf_bytes(), "scherm.png", "geen geldige PNG-, JPEG- of WebP-afbeelding"),
    "svg": (svg_bytes(), "scherm.svg", "geen geldige PNG-, JPEG- of WebP-afbeelding"),
    "html-als-jpg": (b"<html><script>alert(1)</script></html>", "scherm.jpg", "geen geldige PNG-, JPEG- of WebP"),
    "te-groot": (image_bytes("PNG") + b"\0" * (1024 * 1024), "groot.png", "te groot: maximaal 1 MB"),
    "decompressiebom": (bomb_png(), "bom.png", "te veel pixels"),
    "afgekapt": (image_bytes("PNG")[:200], "kapot.png", "geen geldige PNG-, JPEG- of WebP-afbeelding"),
}


@pytest.mark.parametrize("name", list(BAD))
def test_bad_images_are_refused_in_dutch_and_store_nothing(supplier, world, name):
    package = make_package(world.supplier)
    before = db.session.query(StoredFile).count()
    content, filename, message = BAD[name]
    resp = _add(supplier, package, content, filename)
    assert message in resp.get_data(as_text=True)
    assert _shots() == [] and db.session.query(StoredFile).count() == before


def test_new_screenshots_go_to_the_end(supplier, world):
    package = make_package(world.supplier)
    for caption in ("Eerste", "Tweede", "Derde"):
        assert _add(supplier, package, image_bytes(), caption=caption).status_code == 302
    assert [(s.caption, s.position) for s in _shots(package.id)] == [("Eerste", 0), ("Tweede", 1), ("Derde", 2)]


def test_image_is_required(supplier, world):
    package = make_package(world.supplier)
    resp = _add(supplier, package, None)
    assert "Kies een afbeelding (PNG, JPEG of WebP)." in resp.get_data(as_text=True)
    assert _shots() == []


def test_at_most_twelve_screenshots_per_package(supplier, world):
    package = make_package(world.supplier)
    for i in range(12):
        make_screenshot(package, f"Scherm {i}", position=i)
    resp = _add(supplier, package, image_bytes())
    assert "Een pakket heeft maximaal 12 schermafbeeldingen." in resp.get_data(as_text=True)
    assert len(_shots()) == 12


def test_move_up_and_down_by_post_and_by_number(supplier, world):
    package = make_package(world.supplier)
    a, b, c = (make_screenshot(package, name, position=i) for i, name in enumerate("ABC"))
    token = csrf_token(supplier, "/schermafbeeldingen/add")
    resp = supplier.post(f"/schermafbeeldingen/verplaatsen/{c.id}", data={"csrf_token": token, "direction": "up"})
    assert resp.status_code == 302
    assert [s.caption for s in _shots(package.id)] == ["A", "C", "B"]
    supplier.post(f"/schermafbeeldingen/verplaatsen/{a.id}", data={"csrf_token": token, "direction": "down"})
    assert [s.caption for s in _shots(package.id)] == ["C", "A", "B"]
    # at the top already: nothing changes
    resp = supplier.post(f"/schermafbeeldingen/verplaatsen/{c.id}", data={"csrf_token": token, "direction": "up"},
                         follow_redirects=True)
    assert "staat al bovenaan" in resp.get_data(as_text=True)
    # without CSRF or by GET: refused, nothing changes
    supplier.post(f"/schermafbeeldingen/verplaatsen/{b.id}", data={"direction": "up"})
    assert supplier.get(f"/schermafbeeldingen/verplaatsen/{b.id}").status_code == 405
    assert [s.caption for s in _shots(package.id)] == ["C", "A", "B"]
    # by number on the edit form, counted from 1 as people do (0 is refused)
    path = f"/schermafbeeldingen/edit/{b.id}"
    assert 'value="3"' in supplier.get(path).get_data(as_text=True)  # B is third
    resp = supplier.post(path, data={"csrf_token": csrf_token(supplier, path), "package": str(package.id),
                                     "caption": "B", "position": "0"}, content_type="multipart/form-data")
    assert "Vul een getal van 1 tot 100 in." in resp.get_data(as_text=True)
    assert [s.caption for s in _shots(package.id)] == ["C", "A", "B"]
    supplier.post(path, data={"csrf_token": csrf_token(supplier, path), "package": str(package.id), "caption": "B",
                              "position": "1"}, content_type="multipart/form-data")
    assert _shots(package.id)[0].caption in ("B", "C") and db.session.get(Screenshot, b.id).position == 0


def test_other_supplier_cannot_move_a_screenshot(app, world):
    package = make_package(world.supplier)
    make_screenshot(package, "A", 0)
    b = make_screenshot(package, "B", 1)
    other = app.test_client()
    login(other, world.users["aanbod_other"])
    other.post(f"/schermafbeeldingen/verplaatsen/{b.id}",
               data={"csrf_token": csrf_token(other, "/schermafbeeldingen/add"), "direction": "up"})
    assert [s.caption for s in _shots(package.id)] == ["A", "B"]


def test_deleting_removes_the_stored_file(supplier, world):
    package = make_package(world.supplier)
    _add(supplier, package, image_bytes())
    [shot] = _shots()
    token, path = shot.file.token, files.storage_dir() / shot.file.token
    assert path.is_file()
    resp = supplier.post(f"/schermafbeeldingen/delete/{shot.id}",
                         data={"csrf_token": csrf_token(supplier, "/schermafbeeldingen/add")})
    assert resp.status_code == 302
    assert _shots() == [] and not path.exists()
    assert db.session.scalar(select(StoredFile).where(StoredFile.token == token)) is None
