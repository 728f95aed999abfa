"""F004 packages on the pages: add and edit with every field, Dutch refusals that change nothing, the show page."""

from __future__ import annotations

import io
import re

import pytest

from core.catalogue.models import Package
from core.contacts import ContactPerson
from core.extensions import db
from core.files import StoredFile, storage_dir
from tests.f002.conftest import image_bytes, pdf_bytes
from tests.f004.conftest import make_concept, make_module, make_package, make_version, package_form
from tests.support.actors import login


@pytest.fixture
def supplier(app, world):
    client = app.test_client()
    login(client, world.users["aanbod"])
    return client


def _packages():
    db.session.expire_all()
    return db.session.query(Package).order_by(Package.id).all()


def _text(resp) -> str:
    return resp.get_data(as_text=True)


def test_supplier_adds_a_complete_package_and_sees_it_on_the_show_page(supplier, world):
    zaak = make_concept("Zaakregistratiecomponent")
    make_concept("Documentregistratiecomponent")
    contact = ContactPerson(organisation_id=world.supplier.id, name="Els de Boer", role="Accountmanager",
                            email="els@ictsolutions.example")
    db.session.add(contact)
    db.session.commit()
    form = package_form(
        supplier, "/pakketten/add", name="Zaakwerk", short_description="Zaakgericht werken voor gemeenten",
        long_description="## Functies\n\n**Snel** zaken <script>alert(1)</script> [x](javascript:alert(2))",
        website="https://zaakwerk.example", contact_person=str(contact.id), referentiecomponenten=[str(zaak.id)],
        cloud_models=["saas", "hybride"], cloud_provider="Eigen datacenter", data_location="nl",
        licence_type="open_source", licence_spdx="EUPL-1.2", demo_video_url="https://video.example/demo",
        logo_upload=(io.BytesIO(image_bytes("PNG")), "logo.png"))
    resp = supplier.post("/pakketten/add", data=form, content_type="multipart/form-data")
    assert resp.status_code == 302, _text(resp)[:3000]
    [package] = _packages()
    assert package.organisation_id == world.supplier.id and package.status == "concept"
    assert package.cloud_models == "saas,hybride" and package.data_location == "nl"
    assert (package.licence_type, package.licence_spdx) == ("open_source", "EUPL-1.2")
    assert [rc.name for rc in package.referentiecomponenten] == ["Zaakregistratiecomponent"]
    assert package.contact_person_id == contact.id
    assert package.logo.content_type == "image/png" and package.logo.organisation_id == world.supplier.id
    assert "zaakwerk" in package.search_text and "ict solutions" in package.search_text

    page = _text(supplier.get(f"/pakketten/show/{package.id}"))
    for shown in ("Zaakwerk", "Zaakgericht werken voor gemeenten", "https://zaakwerk.example", "Els de Boer",
                  "SaaS, Hybride", "Eigen datacenter", "Nederland", "Open source", "EUPL-1.2",
                  "https://video.example/demo", "Hostingmodellen", "Licentievorm", "Datalocatie",
                  f'href="/gemma/referentiecomponenten/{zaak.object_id}"', "<strong>Snel</strong>",
                  "Modules", "Versies", "Logo van Zaakwerk"):
        assert shown in page, shown
    assert "<script>alert(1)" not in page and "javascript:alert(2)" not in page
    assert supplier.get(f"/gemma/referentiecomponenten/{zaak.object_id}").status_code == 200


@pytest.mark.parametrize("fields,field_message", [
    ({"licence_type": "open_source"}, "Kies bij open source de SPDX-licentie."),
    ({"licence_type": "proprietary", "licence_spdx": "MIT"}, "Een SPDX-licentie hoort alleen bij open source"),
    ({"licence_spdx": "MIT"}, "Een SPDX-licentie hoort alleen bij open source"),
    ({"licence_type": "open_source", "licence_spdx": "WTFPL"}, "Kies een waarde uit de lijst."),
    ({"website": "javascript:alert(1)"}, "Vul een volledig webadres in, met https://."),
    ({"website": "ftp://bestanden.example"}, "Een webadres begint met https:// of http://."),
    ({"demo_video_url": "geen adres"}, "Vul een volledig webadres in, met https://."),
    ({"short_description": "x" * 256}, "Maximaal 255 tekens."),
    ({"name": ""}, "Vul de naam van het pakket in."),
    ({"cloud_models": ["mainframe"]}, "Kies alleen hostingmodellen uit de lijst."),
    ({"data_location": "mars"}, "Kies een waarde uit de lijst."),
])
def test_bad_package_input_gets_a_dutch_message_and_changes_nothing(supplier, fields, field_message):
    resp = supplier.post("/pakketten/add", data=package_form(supplier, "/pakketten/add", **fields))
    assert resp.status_code == 200 and field_message in _text(resp)
    assert _packages() == []


def test_open_source_with_spdx_and_proprietary_without_are_accepted(supplier):
    for name, licence in (("Open", {"licence_type": "open_source", "licence_spdx": "MIT"}),
                          ("Gesloten", {"licence_type": "proprietary"})):
        resp = supplier.post("/pakketten/add", data=package_form(supplier, "/pakketten/add", name=name, **licence))
        assert resp.status_code == 302
    assert [(p.name, p.licence_spdx) for p in _packages()] == [("Open", "MIT"), ("Gesloten", None)]


def _bomb() -> bytes:
    from PIL import Image

    out = io.BytesIO()
    Image.new("1", (12000, 12000)).save(out, "PNG")  # 144 megapixels in a few kB
    return out.getvalue()


SVG = b'<svg xmlns="http://www.w3.org/2000/svg" onload="alert(1)"><rect width="10" height="10"/></svg>'


@pytest.mark.parametrize("content,name,message", [
    (b"gewoon tekst, geen afbeelding", "logo.txt", "geen geldige PNG-, JPEG- of WebP-afbeelding"),
    (pdf_bytes(), "logo.png", "geen geldige PNG-, JPEG- of WebP-afbeelding"),
    (SVG, "logo.svg", "geen geldige PNG-, JPEG- of WebP-afbeelding"),
    (b"\x89PNG" + b"0" * (1024 * 1024 + 10), "groot.png", "te groot: maximaal 1 MB"),
    (_bomb(), "bom.png", "te veel pixels"),
    (image_bytes("GIF"), "logo.gif", "geen geldige PNG-, JPEG- of WebP-afbeelding"),
])
def test_refused_logo_uploads_change_nothing(supplier, world, content, name, message):
    package = make_package(world.supplier, name="Zaakwerk")
    path = f"/pakketten/edit/{package.id}"
    data = package_form(supplier, path, name="Andere naam", logo_upload=(io.BytesIO(content), name))
    resp = supplier.post(path, data=data, content_type="multipart/form-data")
    assert resp.status_code == 200 and message in _text(resp)
    assert [p.name for p in _packages()] == ["Zaakwerk"]
    assert db.session.query(StoredFile).count() == 0
    # on the add form just the same
    data = package_form(supplier, "/pakketten/add", name="Nieuw", logo_upload=(io.BytesIO(content), name))
    resp = supplier.post("/pakketten/add", data=data, content_type="multipart/form-data")
    assert resp.status_code == 200 and message in _text(resp)
    assert len(_packages()) == 1 and db.session.query(StoredFile).count() == 0


def test_logo_is_replaced_and_removed(supplier, world):
    package = make_package(world.supplier, name="Zaakwerk")
    path = f"/pakketten/edit/{package.id}"
    supplier.post(path, data=package_form(supplier, path, name="Zaakwerk",
                                          logo_upload=(io.BytesIO(image_bytes("PNG")), "a.png")),
                  content_type="multipart/form-data")
    first = _packages()[0].logo.token
    supplier.post(path, data=package_form(supplier, path, name="Zaakwerk",
                                          logo_upload=(io.BytesIO(image_bytes("JPEG")), "b.jpg")),
                  content_type="multipart/form-data")
    second = _packages()[0].logo
    second_token = second.token
    assert second_token != first and second.content_type == "image/jpeg"
    assert not (storage_dir() / first).exists() and db.session.query(StoredFile).count() == 1
    supplier.post(path, data=package_form(supplier, path, name="Zaakwerk", remove_logo="y"),
                  content_type="multipart/form-data")
    assert _packages()[0].logo is None and db.session.query(StoredFile).count() == 0
    assert not (storage_dir() / second_token).exists()


def test_classification_offers_current_concepts_and_keeps_one_that_left_gemma(supplier, world):
    current = make_concept("Zaakregistratiecomponent")
    gone = make_concept("Oude componenten", in_release=False)
    add_page = _text(supplier.get("/pakketten/add"))
    assert "Zaakregistratiecomponent" in add_page and "Oude componenten" not in add_page
    assert "my_select2" in add_page and "Zoek en kies referentiecomponenten" in add_page
    # a concept that left GEMMA can not be chosen anew
    resp = supplier.post("/pakketten/add", data=package_form(supplier, "/pakketten/add",
                                                               referentiecomponenten=[str(gone.id)]))
    assert resp.status_code == 200 and "Kies referentiecomponenten uit de lijst." in _text(resp)
    assert _packages() == []

    package = make_package(world.supplier, name="Zaakwerk")
    package.referentiecomponenten = [current, gone]
    db.session.commit()
    path = f"/pakketten/edit/{package.id}"
    edit_page = _text(supplier.get(path))
    assert "Oude componenten (niet meer in GEMMA)" in edit_page
    resp = supplier.post(path, data=package_form(supplier, path, name="Zaakwerk 2",
                                                 referentiecomponenten=[str(current.id), str(gone.id)]))
    assert resp.status_code == 302
    package = _packages()[0]
    assert package.name == "Zaakwerk 2" and {rc.name for rc in package.referentiecomponenten} == {
        "Zaakregistratiecomponent", "Oude componenten"}
    show = _text(supplier.get(f"/pakketten/show/{package.id}"))
    assert re.search(r"Oude componenten</a>\s*<strong[^>]*>\(niet meer in GEMMA\)", show)


def test_the_supplier_sees_which_referentiecomponenten_left_gemma_or_gemma_no_longer_supports(supplier, world):
    current = make_concept("Zaakregistratiecomponent")
    old = make_concept("Verouderde component")
    old.gemma_status = "Einde ondersteuning"
    gone = make_concept("Oude componenten", in_release=False)
    package = make_package(world.supplier, name="Zaakwerk")
    package.referentiecomponenten = [current, old, gone]
    db.session.commit()
    show = _text(supplier.get(f"/pakketten/show/{package.id}"))
    start = show.index('id="referentiecomponenten"')
    section = show[start:show.index("</ul>", start)]
    assert re.search(r"Verouderde component</a>\s*<strong[^>]*>\(einde ondersteuning\)</strong>", section)
    assert re.search(r"Oude componenten</a>\s*<strong[^>]*>\(niet meer in GEMMA\)</strong>", section)
    assert re.search(r"Zaakregistratiecomponent</a></li>", section)  # in use: no marker
    # The choice in the form says it too.
    edit_page = _text(supplier.get(f"/pakketten/edit/{package.id}"))
    assert "Verouderde component (einde ondersteuning)" in edit_page
    assert "Oude componenten (niet meer in GEMMA)" in edit_page


def test_contact_person_choices_are_only_the_own_organisations(supplier, world):
    db.session.add_all([ContactPerson(organisation_id=world.supplier.id, name="Eigen Persoon"),
                        ContactPerson(organisation_id=world.other_supplier.id, name="Vreemde Persoon")])
    db.session.commit()
    page = _text(supplier.get("/pakketten/add"))
    assert "Eigen Persoon" in page and "Vreemde Persoon" not in page


def test_show_page_lists_modules_and_versions_with_add_links_for_the_package(supplier, world):
    package = make_package(world.supplier, name="Zaakwerk")
    other = make_package(world.supplier, name="Ander pakket")
    make_module(package, "Burgerzaken")
    make_module(other, "Niet van dit pakket")
    make_version(package, "4.2", status="in_gebruik")
    page = _text(supplier.get(f"/pakketten/show/{package.id}"))
    assert "Burgerzaken" in page and "4.2" in page and "In gebruik" in page
    assert "Niet van dit pakket" not in page
    assert f"/modules/add?_flt_0_package={package.id}" in page
    assert f"/versies/add?_flt_0_package={package.id}" in page
    # the add form from that link is for this package
    resp = supplier.get(f"/modules/add?_flt_0_package={package.id}")
    assert resp.status_code == 200


def test_delete_removes_package_with_its_modules_versions_and_logo(supplier, world):
    package = make_package(world.supplier, name="Weg ermee")
    path = f"/pakketten/edit/{package.id}"
    supplier.post(path, data=package_form(supplier, path, name="Weg ermee",
                                          logo_upload=(io.BytesIO(image_bytes("PNG")), "a.png")),
                  content_type="multipart/form-data")
    token = _packages()[0].logo.token
    make_module(package)
    make_version(package)
    from tests.support.actors import csrf_token

    resp = supplier.post(f"/pakketten/delete/{package.id}",
                         data={"csrf_token": csrf_token(supplier, f"/pakketten/edit/{package.id}")})
    assert resp.status_code == 302 and _packages() == []
    assert db.session.query(StoredFile).count() == 0 and not (storage_dir() / token).exists()
    from core.catalogue.models import Module, Version

    assert db.session.query(Module).count() == 0 and db.session.query(Version).count() == 0
