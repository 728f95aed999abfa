"""F004 takeover: a municipality registers a package on behalf of a supplier, the supplier takes it over."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from core.catalogue.models import Package
from core.extensions import db
from core.models import AuditLog
from tests.f004.support import make_document, make_package
from tests.support.actors import csrf_token, login


@pytest.fixture
def gemeente(app, world):
    client = app.test_client()
    login(client, world.users["gebruik"])
    return client


@pytest.fixture
def supplier(app, world):
    client = app.test_client()
    login(client, world.users["aanbod"])
    return client


def _register(client, supplier_id, name="Parkeervergunningen", **fields):
    path = "/pakketaanmeldingen/aanmelden"
    data = {"csrf_token": csrf_token(client, path), "supplier": str(supplier_id), "name": name,
            "short_description": "Vergunningen voor parkeren", "website": "https://parkeren.example"}
    data.update(fields)
    return client.post(path, data=data)


def _packages():
    db.session.expire_all()
    return db.session.scalars(select(Package).order_by(Package.id)).unique().all()


def test_municipality_registers_a_package_and_the_supplier_is_mailed(gemeente, world, mailbox):
    resp = _register(gemeente, world.supplier.id)
    assert resp.status_code == 302
    [package] = _packages()
    assert (package.organisation_id, package.registered_by_id, package.takeover_pending, package.status) == (
        world.supplier.id, world.gemeente.id, True, "concept")
    [message] = mailbox.to("jan@ictsolutions.example")
    assert "Voorbeeldstad heeft een pakket voor u aangemeld" == message.subject
    assert "/over-te-nemen/" in message.text
    listing = gemeente.get("/pakketaanmeldingen/").get_data(as_text=True)
    assert "Parkeervergunningen" in listing and "ICT Solutions BV" in listing
    assert "Wacht op overname door de leverancier" in listing


@pytest.mark.parametrize("fields,message", [
    ({"supplier": "0"}, "Kies een leverancier, of vul de naam in van een leverancier die er niet bij staat."),
    ({"supplier": "abc"}, "Kies een leverancier uit de lijst."),
    ({"name": ""}, "Vul de naam van het pakket in."),
    ({"website": "javascript:alert(1)"}, "Vul een volledig webadres in"),
])
def test_bad_registrations_are_refused_in_dutch(gemeente, world, fields, message):
    resp = _register(gemeente, world.supplier.id, **fields)
    assert resp.status_code == 400 and message in resp.get_data(as_text=True)
    assert _packages() == []


def test_only_approved_suppliers_can_be_chosen(gemeente, world):
    world.other_supplier.status = "bevestigd"
    db.session.commit()
    page = gemeente.get("/pakketaanmeldingen/aanmelden").get_data(as_text=True)
    assert "ICT Solutions BV" in page and "Concurrent BV" not in page
    resp = _register(gemeente, world.other_supplier.id)
    assert resp.status_code == 400 and _packages() == []


def test_municipality_sees_only_name_supplier_status_of_its_own_registrations(gemeente, app, world):
    mine = make_package(world.supplier, "Aangemeld pakket", status="concept", registered_by_id=world.gemeente.id,
                        takeover_pending=True, short_description="Geheime omschrijving")
    make_document(mine, "Interne handleiding")
    make_package(world.supplier, "Ander concept", status="concept")
    make_package(world.supplier, "Van Andersdorp", status="concept", registered_by_id=world.other_gemeente.id,
                 takeover_pending=True)
    page = gemeente.get("/pakketaanmeldingen/").get_data(as_text=True)
    assert "Aangemeld pakket" in page
    for secret in ("Geheime omschrijving", "Interne handleiding", "Ander concept", "Van Andersdorp"):
        assert secret not in page
    # nothing of the supplier through its pages either
    for path in ("/over-te-nemen/", "/pakketdocumenten/list/", "/standaardclaims/list/",
                 f"/pakketstandaarden/{mine.id}"):
        resp = gemeente.get(path)
        assert resp.status_code in (302, 403, 404) and "Aangemeld pakket" not in resp.get_data(as_text=True)
    resp = gemeente.post(f"/over-te-nemen/overnemen/{mine.id}", data={"csrf_token": csrf_token(
        gemeente, "/pakketaanmeldingen/aanmelden")})
    assert resp.status_code in (302, 403)
    assert _packages()[0].takeover_pending is True


def test_supplier_takes_over_with_audit_and_event(supplier, app, world):
    package = make_package(world.supplier, "Aangemeld pakket", status="concept",
                           registered_by_id=world.gemeente.id, takeover_pending=True)
    received = []
    from core.plugins import hookimpl

    class Listener:
        @hookimpl
        def on_event(self, event):
            received.append(event)

    app.extensions["scg_plugins"].register(Listener())
    page = supplier.get("/over-te-nemen/").get_data(as_text=True)
    assert "Aangemeld pakket" in page and "Voorbeeldstad" in page
    resp = supplier.post(f"/over-te-nemen/overnemen/{package.id}",
                         data={"csrf_token": csrf_token(supplier, "/over-te-nemen/")}, follow_redirects=True)
    assert "U heeft het pakket Aangemeld pakket overgenomen." in resp.get_data(as_text=True)
    [package] = _packages()
    assert package.takeover_pending is False and package.organisation_id == world.supplier.id
    assert [type(e).__name__ for e in received] == ["PackageTakenOver"]
    assert received[0].registered_by_id == world.gemeente.id
    assert db.session.scalar(select(AuditLog).where(AuditLog.action == "pakket_overnemen")) is not None
    # the municipality still sees the name and the new status
    gemeente = app.test_client()
    login(gemeente, world.users["gebruik"])
    assert "Overgenomen, concept" in gemeente.get("/pakketaanmeldingen/").get_data(as_text=True)


def test_supplier_declines_the_package_is_deleted_and_the_municipality_mailed(supplier, world, mailbox):
    package = make_package(world.supplier, "Aangemeld pakket", status="concept",
                           registered_by_id=world.gemeente.id, takeover_pending=True)
    resp = supplier.post(f"/over-te-nemen/weigeren/{package.id}",
                         data={"csrf_token": csrf_token(supplier, "/over-te-nemen/"),
                               "reason": "Dit pakket leveren wij niet meer."})
    assert resp.status_code == 302 and _packages() == []
    [message] = mailbox.to("gb@voorbeeldstad.example")
    assert "neemt het pakket Aangemeld pakket niet over" in message.subject
    assert "Dit pakket leveren wij niet meer." in message.text


def test_other_supplier_cannot_see_take_over_or_decline(app, world):
    package = make_package(world.supplier, "Aangemeld pakket", status="concept",
                           registered_by_id=world.gemeente.id, takeover_pending=True)
    other = app.test_client()
    login(other, world.users["aanbod_other"])
    assert "Aangemeld pakket" not in other.get("/over-te-nemen/").get_data(as_text=True)
    token = csrf_token(other, "/standaardclaims/add")
    other.post(f"/over-te-nemen/overnemen/{package.id}", data={"csrf_token": token})
    other.post(f"/over-te-nemen/weigeren/{package.id}", data={"csrf_token": token})
    [package] = _packages()
    assert package.takeover_pending is True


def test_takeover_needs_post_with_csrf(supplier, world):
    package = make_package(world.supplier, "Aangemeld pakket", status="concept",
                           registered_by_id=world.gemeente.id, takeover_pending=True)
    assert supplier.get(f"/over-te-nemen/overnemen/{package.id}").status_code == 405
    supplier.post(f"/over-te-nemen/overnemen/{package.id}", data={})
    assert _packages()[0].takeover_pending is True
