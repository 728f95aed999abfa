"""Issue 10.1 for the organisation's pages: contact persons and certifications return to their list, the profile
to itself, with a message naming the organisation once (also when its name ends in a full stop)."""

from __future__ import annotations

import pytest

from core.contacts import ContactPerson
from core.extensions import db
from plugins.f002_organisatie.models import Certification
from tests.support.actors import csrf_token, login


@pytest.fixture
def supplier(app, world):
    world.supplier.name = "Zaakwijs B.V."
    db.session.commit()
    client = app.test_client()
    login(client, world.users["aanbod"])
    return client


def test_a_contact_person_saved_from_a_form_opened_directly_returns_to_the_list(supplier, world):
    page = supplier.get("/contactpersonen/add").get_data(as_text=True)
    assert 'href="/contactpersonen/list/">Annuleren</a>' in page and 'aria-label="Kruimelpad"' in page
    resp = supplier.post("/contactpersonen/add", data={
        "csrf_token": csrf_token(supplier, "/contactpersonen/add"), "organisation": str(world.supplier.id),
        "name": "Els de Boer", "role": "", "email": "", "phone": ""})
    assert resp.status_code == 302 and resp.headers["Location"].endswith("/contactpersonen/list/")
    page = supplier.get(resp.headers["Location"]).get_data(as_text=True)
    assert "De contactpersoon is toegevoegd aan Zaakwijs B.V." in page and "B.V.." not in page

    person = db.session.query(ContactPerson).filter_by(name="Els de Boer").one()
    supplier.get("/catalogus/")  # an unrelated page in between
    path = f"/contactpersonen/edit/{person.id}"
    resp = supplier.post(path, data={"csrf_token": csrf_token(supplier, path), "name": "Els", "role": "",
                                     "email": "", "phone": ""})
    assert resp.headers["Location"].endswith("/contactpersonen/list/")
    assert "De contactpersoon van Zaakwijs B.V. is opgeslagen." in supplier.get(
        resp.headers["Location"]).get_data(as_text=True)
    resp = supplier.post(f"/contactpersonen/delete/{person.id}", data={"csrf_token": csrf_token(supplier, path)})
    assert resp.headers["Location"].endswith("/contactpersonen/list/")
    assert "De contactpersoon is verwijderd uit Zaakwijs B.V." in supplier.get(
        resp.headers["Location"]).get_data(as_text=True)


def test_a_certification_returns_to_its_list_and_its_help_text_points_the_right_way(supplier, world):
    page = supplier.get("/certificeringen/add").get_data(as_text=True)
    assert "hieronder" not in page and "Of vul bij Bewijs (webadres) een webadres in." in page
    resp = supplier.post("/certificeringen/add", data={
        "csrf_token": csrf_token(supplier, "/certificeringen/add"), "organisation": str(world.supplier.id),
        "kind": "iso27001", "other_name": "", "issuer": "DNV", "valid_until": "2030-12-31",
        "evidence_url": "https://bewijs.example/iso"}, content_type="multipart/form-data")
    assert resp.status_code == 302 and resp.headers["Location"].endswith("/certificeringen/list/")
    assert db.session.query(Certification).count() == 1
    page = supplier.get(resp.headers["Location"]).get_data(as_text=True)
    assert "De certificering is toegevoegd aan Zaakwijs B.V." in page and "B.V.." not in page


def test_an_external_next_is_ignored(supplier, world):
    path = "/contactpersonen/add?next=https://evil.example/"
    resp = supplier.post(path, data={"csrf_token": csrf_token(supplier, "/contactpersonen/add"),
                                     "organisation": str(world.supplier.id), "name": "Piet"})
    assert resp.status_code == 302 and resp.headers["Location"].endswith("/contactpersonen/list/")
