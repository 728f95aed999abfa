"""F013 References: the supplier asks, the municipality opts in or out with a contact, the package page lists them.

Privacy: visitors (and suppliers) see names only; signed-in gemeente users see the
contact; a gemeente never changes another gemeente's reference; ending a usage drops it.
The count "N gemeenten gebruiken dit pakket" counts accepted, active usages by gemeenten,
never proposals.
"""

from __future__ import annotations

import datetime as dt

from markupsafe import escape
from sqlalchemy import select

from core.contacts import ContactPerson
from core.events import ReferenceChanged
from core.extensions import db
from core.models import AuditLog
from plugins.f013_gebruik.models import Proposal, Reference
from tests.f013.conftest import logged_in, make_package, make_usage
from tests.support.actors import csrf_token, make_org


def _reference(client, usage, **fields):
    data = {"csrf_token": csrf_token(client, f"/gebruik/referentie/{usage.id}"), "opted_in": "ja", "contact": "0",
            "contact_name": "Els de Vries", "contact_email": "els@voorbeeldstad.example",
            "contact_phone": "030 123 45 67"}
    data.update(fields)
    return client.post(f"/gebruik/referentie/{usage.id}", data=data)


def _ask(client, usage):
    return client.post(f"/klanten/referentie/{usage.id}", data={"csrf_token": csrf_token(client, "/klanten/")})


def _ref(usage) -> Reference | None:
    db.session.expire_all()
    return db.session.scalar(select(Reference).where(Reference.usage_id == usage.id))


def _package_page(client, package) -> str:
    return client.get(f"/catalogus/pakketten/{package.public_id}").get_data(as_text=True)


def test_the_supplier_asks_and_the_municipality_gets_an_email(app, world, mailbox):
    package = make_package(world.supplier, "Zaakwijzer")
    usage = make_usage(world.gemeente, package)
    supplier = logged_in(app, world.users["aanbod"])
    page = supplier.get("/klanten/").get_data(as_text=True)
    assert "Vraag als referentie" in page
    resp = _ask(supplier, usage)
    assert resp.status_code == 302 and resp.location.endswith("/klanten/")
    assert _ref(usage).asked_on is not None and _ref(usage).asked_by_id == world.users["aanbod"].id
    assert not _ref(usage).opted_in
    message = mailbox.last_to("gb@voorbeeldstad.example")
    assert "ICT Solutions BV vraagt of u referentie wilt zijn voor Zaakwijzer" in message.subject
    assert f"/gebruik/show/{usage.id}" in message.text
    assert "Gevraagd, nog geen referentie" in supplier.get("/klanten/").get_data(as_text=True)
    assert db.session.scalar(select(AuditLog).where(AuditLog.action == "referentie_gevraagd")) is not None
    # The municipality's usage page says it was asked.
    page = logged_in(app, world.users["gebruik"]).get(f"/gebruik/show/{usage.id}").get_data(as_text=True)
    assert "De leverancier heeft op" in page and "Referentie instellen" in page


def test_a_supplier_cannot_ask_for_another_suppliers_customer(app, world, mailbox):
    theirs = make_package(world.other_supplier, "Belastingen Plus")
    usage = make_usage(world.gemeente, theirs)
    resp = _ask(logged_in(app, world.users["aanbod"]), usage)
    assert resp.status_code == 404 and _ref(usage) is None
    assert mailbox.to("gb@voorbeeldstad.example") == []


def test_an_ended_usage_cannot_be_asked(app, world, mailbox):
    usage = make_usage(world.gemeente, make_package(world.supplier, "Zaakwijzer"), status="uitgefaseerd")
    supplier = logged_in(app, world.users["aanbod"])
    assert "Vraag als referentie" not in supplier.get("/klanten/").get_data(as_text=True)
    resp = _ask(supplier, usage)
    assert resp.status_code == 302 and _ref(usage) is None
    assert "niet is beëindigd" in supplier.get("/klanten/").get_data(as_text=True)


def test_opting_in_with_a_contact_shows_on_the_package_page(app, world, monkeypatch):
    package = make_package(world.supplier, "Zaakwijzer")
    usage = make_usage(world.gemeente, package, description="Geheime notitie")
    events = []
    monkeypatch.setattr("plugins.f013_gebruik.references.emit", events.append)
    beheerder = logged_in(app, world.users["gebruik"])
    resp = _reference(beheerder, usage)  # without being asked
    assert resp.status_code == 302 and resp.location.endswith(f"/gebruik/show/{usage.id}")
    ref = _ref(usage)
    assert ref.opted_in and (ref.contact_name, ref.contact_email, ref.contact_phone) == (
        "Els de Vries", "els@voorbeeldstad.example", "030 123 45 67")
    assert events == [ReferenceChanged(organisation_id=world.gemeente.id, package_id=package.id,
                                       day=dt.date.today(), opted_in=True)]
    assert db.session.scalar(select(AuditLog).where(AuditLog.action == "referentie_aan",
                                                    AuditLog.organisation_id == world.gemeente.id)) is not None
    # Visitors: the name, not the contact.
    visitor = _package_page(app.test_client(), package)
    assert "Referenties" in visitor and "Voorbeeldstad" in visitor
    assert "Els de Vries" not in visitor and "els@voorbeeldstad.example" not in visitor
    # A supplier (also the package's own) sees names only on the public page.
    for user in (world.users["aanbod"], world.users["aanbod_other"]):
        page = _package_page(logged_in(app, user), package)
        assert "Voorbeeldstad" in page and "Els de Vries" not in page
    # A signed-in user of another gemeente sees the contact to call.
    peer = _package_page(logged_in(app, world.users["gebruik_other"]), package)
    assert "Els de Vries" in peer and "els@voorbeeldstad.example" in peer
    assert "Geheime notitie" not in visitor + peer
    # The supplier's klantoverzicht shows the reference with its contact.
    page = logged_in(app, world.users["aanbod"]).get("/klanten/").get_data(as_text=True)
    assert "Referentie" in page and "Els de Vries" in page and "Vraag als referentie" not in page


def test_opting_out_removes_the_name_and_the_contact(app, world):
    package = make_package(world.supplier, "Zaakwijzer")
    usage = make_usage(world.gemeente, package)
    beheerder = logged_in(app, world.users["gebruik"])
    _reference(beheerder, usage)
    resp = _reference(beheerder, usage, opted_in="nee")
    assert resp.status_code == 302
    ref = _ref(usage)
    assert not ref.opted_in and ref.contact_name is None and ref.contact_email is None
    assert "Referenties" not in _package_page(app.test_client(), package)


def test_opting_in_needs_a_name_and_an_email_in_dutch(app, world):
    usage = make_usage(world.gemeente, make_package(world.supplier, "Zaakwijzer"))
    beheerder = logged_in(app, world.users["gebruik"])
    resp = _reference(beheerder, usage, contact_name="", contact_email="")
    page = resp.get_data(as_text=True)
    assert resp.status_code == 400 and _ref(usage) is None
    assert "Niet alle gegevens zijn goed ingevuld" in page
    assert "Kies een contactpersoon of vul de naam in." in page
    assert 'href="#contact_email"' in page
    resp = _reference(beheerder, usage, contact_email="geen-adres")
    assert resp.status_code == 400 and "Vul een geldig e-mailadres in" in resp.get_data(as_text=True)
    resp = _reference(beheerder, usage, opted_in="misschien")
    assert resp.status_code == 400 and "Kies ja of nee." in resp.get_data(as_text=True)
    assert _ref(usage) is None


def test_a_contact_person_of_the_own_organisation_can_be_chosen(app, world):
    usage = make_usage(world.gemeente, make_package(world.supplier, "Zaakwijzer"))
    own = ContactPerson(organisation_id=world.gemeente.id, name="Karin Informatie", role="Informatiemanager",
                        email="karin@voorbeeldstad.example", phone="030 999")
    foreign = ContactPerson(organisation_id=world.other_gemeente.id, name="Andere Persoon",
                            email="ander@andersdorp.example")
    db.session.add_all([own, foreign])
    db.session.commit()
    own_id, foreign_id = own.id, foreign.id
    beheerder = logged_in(app, world.users["gebruik"])
    form = beheerder.get(f"/gebruik/referentie/{usage.id}").get_data(as_text=True)
    assert "Karin Informatie (Informatiemanager)" in form and "Andere Persoon" not in form
    resp = _reference(beheerder, usage, contact=str(foreign_id), contact_name="", contact_email="")
    assert resp.status_code == 400 and _ref(usage) is None
    assert "Kies een contactpersoon van uw eigen organisatie" in resp.get_data(as_text=True)
    resp = _reference(beheerder, usage, contact=str(own_id), contact_name="", contact_email="", contact_phone="")
    assert resp.status_code == 302
    ref = _ref(usage)
    assert (ref.contact_name, ref.contact_email, ref.contact_phone) == (
        "Karin Informatie", "karin@voorbeeldstad.example", "030 999")


def test_a_gemeente_cannot_change_another_gemeentes_reference(app, world):
    usage = make_usage(world.gemeente, make_package(world.supplier, "Zaakwijzer"))
    other = logged_in(app, world.users["gebruik_other"])
    assert other.get(f"/gebruik/referentie/{usage.id}").status_code == 404
    resp = other.post(f"/gebruik/referentie/{usage.id}",
                      data={"csrf_token": csrf_token(other, "/gebruik/add"), "opted_in": "ja",
                            "contact_name": "Indringer", "contact_email": "x@andersdorp.example"})
    assert resp.status_code == 404 and _ref(usage) is None
    # The raadpleger of the own gemeente reads the state but cannot set it.
    raadpleger = logged_in(app, world.users["raadpleger"])
    page = raadpleger.get(f"/gebruik/show/{usage.id}").get_data(as_text=True)
    assert "Referentie" in page and "Referentie instellen" not in page
    assert raadpleger.get(f"/gebruik/referentie/{usage.id}").status_code in (302, 403)
    # Suppliers have no say in it.
    supplier = logged_in(app, world.users["aanbod"])
    assert supplier.get(f"/gebruik/referentie/{usage.id}").status_code in (302, 403)


def test_ending_the_usage_drops_the_reference(app, world):
    package = make_package(world.supplier, "Zaakwijzer")
    usage = make_usage(world.gemeente, package)
    beheerder = logged_in(app, world.users["gebruik"])
    _reference(beheerder, usage)
    assert "Voorbeeldstad" in _package_page(app.test_client(), package)
    resp = beheerder.post(f"/gebruik/action/end/{usage.id}",
                          data={"csrf_token": csrf_token(beheerder, f"/gebruik/show/{usage.id}")})
    assert resp.status_code == 302
    assert not _ref(usage).opted_in
    page = _package_page(app.test_client(), package)
    assert "Referenties" not in page and "<strong>0</strong> gemeenten gebruiken" in page
    assert "geen referentie" in beheerder.get(f"/gebruik/show/{usage.id}").get_data(as_text=True)
    # and an ended usage cannot opt in again (the form is gone; a forged post changes nothing)
    assert "<form" not in beheerder.get(f"/gebruik/referentie/{usage.id}").get_data(as_text=True).split("<main")[1]
    resp = beheerder.post(f"/gebruik/referentie/{usage.id}", data={
        "csrf_token": csrf_token(beheerder, "/gebruik/add"), "opted_in": "ja",
        "contact_name": "Els", "contact_email": "els@voorbeeldstad.example"})
    assert resp.status_code == 302 and not _ref(usage).opted_in


def test_the_count_is_accepted_active_usages_by_gemeenten_never_proposals(app, world):
    package = make_package(world.supplier, "Zaakwijzer")
    make_usage(world.gemeente, package)  # counts
    make_usage(world.other_gemeente, package, status="gepland")  # active: counts
    make_usage(make_org("Oudstad", "gemeente"), package, status="uitgefaseerd")  # ended: no
    make_usage(make_org("Samenwerking West", "samenwerking"), package)  # not a gemeente: no
    for i, state in enumerate(("open", "afgewezen", "verlopen")):  # proposals: never
        db.session.add(Proposal(organisation_id=make_org(f"Voorstelstad {i}", "gemeente").id,
                                supplier_id=world.supplier.id, package_id=package.id, state=state))
    db.session.commit()
    page = _package_page(app.test_client(), package)
    assert "<strong>2</strong> gemeenten gebruiken dit pakket." in page
    for name in ("Voorstelstad", "Oudstad", "Andersdorp", "Voorbeeldstad"):
        assert name not in page  # no reference opted in: no names at all


def test_only_opted_in_active_references_are_listed_by_name(app, world):
    package = make_package(world.supplier, "Zaakwijzer")
    asked = make_usage(world.gemeente, package)
    db.session.add(Reference(usage_id=asked.id, organisation_id=world.gemeente.id, package_id=package.id,
                             asked_on=dt.datetime(2026, 1, 1), opted_in=False))
    yes = make_usage(world.other_gemeente, package)
    db.session.add(Reference(usage_id=yes.id, organisation_id=world.other_gemeente.id, package_id=package.id,
                             opted_in=True, contact_name="Piet Peer"))
    db.session.commit()
    page = _package_page(app.test_client(), package)
    assert "Andersdorp" in page and "Voorbeeldstad" not in page and "Piet Peer" not in page


def test_the_demo_has_one_accepted_reference(app):
    from core.accounts import find_user_by_email
    from core.catalogue.models import Package
    from plugins.f013_gebruik.demo import DEMO_REFERENCE, DEMO_USER

    seed = app.extensions["scg_plugins"].hook.seed_data
    seed(app=app, demo=True)
    seed(app=app, demo=True)  # idempotent
    gemeente = find_user_by_email(DEMO_USER).organisation
    refs = db.session.scalars(select(Reference)).all()
    assert len(refs) == 1 and refs[0].organisation_id == gemeente.id and refs[0].opted_in
    package = db.session.scalar(select(Package).filter_by(name=DEMO_REFERENCE[0]))
    assert refs[0].package_id == package.id and package.organisation.name == "Voorbeeld Software BV (demo)"
    page = _package_page(app.test_client(), package)
    assert "Referenties" in page and str(escape(gemeente.name)) in page and DEMO_REFERENCE[1] not in page
