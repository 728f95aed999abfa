"""F002 profile: edit with logo upload, refused uploads change nothing, safe Markdown."""

from __future__ import annotations

import io
import re

import pytest
from PIL import Image

from core.contacts import ContactPerson
from core.extensions import db
from core.files import StoredFile, storage_dir
from core.models import Organisation
from plugins.f002_organisatie.models import OrganisationProfile
from tests.f002.conftest import image_bytes, pdf_bytes, profile_form
from tests.support.actors import login
from tests.support.welcome import task_link, tasks


def _edit_path(client) -> str:
    resp = client.get("/profiel/mijn")
    assert resp.status_code == 302 and "/profiel/edit/" in resp.location
    return resp.location.replace("http://localhost", "")


@pytest.fixture
def supplier(app, world):
    client = app.test_client()
    login(client, world.users["aanbod"])
    return client


def _profile(world) -> OrganisationProfile:
    db.session.expire_all()
    return db.session.query(OrganisationProfile).filter_by(organisation_id=world.supplier.id).one()


@pytest.mark.parametrize("fmt,content_type", [("PNG", "image/png"), ("JPEG", "image/jpeg"),
                                              ("WEBP", "image/webp")])
def test_supplier_saves_profile_with_logo(supplier, world, fmt, content_type):
    path = _edit_path(supplier)
    data = profile_form(supplier, path, description="Software voor gemeenten",
                        long_description="**Wij** bouwen zaaksystemen.", website="https://ictsolutions.example",
                        email="contact@ictsolutions.example", phone="030 123 45 67", street="Stationsplein 1",
                        postcode="3511 AB", city="Utrecht", support_url="https://support.ictsolutions.example",
                        manual_url="https://docs.ictsolutions.example",
                        logo=(io.BytesIO(image_bytes(fmt)), f"logo.{fmt.lower()}"))
    resp = supplier.post(path, data=data, content_type="multipart/form-data")
    assert resp.status_code == 302, resp.get_data(as_text=True)[:2000]
    profile = _profile(world)
    org = db.session.get(Organisation, world.supplier.id)
    assert (org.description, org.website, org.phone) == ("Software voor gemeenten", "https://ictsolutions.example",
                                                         "030 123 45 67")
    assert (profile.city, profile.postcode, profile.support_url) == ("Utrecht", "3511 AB",
                                                                     "https://support.ictsolutions.example")
    logo = profile.logo
    assert logo.content_type == content_type and logo.public and logo.organisation_id == org.id
    stored = (storage_dir() / logo.token).read_bytes()
    with Image.open(io.BytesIO(stored)) as image:
        assert max(image.size) <= 400 and image.format == fmt
        assert "geheime metadata" not in str(image.getexif().get(0x010E, ""))
    assert b"geheime metadata" not in stored
    # the file is served with its own type and nosniff, to anyone (public logo of an approved supplier)
    anonymous = supplier.application.test_client()
    resp = anonymous.get(f"/bestanden/{logo.token}")
    assert resp.status_code == 200 and resp.mimetype == content_type
    assert resp.headers["X-Content-Type-Options"] == "nosniff"
    assert resp.headers["Content-Disposition"].startswith("inline;")


def test_new_logo_replaces_the_old_file(supplier, world):
    path = _edit_path(supplier)
    supplier.post(path, data=profile_form(supplier, path, logo=(io.BytesIO(image_bytes()), "a.png")),
                  content_type="multipart/form-data")
    first = _profile(world).logo.token
    supplier.post(path, data=profile_form(supplier, path, logo=(io.BytesIO(image_bytes("JPEG")), "b.jpg")),
                  content_type="multipart/form-data")
    assert _profile(world).logo.token != first
    assert db.session.query(StoredFile).filter_by(token=first).first() is None
    assert not (storage_dir() / first).exists()
    supplier.post(path, data=profile_form(supplier, path, remove_logo="y"), content_type="multipart/form-data")
    assert _profile(world).logo is None


def _svg() -> bytes:
    return b'<svg xmlns="http://www.w3.org/2000/svg"><script>alert(1)</script></svg>'


def _bomb() -> bytes:
    out = io.BytesIO()
    Image.new("1", (12000, 12000)).save(out, "PNG")  # tiny file, 144 megapixels
    return out.getvalue()


def _gif() -> bytes:
    out = io.BytesIO()
    Image.new("RGB", (10, 10)).save(out, "GIF")
    return out.getvalue()


BAD_UPLOADS = {
    "pdf-als-png": (pdf_bytes(), "logo.png", "geen geldige PNG-, JPEG- of WebP-afbeelding"),
    "html-als-jpg": (b"<html><script>alert(1)</script></html>", "logo.jpg", "geen geldige PNG-, JPEG- of WebP"),
    "svg": (_svg(), "logo.svg", "geen geldige PNG-, JPEG- of WebP-afbeelding"),
    "gif": (_gif(), "logo.gif", "geen geldige PNG-, JPEG- of WebP-afbeelding"),
    "te-groot": (image_bytes("PNG") + b"\0" * (1024 * 1024), "groot.png", "te groot: maximaal 1 MB"),
    "decompressiebom": (_bomb(), "bom.png", "te veel pixels"),
    "afgekapt": (image_bytes("PNG")[:200], "kapot.png", "geen geldige PNG-, JPEG- of WebP-afbeelding"),
    "leeg": (b"", "leeg.png", "Het bestand is leeg."),
}


@pytest.mark.parametrize("name", list(BAD_UPLOADS))
def test_bad_logo_is_refused_and_changes_nothing(supplier, world, name):
    path = _edit_path(supplier)
    supplier.post(path, data=profile_form(supplier, path, city="Utrecht",
                                          logo=(io.BytesIO(image_bytes()), "goed.png")),
                  content_type="multipart/form-data")
    before = _profile(world)
    token, files_before = before.logo.token, db.session.query(StoredFile).count()
    content, filename, message = BAD_UPLOADS[name]
    resp = supplier.post(path, data=profile_form(supplier, path, city="Amersfoort",
                                                 logo=(io.BytesIO(content), filename)),
                         content_type="multipart/form-data")
    body = resp.get_data(as_text=True)
    assert resp.status_code == 400, body[:500]
    assert message in body
    after = _profile(world)
    assert after.city == "Utrecht" and after.logo.token == token
    assert db.session.query(StoredFile).count() == files_before


def test_markdown_is_rendered_safely_on_the_public_page(supplier, world):
    path = _edit_path(supplier)
    text = ("## Over ons\n\n**Vet** en *schuin*.\n\n- een\n- twee\n\n[Site](https://ictsolutions.example) "
            "[kwaad](javascript:alert(1)) <script>alert('x')</script> <img src=x onerror=alert(2)> "
            "<a href=\"javascript:alert(3)\">klik</a>")
    resp = supplier.post(path, data=profile_form(supplier, path, long_description=text),
                         content_type="multipart/form-data")
    assert resp.status_code == 302
    page = supplier.application.test_client().get(f"/leveranciers/{world.supplier.id}").get_data(as_text=True)
    assert "<h2>Over ons</h2>" in page and "<strong>Vet</strong>" in page and "<li>een</li>" in page
    assert 'href="https://ictsolutions.example"' in page
    assert not re.search(r"<a [^>]*href=\"?javascript", page)  # raw HTML stays text, bad links lose href
    assert "<script>alert" not in page and "<img src=x" not in page
    assert "&lt;script&gt;" in page


def test_invalid_fields_are_refused(supplier, world):
    path = _edit_path(supplier)
    resp = supplier.post(path, data=profile_form(supplier, path, description="x" * 256, postcode="abc",
                                                 support_url="javascript://example.com/%0aalert(1)"),
                         content_type="multipart/form-data")
    body = resp.get_data(as_text=True)
    assert resp.status_code == 400
    assert "Maximaal 255 tekens." in body and "1234 AB" in body and "begint met https://" in body
    assert _profile(world).support_url is None


def test_one_profile_step_on_the_welcome_page_leads_to_the_profile_and_back(supplier, world):
    page = supplier.get("/welkom/").get_data(as_text=True)
    assert "Vul uw profiel aan" not in page and page.count("Vul uw bedrijfsprofiel aan") == 1
    assert tasks(page)["Vul uw bedrijfsprofiel aan"] == ("Nog te doen", "Logo, omschrijving en website ontbreken")
    assert tasks(page)["Voeg een contactpersoon toe"] == ("Nog te doen", "Nog geen contactpersoon")
    start = task_link(page, "Vul uw bedrijfsprofiel aan")
    assert start == "/profiel/mijn?next=/welkom/"
    resp = supplier.get(start)
    assert resp.status_code == 302 and "/profiel/edit/" in resp.location and "next=/welkom/" in resp.location
    path = resp.location.replace("http://localhost", "")
    form = supplier.get(path).get_data(as_text=True)
    assert 'href="/welkom/"' in form and "Terug zonder opslaan" in form
    # Only the logo: the step names what is still missing.
    resp = supplier.post(path, data=profile_form(supplier, path, logo=(io.BytesIO(image_bytes("PNG")), "logo.png")),
                         content_type="multipart/form-data")
    assert resp.status_code == 302 and resp.location.endswith("/welkom/")
    page = supplier.get("/welkom/").get_data(as_text=True)
    assert tasks(page)["Vul uw bedrijfsprofiel aan"] == ("Nog te doen", "Omschrijving en website ontbreken")
    resp = supplier.post(path, data=profile_form(supplier, path, description="Zaaksystemen",
                                                 website="https://ictsolutions.example"),
                         content_type="multipart/form-data")
    assert resp.status_code == 302
    db.session.add(ContactPerson(organisation_id=world.supplier.id, name="Karin de Vries"))
    db.session.commit()
    page = supplier.get("/welkom/").get_data(as_text=True)
    assert tasks(page)["Vul uw bedrijfsprofiel aan"] == ("Gedaan", "Logo, omschrijving en website ingevuld")
    assert tasks(page)["Voeg een contactpersoon toe"] == ("Gedaan", "1 contactpersoon")


def test_the_profile_page_edits_name_and_kvk_number_too(supplier, world):
    path = _edit_path(supplier)
    page = supplier.get(path).get_data(as_text=True)
    assert 'value="ICT Solutions BV"' in page and 'value="12345678"' in page
    assert "Contactpersonen beheren" in page and "U heeft nog geen contactpersoon." in page
    resp = supplier.post(path, data=profile_form(supplier, path, name="ICT Solutions Nederland BV",
                                                 kvk_number="11223344", description="Zaaksystemen"),
                         content_type="multipart/form-data")
    assert resp.status_code == 302 and resp.location.replace("http://localhost", "") == path  # back to the profile
    db.session.expire_all()
    org = db.session.get(Organisation, world.supplier.id)
    assert (org.name, org.kvk_number, org.description) == ("ICT Solutions Nederland BV", "11223344", "Zaaksystemen")


@pytest.mark.parametrize("fields,message", [
    ({"name": ""}, "Vul de naam van uw organisatie in."),
    ({"kvk_number": "123"}, "Een KvK-nummer bestaat uit 8 cijfers."),
    ({"kvk_number": "87654321"}, "Dit KvK-nummer hoort al bij een andere organisatie in de catalogus."),
])
def test_a_bad_name_or_kvk_number_is_refused_and_changes_nothing(supplier, world, fields, message):
    path = _edit_path(supplier)
    resp = supplier.post(path, data=profile_form(supplier, path, description="Nieuw", **fields),
                         content_type="multipart/form-data")
    assert resp.status_code == 400 and message in resp.get_data(as_text=True)
    db.session.expire_all()
    org = db.session.get(Organisation, world.supplier.id)
    assert (org.name, org.kvk_number, org.description) == ("ICT Solutions BV", "12345678", None)


def test_a_next_address_of_another_site_is_ignored(supplier):
    resp = supplier.get("/profiel/mijn?next=//kwaad.example/")
    assert resp.status_code == 302 and "kwaad" not in resp.location


def test_other_supplier_cannot_open_or_post_my_profile(app, supplier, world):
    path = _edit_path(supplier)
    other = app.test_client()
    login(other, world.users["aanbod_other"])
    assert other.get(path).status_code == 404
    token = other.get("/profiel/mijn")  # makes the other supplier's own profile, not this one
    assert token.status_code == 302 and token.location.replace("http://localhost", "") != path


def test_request_above_the_limit_is_refused_in_dutch(supplier, world):
    supplier.application.config["MAX_CONTENT_LENGTH"] = 2 * 1024 * 1024
    path = _edit_path(supplier)
    data = profile_form(supplier, path, city="Ergens",
                        logo=(io.BytesIO(b"\0" * (3 * 1024 * 1024)), "enorm.png"))
    resp = supplier.post(path, data=data, content_type="multipart/form-data")
    assert resp.status_code == 413 and "te groot" in resp.get_data(as_text=True)
    assert _profile(world).city is None


def test_the_organisation_form_of_a_supplier_leads_to_the_same_profile_page(app, supplier, world):
    own = f"/organisaties/edit/{world.supplier.id}"
    page = supplier.get(own).get_data(as_text=True)
    link = f'href="/profiel/organisatie/{world.supplier.id}"'
    assert "Vul het bedrijfsprofiel aan" in page and link in page
    resp = supplier.get(f"/profiel/organisatie/{world.supplier.id}")
    assert resp.status_code == 302 and resp.location.replace("http://localhost", "") == _edit_path(supplier)
    # Another supplier's profile stays closed; a municipality's form has no supplier profile.
    assert supplier.get(f"/profiel/organisatie/{world.other_supplier.id}").status_code == 404
    gemeente = app.test_client()
    login(gemeente, world.users["gebruik"])
    page = gemeente.get(f"/organisaties/edit/{world.gemeente.id}").get_data(as_text=True)
    assert "Vul het bedrijfsprofiel aan" not in page and "Organisatie wijzigen" in page
    fb = app.test_client()
    login(fb, world.users["fb"])
    other = f"/organisaties/edit/{world.other_supplier.id}"
    assert f'href="/profiel/organisatie/{world.other_supplier.id}"' in fb.get(other).get_data(as_text=True)
    resp = fb.get(f"/profiel/organisatie/{world.other_supplier.id}")
    assert resp.status_code == 302 and "/profiel/edit/" in resp.location
    assert "Concurrent BV" in fb.get(resp.location).get_data(as_text=True)
