"""F011 package page (shop window): everything of the package, documents per viewer, the number
of municipalities without names, and who may see unpublished packages."""

from __future__ import annotations

import datetime as dt
import secrets

import pytest

from core.catalogue.models import Module, PackageDocument, Screenshot
from core.contacts import ContactPerson
from core.extensions import db
from core.files import StoredFile
from tests.f011 import factory as f
from tests.support.actors import login


def stored(org, kind: str, content_type: str = "image/png", public: bool = True) -> StoredFile:
    row = StoredFile(token=secrets.token_urlsafe(16), organisation_id=org.id, kind=kind, content_type=content_type,
                     size=10, public=public, original_name=f"{kind}.png")
    db.session.add(row)
    db.session.commit()
    return row


def page_of(client, package, status: int = 200) -> str:
    resp = client.get(f"/catalogus/pakketten/{package.public_id}")
    assert resp.status_code == status
    return resp.get_data(as_text=True)


@pytest.fixture
def shop_window(shop, world):
    a = shop.a
    contact = ContactPerson(organisation_id=world.supplier.id, name="Karin de Vries", role="Accountmanager",
                            email="karin@ictsolutions.example")
    db.session.add(contact)
    a.contact_person = contact
    a.website = "https://esuite.example"
    a.demo_video_url = "https://video.example/esuite"
    a.long_description = ("Zaken **snel** afhandelen.\n\n<script>alert('x')</script>\n\n"
                          "[klik](javascript:alert(1)) en [handleiding](https://docs.example/esuite)")
    a.data_location = "nl"
    a.cloud_provider = "Fictieve Cloud NL"
    a.logo = stored(world.supplier, "logo")
    db.session.add(Module(organisation_id=world.supplier.id, package_id=a.id, name="Burgerportaal",
                          description="Zaken volgen voor inwoners"))
    db.session.add(Screenshot(organisation_id=world.supplier.id, package_id=a.id, position=1,
                              file=stored(world.supplier, "screenshot"), caption="Overzicht van lopende zaken"))
    db.session.add(Screenshot(organisation_id=world.supplier.id, package_id=a.id, position=2,
                              file=stored(world.supplier, "screenshot")))
    db.session.commit()
    f.version(a, "4.2", status="in_gebruik", start_distribution=dt.date(2026, 3, 1))
    f.version(a, "5.0", status="in_ontwikkeling", start_development=dt.date(2026, 9, 15))
    docs = {
        "handleiding": PackageDocument(organisation_id=world.supplier.id, package_id=a.id, kind="handleiding",
                                       title="Gebruikershandleiding", file=stored(world.supplier, "document",
                                                                                 "application/pdf", False)),
        "dpia": PackageDocument(organisation_id=world.supplier.id, package_id=a.id, kind="dpia",
                                title="DPIA-criteria e-Suite", url="https://dpia.example", review_status="concept"),
        "vo": PackageDocument(organisation_id=world.supplier.id, package_id=a.id, kind="verwerkersovereenkomst",
                              title="Verwerkersovereenkomst e-Suite", url="https://vo.example",
                              audience="gemeenten"),
        "pentest": PackageDocument(organisation_id=world.supplier.id, package_id=a.id, kind="pentest",
                                   title="Pentest 2026", url="https://pentest.example", review_status="afgewezen"),
    }
    db.session.add_all(docs.values())
    db.session.commit()
    return docs


def test_package_page_shows_everything_of_the_package(client, shop, shop_window, world):
    page = page_of(client, shop.a)
    assert page.count("<h1") == 1 and "e-Suite" in page
    assert f'<a href="/leveranciers/{world.supplier.id}">ICT Solutions BV</a>' in page
    assert "Zaakgericht werken voor gemeenten" in page
    assert "<strong>snel</strong>" in page and "<script>alert" not in page and "javascript:" not in page
    assert 'href="https://docs.example/esuite"' in page
    assert 'href="https://esuite.example"' in page and 'href="https://video.example/esuite"' in page
    assert "Karin de Vries" in page and "karin@ictsolutions.example" in page
    assert 'alt="Logo van e-Suite"' in page and f"/bestanden/{shop.a.logo.token}" in page
    assert "Burgerportaal" in page and "Zaken volgen voor inwoners" in page
    assert "<td>4.2</td><td>In gebruik</td>" in page and "01-03-2026" in page
    assert "<td>5.0</td><td>In ontwikkeling</td>" in page and "15-09-2026" in page
    assert f'href="/gemma/referentiecomponenten/{shop.zaak.object_id}">Zaakafhandelcomponent</a>' in page
    assert "ZGW API&#39;s 1.0" in page and 'href="https://bewijs.example/ZGW-API&#39;s-1.0"' in page
    assert "SaaS" in page and "Fictieve Cloud NL" in page and "Nederland" in page and "Gesloten bron" in page
    # screenshots: accessible names, reachable by keyboard (links)
    assert 'alt="Overzicht van lopende zaken"' in page and 'alt="Schermafbeelding 2 van e-Suite"' in page
    assert page.count('<a href="/bestanden/') >= 2
    # services on it, by whom; not those of an unapproved supplier
    assert "Hosting van e-Suite" in page and "Technisch beheer / hosting" in page and "Concurrent BV" in page
    assert "Dienst van onbekende" not in page_of(client, shop.b)


@pytest.mark.parametrize("who", [None, "aanbod", "aanbod_other", "gebruik", "vng", "fb"])
def test_municipality_count_without_names_for_everybody(app, shop, world, who):
    client = app.test_client()
    if who:
        login(client, world.users[who])
    page = page_of(client, shop.a)
    assert "<strong>2</strong> gemeenten gebruiken dit pakket." in page
    assert "Voorbeeldstad" not in page and "Andersdorp" not in page
    page = page_of(client, shop.b)  # the phased-out usage does not count
    assert "<strong>1</strong> gemeente gebruikt dit pakket." in page and "Voorbeeldstad" not in page
    page = page_of(client, shop.c)  # a samenwerking is no municipality
    assert "<strong>0</strong> gemeenten gebruiken dit pakket." in page and "Samen Sterk" not in page


@pytest.mark.parametrize("who, visible", [
    (None, {"Gebruikershandleiding"}),
    ("aanbod_other", {"Gebruikershandleiding"}),
    ("gebruik", {"Gebruikershandleiding", "Verwerkersovereenkomst e-Suite"}),
    ("raadpleger", {"Gebruikershandleiding", "Verwerkersovereenkomst e-Suite"}),
    ("aanbod", {"Gebruikershandleiding", "Verwerkersovereenkomst e-Suite", "DPIA-criteria e-Suite", "Pentest 2026"}),
    ("vng", {"Gebruikershandleiding", "Verwerkersovereenkomst e-Suite", "DPIA-criteria e-Suite", "Pentest 2026"}),
    ("fb", {"Gebruikershandleiding", "Verwerkersovereenkomst e-Suite", "DPIA-criteria e-Suite", "Pentest 2026"}),
])
def test_documents_visible_to_this_viewer_only(app, shop, shop_window, world, who, visible):
    client = app.test_client()
    if who:
        login(client, world.users[who])
    page = page_of(client, shop.a)
    section = page[page.index('id="kop-documenten"'):]
    shown = {title for title in ("Gebruikershandleiding", "Verwerkersovereenkomst e-Suite", "DPIA-criteria e-Suite",
                                 "Pentest 2026") if title in section}
    assert shown == visible
    doc = shop_window["handleiding"]
    token = db.session.get(StoredFile, doc.file_id).token
    assert f'href="/documentbestanden/{token}"' in section  # the file is served by F004's route
    urls = {"Verwerkersovereenkomst e-Suite": "https://vo.example", "DPIA-criteria e-Suite": "https://dpia.example",
            "Pentest 2026": "https://pentest.example"}
    for title, url in urls.items():
        assert (url in section) == (title in visible)
    if "DPIA-criteria e-Suite" in visible:  # the owner and VNG see the review state
        assert "(Wacht op beoordeling)" in section and "(Afgewezen)" in section


def test_unpublished_packages_are_404_except_for_owner_and_vng_with_a_banner(app, shop, world):
    anonymous = app.test_client()
    assert "Niet gepubliceerd" not in page_of(anonymous, shop.a)
    for package in (shop.concept, shop.pending):
        page_of(anonymous, package, 404)
    for who, _own, status in (("aanbod_other", False, 404), ("gebruik", False, 404), ("aanbod", True, 200),
                             ("vng", True, 200), ("fb", True, 200)):
        client = app.test_client()
        login(client, world.users[who])
        page = page_of(client, shop.concept, status)
        if status == 200:
            assert "Niet gepubliceerd." in page and "Geheim Concept" in page
    # a published package of a supplier that is not approved yet: VNG previews it, others get 404
    vng = app.test_client()
    login(vng, world.users["vng"])
    page = page_of(vng, shop.pending)
    assert "Niet gepubliceerd." in page and "de leverancier is nog niet goedgekeurd" in page
    owner = app.test_client()
    login(owner, world.users["aanbod"])
    page_of(owner, shop.pending, 404)


@pytest.mark.parametrize("path", ["/catalogus/pakketten/999999", "/catalogus/pakketten/x%3Cy%3E",
                                  "/catalogus/pakketten/" + "a" * 500])
def test_unknown_packages_are_404(client, shop, path):
    assert client.get(path).status_code == 404
