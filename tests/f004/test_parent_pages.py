"""Issue 10.1: a package's module, version, claim, document or screenshot returns to its tab on the package's page.

Whatever page was seen before (none, or an unrelated one): the redirect goes to the package's tab, the
message names the package, the form says which package it belongs to, with a breadcrumb and Annuleren.
"""

from __future__ import annotations

import io
import re

import pytest

from core.catalogue.models import Module, PackageDocument, Screenshot, StandardClaim, Version
from core.extensions import db
from tests.f004.conftest import make_module, make_package, make_version, version_form
from tests.f004.support import (
    _version,
    image_bytes,
    make_claim,
    make_document,
    make_screenshot,
    make_standard,
    version_of,
)
from tests.support.actors import csrf_token, login

PACKAGE = "Zaakwijs Zaken"


@pytest.fixture
def supplier(app, world):
    client = app.test_client()
    login(client, world.users["aanbod"])
    return client


@pytest.fixture
def package(world):
    return make_package(world.supplier, name=PACKAGE)


def _claim_fields(package):
    version = _version()
    db.session.commit()
    return {"standaardversie": str(version.id), "evidence_url": "https://bewijs.example/stuf", "note": ""}


# route, tab (the view's class name), word in messages and titles, form fields, existing row
CHILDREN = {
    "module": ("/modules", "ModuleView", "De module", "Module", lambda p: {"name": "Burgerzaken", "description": ""},
               lambda p: make_module(p, "Bestaand"), Module),
    "versie": ("/versies", "VersionView", "De versie", "Versie", None, lambda p: make_version(p, "0.9"), Version),
    "standaardclaim": ("/standaardclaims", "StandardClaimView", "De standaardclaim", "Standaardclaim",
                       _claim_fields, lambda p: make_claim(p, version_of(make_standard("StUF"))), StandardClaim),
    "document": ("/pakketdocumenten", "PackageDocumentView", "Het document", "Document",
                 lambda p: {"kind": "casestudy", "title": "Casus", "url": "https://docs.example/c",
                            "audience": "iedereen"},
                 lambda p: make_document(p, "Handleiding"), PackageDocument),
    "schermafbeelding": ("/schermafbeeldingen", "ScreenshotView", "De schermafbeelding", "Schermafbeelding",
                         lambda p: {"caption": "Overzicht",
                                    "upload": (io.BytesIO(image_bytes("PNG", (40, 30))), "scherm.png")},
                         lambda p: make_screenshot(p, "Bestaand"), Screenshot),
}


def _fields(kind, client, path, package):
    route, _tab, _word, _title, fields, _make, _model = CHILDREN[kind]
    if kind == "versie":
        return version_form(client, path, name="2.0")
    return dict(fields(package), csrf_token=csrf_token(client, path))


def _tab(package, kind) -> str:
    return f"/pakketten/show/{package.id}#{CHILDREN[kind][1]}"


def _post(client, path, data):
    return client.post(path, data=data, content_type="multipart/form-data")


@pytest.mark.parametrize("kind", CHILDREN)
def test_add_from_the_tab_link_opened_directly_returns_to_the_tab(supplier, package, kind):
    route, tab, word, title, *_ = CHILDREN[kind]
    path = f"{route}/add?_flt_0_package={package.id}"  # the tab's add link, opened without a page before it
    page = supplier.get(path).get_data(as_text=True)
    assert f"<h1>{title} toevoegen aan {PACKAGE}</h1>" in page
    assert 'aria-label="Kruimelpad"' in page and f'href="{_tab(package, kind)}">{PACKAGE}</a>' in page
    assert f'href="{_tab(package, kind)}">Annuleren</a>' in page
    resp = _post(supplier, path, _fields(kind, supplier, path, package))
    assert resp.status_code == 302, resp.get_data(as_text=True)[:2000]
    assert resp.headers["Location"].endswith(_tab(package, kind))
    assert f"{word} is toegevoegd aan {PACKAGE}." in supplier.get(resp.headers["Location"]).get_data(as_text=True)


@pytest.mark.parametrize("kind", CHILDREN)
def test_edit_after_an_unrelated_page_returns_to_the_tab(supplier, package, kind):
    route, tab, word, title, _fields_of, make, model = CHILDREN[kind]
    row = make(package)
    supplier.get("/catalogus/")  # FAB's history would send the save there (or to "/")
    path = f"{route}/edit/{row.id}"
    page = supplier.get(path).get_data(as_text=True)
    assert f"<h1>{title} wijzigen van {PACKAGE}</h1>" in page
    assert f'href="{_tab(package, kind)}">Annuleren</a>' in page
    data = _fields(kind, supplier, path, package)
    data["package"] = str(package.id)
    if kind == "standaardclaim":
        data["standaardversie"] = str(row.standaardversie_id)
    if kind == "schermafbeelding":
        data.pop("upload")
    resp = _post(supplier, path, data)
    assert resp.status_code == 302, resp.get_data(as_text=True)[:2000]
    assert resp.headers["Location"].endswith(_tab(package, kind))
    assert f"{word} van {PACKAGE} is opgeslagen." in supplier.get(resp.headers["Location"]).get_data(as_text=True)


@pytest.mark.parametrize("kind", CHILDREN)
def test_delete_returns_to_the_tab(supplier, package, kind):
    route, tab, word, _title, _fields_of, make, model = CHILDREN[kind]
    row = make(package)
    row_id = row.id
    token = csrf_token(supplier, f"{route}/edit/{row_id}")
    resp = supplier.post(f"{route}/delete/{row_id}", data={"csrf_token": token})
    assert resp.status_code == 302 and resp.headers["Location"].endswith(_tab(package, kind))
    assert f"{word} is verwijderd uit {PACKAGE}." in supplier.get(resp.headers["Location"]).get_data(as_text=True)
    db.session.expire_all()
    assert db.session.get(model, row_id) is None


def test_add_from_the_general_list_returns_to_the_chosen_package(supplier, package, world):
    make_package(world.supplier, name="Ander pakket")
    page = supplier.get("/modules/add").get_data(as_text=True)
    assert "<h1>Module toevoegen</h1>" in page  # (no package chosen yet)
    resp = supplier.post("/modules/add", data={"csrf_token": csrf_token(supplier, "/modules/add"),
                                               "package": str(package.id), "name": "Balie"})
    assert resp.headers["Location"].endswith(_tab(package, "module"))


def test_an_external_next_is_ignored_and_a_local_one_is_honoured(supplier, package):
    for evil in ("https://evil.example/", "//evil.example/", "/\\evil.example"):
        path = f"/modules/add?_flt_0_package={package.id}&next={evil}"
        page = supplier.get(path).get_data(as_text=True)
        assert 'evil.example">Annuleren' not in page
        resp = supplier.post(path, data={"csrf_token": csrf_token(supplier, path), "name": f"M {len(evil)}"})
        assert resp.headers["Location"].endswith(_tab(package, "module")), resp.headers["Location"]
    path = f"/modules/add?_flt_0_package={package.id}&next=/pakketstandaarden/{package.id}"
    resp = supplier.post(path, data={"csrf_token": csrf_token(supplier, path), "name": "Via standaarden"})
    assert resp.headers["Location"].endswith(f"/pakketstandaarden/{package.id}")


def test_a_claim_started_on_the_standards_page_returns_there(supplier, package):
    from tests.f004.support import classify, make_rc, oblige

    rc = make_rc()
    stuf = make_standard("StUF-ZKN", versions=("3.10",))
    oblige(rc, stuf)
    classify(package, rc)
    page = supplier.get(f"/pakketstandaarden/{package.id}").get_data(as_text=True)
    link = re.search(r'href="(/standaardclaims/add\?[^"]+)"', page).group(1).replace("&amp;", "&")
    assert f"next=/pakketstandaarden/{package.id}" in link
    form = supplier.get(link).get_data(as_text=True)
    assert f'href="/pakketstandaarden/{package.id}">Annuleren</a>' in form
    resp = supplier.post(link, data={"csrf_token": csrf_token(supplier, link),
                                     "standaardversie": str(version_of(stuf).id),
                                     "evidence_url": "https://bewijs.example/stuf", "note": ""},
                         content_type="multipart/form-data")
    assert resp.status_code == 302 and resp.headers["Location"].endswith(f"/pakketstandaarden/{package.id}")
    assert f"De standaardclaim is toegevoegd aan {PACKAGE}." in supplier.get(resp.headers["Location"]).get_data(
        as_text=True)


def test_a_refused_add_for_another_suppliers_package_names_nothing_of_it(supplier, world):
    foreign = make_package(world.other_supplier, name="Geheim Pakket")
    page = supplier.get(f"/modules/add?_flt_0_package={foreign.id}").get_data(as_text=True)
    assert "Geheim Pakket" not in page
    path = f"/modules/add?_flt_0_package={foreign.id}"
    resp = supplier.post(path, data={"csrf_token": csrf_token(supplier, "/modules/add"), "name": "Inbraak"})
    assert resp.status_code in (200, 302, 400)
    if resp.status_code == 302:
        assert f"/pakketten/show/{foreign.id}" not in resp.headers["Location"]
    db.session.expire_all()
    assert db.session.query(Module).filter_by(name="Inbraak").count() == 0


def test_the_package_tabs_leave_out_the_package_column(supplier, package):
    make_module(package, "Burgerzaken")
    make_version(package, "1.0")
    page = supplier.get(f"/pakketten/show/{package.id}").get_data(as_text=True)
    assert "Burgerzaken" in page and "<th>Pakket</th>" not in page
    assert "<th>Pakket</th>" in supplier.get("/modules/list/").get_data(as_text=True)


def test_a_supplier_name_ending_in_a_full_stop_gets_no_second_one(supplier, package, world):
    world.supplier.name = "Zaakwijs B.V."
    db.session.commit()
    page = supplier.get(f"/pakketstandaarden/{package.id}").get_data(as_text=True)
    assert "Leverancier: Zaakwijs B.V. Welke" in page and "B.V.." not in page
