"""F013 Gebruik voorstellen: a supplier proposes a usage, the municipality accepts (maybe corrected) or
rejects, the supplier may withdraw while it is open; mails, events, audit and the REST API."""

from __future__ import annotations

import datetime as dt

import pytest
from sqlalchemy import select

from core.catalogue.models import Usage
from core.events import ProposalDecided, ProposalMade, ProposalWithdrawn, UsageAdded, UsageChanged
from core.extensions import db
from core.models import AuditLog
from core.plugins import hookimpl
from plugins.f013_gebruik.models import Proposal, UsageChange
from tests.f013.conftest import logged_in, make_package, make_usage, version_of
from tests.support.actors import World, api_token, csrf_token


class EventRecorder:
    def __init__(self):
        self.events = []

    @hookimpl
    def on_event(self, event):
        self.events.append(event)

    def of(self, *types):
        return [e for e in self.events if isinstance(e, types)]


@pytest.fixture
def recorder():
    return EventRecorder()


@pytest.fixture
def setup(make_app, recorder):
    app = make_app(plugins=[recorder])
    with app.app_context():
        world = World.build(app)
        packages = {
            "zaak": make_package(world.supplier, "Zaakwijzer", versions=("3.1", "4.0")),
            "concept": make_package(world.supplier, "Nog Geheim", status="concept"),
            "other": make_package(world.other_supplier, "Belastingen Plus", versions=("1.0",)),
        }
        yield app, world, packages


def propose(client, world, package, **fields):
    data = {"organisation": str(world.gemeente.id), "package": str(package.id), "version": "",
            "status": "in_productie", "status_date": "", "note": "",
            "csrf_token": csrf_token(client, "/voorstellen/add")}
    data.update(fields)
    return client.post("/voorstellen/add", data=data)


def decide(client, proposal_id, **fields):
    token = csrf_token(client, "/gebruik/add")  # (a decided proposal's page has no form)
    return client.post(f"/gebruik/voorstellen/besluit/{proposal_id}", data=dict(fields, csrf_token=token),
                       follow_redirects=True)


def only_proposal() -> Proposal:
    db.session.expire_all()
    return db.session.scalars(select(Proposal)).one()


def test_a_proposal_counts_nowhere_shows_in_the_landscape_and_mails_the_beheerders(setup, recorder, mailbox):
    app, world, packages = setup
    supplier = logged_in(app, world.users["aanbod"])
    resp = propose(supplier, world, packages["zaak"], version=str(version_of(packages["zaak"], "4.0").id),
                   status="gepland", status_date="2026-09-01", note="U gebruikt onze 4.0 sinds de aanbesteding.")
    assert resp.status_code == 302
    page = supplier.get(resp.location).get_data(as_text=True)
    assert "Uw voorstel is verstuurd naar Voorbeeldstad" in page and "Zaakwijzer" in page

    proposal = only_proposal()
    assert (proposal.state, proposal.status, proposal.status_date, proposal.version.name) == (
        "open", "gepland", dt.date(2026, 9, 1), "4.0")
    assert db.session.scalar(select(Usage.id)) is None  # counts nowhere

    message = mailbox.last_to("gb@voorbeeldstad.example")
    assert "ICT Solutions BV stelt voor" in message.subject
    assert "U gebruikt onze 4.0" in message.text
    assert f"/gebruik/voorstellen/show/{proposal.id}" in message.links[0]
    assert [m.recipients for m in mailbox.messages] == [["gb@voorbeeldstad.example"]]  # not the raadpleger

    landscape = logged_in(app, world.users["raadpleger"]).get("/gebruik/list/").get_data(as_text=True)
    assert "voorgesteld door ICT Solutions BV" in landscape
    other = logged_in(app, world.users["gebruik_other"]).get("/gebruik/list/").get_data(as_text=True)
    assert "voorgesteld door" not in other

    [made] = recorder.of(ProposalMade)
    assert (made.organisation_id, made.supplier_id, made.package_id) == (
        world.gemeente.id, world.supplier.id, packages["zaak"].id)
    assert db.session.query(AuditLog).filter_by(action="gebruik_voorstellen", object_id=str(proposal.id)).count() == 1


def test_accept_as_proposed_adds_the_usage_with_its_origin_in_the_history(setup, recorder, mailbox):
    app, world, packages = setup
    propose(logged_in(app, world.users["aanbod"]), world, packages["zaak"], status="gepland",
            note="Ingevoerd in 2025.")
    proposal_id = only_proposal().id
    beheerder = logged_in(app, world.users["gebruik"])
    page = decide(beheerder, proposal_id, besluit="accepteren").get_data(as_text=True)
    assert "Het voorstel is geaccepteerd" in page

    usage = db.session.scalars(select(Usage)).one()
    assert (usage.organisation_id, usage.status, usage.description) == (world.gemeente.id, "gepland",
                                                                       "Ingevoerd in 2025.")
    [change] = db.session.scalars(select(UsageChange)).all()
    assert "voorstel van ICT Solutions BV" in change.summary
    assert change.changed_by_id == world.users["gebruik"].id
    assert only_proposal().state == "geaccepteerd" and only_proposal().usage_id == usage.id
    assert [e.outcome for e in recorder.of(ProposalDecided)] == ["geaccepteerd"]
    assert len(recorder.of(UsageAdded)) == 1
    assert "heeft uw voorstel geaccepteerd" in mailbox.last_to("jan@ictsolutions.example").subject
    assert db.session.query(AuditLog).filter_by(action="voorstel_accepteren").count() == 1
    shown = beheerder.get(f"/gebruik/show/{usage.id}").get_data(as_text=True)
    assert "voorstel van ICT Solutions BV" in shown
    # The decision is final: a second one is told so and changes nothing.
    again = decide(beheerder, proposal_id, besluit="afwijzen", reason="toch niet").get_data(as_text=True)
    assert "al geaccepteerd" in again
    assert only_proposal().state == "geaccepteerd"


def test_correct_and_accept_uses_the_corrected_version_status_and_date(setup, mailbox):
    app, world, packages = setup
    zaak = packages["zaak"]
    propose(logged_in(app, world.users["aanbod"]), world, zaak, version=str(version_of(zaak, "4.0").id))
    proposal_id = only_proposal().id
    page = decide(logged_in(app, world.users["gebruik"]), proposal_id, besluit="corrigeren",
                  version=str(version_of(zaak, "3.1").id), status="in_productie",
                  status_date="2024-01-15").get_data(as_text=True)
    assert "gecorrigeerd en geaccepteerd" in page
    usage = db.session.scalars(select(Usage)).one()
    assert (usage.version.name, usage.status, usage.status_date) == ("3.1", "in_productie", dt.date(2024, 1, 15))
    mail = mailbox.last_to("jan@ictsolutions.example")
    assert "corrigeerde eerst: versie, statusdatum" in mail.text


def test_a_correction_with_a_version_of_another_package_is_refused_in_dutch(setup):
    app, world, packages = setup
    propose(logged_in(app, world.users["aanbod"]), world, packages["zaak"])
    proposal_id = only_proposal().id
    beheerder = logged_in(app, world.users["gebruik"])
    token = csrf_token(beheerder, f"/gebruik/voorstellen/show/{proposal_id}")
    resp = beheerder.post(f"/gebruik/voorstellen/besluit/{proposal_id}", data={
        "csrf_token": token, "besluit": "corrigeren", "status": "in_productie",
        "version": str(version_of(packages["other"], "1.0").id)})
    assert resp.status_code == 400
    assert "Kies een versie van het pakket" in resp.get_data(as_text=True)
    assert only_proposal().state == "open" and db.session.scalar(select(Usage.id)) is None


def test_reject_with_a_reason_tells_the_supplier(setup, recorder, mailbox):
    app, world, packages = setup
    propose(logged_in(app, world.users["aanbod"]), world, packages["zaak"])
    proposal_id = only_proposal().id
    page = decide(logged_in(app, world.users["gebruik"]), proposal_id, besluit="afwijzen",
                  reason="Wij zijn in 2023 gestopt met dit pakket.").get_data(as_text=True)
    assert "Het voorstel is afgewezen" in page
    proposal = only_proposal()
    assert (proposal.state, proposal.reason) == ("afgewezen", "Wij zijn in 2023 gestopt met dit pakket.")
    assert db.session.scalar(select(Usage.id)) is None
    mail = mailbox.last_to("jan@ictsolutions.example")
    assert "afgewezen" in mail.subject and "gestopt met dit pakket" in mail.text
    assert [e.outcome for e in recorder.of(ProposalDecided)] == ["afgewezen"]


def test_withdrawn_proposal_cannot_be_decided_and_says_ingetrokken(setup, recorder):
    app, world, packages = setup
    supplier = logged_in(app, world.users["aanbod"])
    propose(supplier, world, packages["zaak"])
    proposal_id = only_proposal().id
    resp = supplier.post(f"/voorstellen/intrekken/{proposal_id}",
                         data={"csrf_token": csrf_token(supplier, f"/voorstellen/show/{proposal_id}")},
                         follow_redirects=True)
    assert "Uw voorstel is ingetrokken" in resp.get_data(as_text=True)
    assert len(recorder.of(ProposalWithdrawn)) == 1
    beheerder = logged_in(app, world.users["gebruik"])
    assert "voorgesteld door" not in beheerder.get("/gebruik/list/").get_data(as_text=True)
    page = decide(beheerder, proposal_id, besluit="accepteren").get_data(as_text=True)
    assert "ingetrokken" in page
    assert only_proposal().state == "ingetrokken" and db.session.scalar(select(Usage.id)) is None
    assert db.session.query(AuditLog).filter_by(action="voorstel_intrekken").count() == 1
    # Withdrawing again says it is no longer open.
    again = supplier.post(f"/voorstellen/intrekken/{proposal_id}",
                          data={"csrf_token": csrf_token(supplier, "/voorstellen/add")},
                          follow_redirects=True)
    assert "ingetrokken" in again.get_data(as_text=True)
    assert len(recorder.of(ProposalWithdrawn)) == 1


def test_a_package_the_gemeente_uses_already(setup, recorder):
    """Decided: the same version, status and date is refused (nothing to accept); anything else is a change
    proposal, which on acceptance changes the existing usage and keeps the municipality's own note."""
    app, world, packages = setup
    zaak = packages["zaak"]
    usage = make_usage(world.gemeente, zaak, status="in_productie", version=version_of(zaak, "3.1"),
                       description="Onze eigen notitie")
    supplier = logged_in(app, world.users["aanbod"])
    resp = propose(supplier, world, zaak, version=str(version_of(zaak, "3.1").id), status="in_productie")
    assert resp.status_code == 400
    assert "Voorbeeldstad gebruikt Zaakwijzer al met deze versie, status en statusdatum" in resp.get_data(as_text=True)
    assert db.session.scalar(select(Proposal.id)) is None

    resp = propose(supplier, world, zaak, version=str(version_of(zaak, "4.0").id), status="in_productie",
                   note="Upgrade gedaan")
    assert resp.status_code == 302
    decide(logged_in(app, world.users["gebruik"]), only_proposal().id, besluit="accepteren")
    db.session.expire_all()
    usage = db.session.get(Usage, usage.id)
    assert (usage.version.name, usage.description) == ("4.0", "Onze eigen notitie")
    assert db.session.query(Usage).count() == 1
    [change] = db.session.scalars(select(UsageChange)).all()
    assert change.summary == "Versie: 3.1 → 4.0 (voorstel van ICT Solutions BV)"
    assert len(recorder.of(UsageChanged)) == 1


def test_one_open_proposal_per_gemeente_and_package(setup):
    app, world, packages = setup
    supplier = logged_in(app, world.users["aanbod"])
    assert propose(supplier, world, packages["zaak"]).status_code == 302
    resp = propose(supplier, world, packages["zaak"], status="gepland")
    assert resp.status_code == 400
    assert "Er staat al een voorstel open voor Zaakwijzer bij Voorbeeldstad" in resp.get_data(as_text=True)
    assert db.session.query(Proposal).count() == 1


def test_only_own_published_packages_and_versions_of_the_package(setup):
    app, world, packages = setup
    supplier = logged_in(app, world.users["aanbod"])
    form = supplier.get("/voorstellen/add").get_data(as_text=True)
    assert "Zaakwijzer" in form and "Nog Geheim" not in form and "Belastingen Plus" not in form
    assert "Voorbeeldstad" in form and "Andersdorp" in form and "Concurrent BV" not in form
    for package in (packages["concept"], packages["other"]):
        resp = propose(supplier, world, package)
        assert resp.status_code == 400
        assert "Kies een waarde" not in resp.get_data(as_text=True)
    resp = propose(supplier, world, packages["zaak"], version=str(version_of(packages["other"], "1.0").id))
    assert resp.status_code == 400 and "Kies een versie van" in resp.get_data(as_text=True)
    resp = propose(supplier, world, packages["zaak"], organisation=str(world.other_supplier.id))
    assert resp.status_code == 400 and "Kies een goedgekeurde gemeente of samenwerking" in resp.get_data(as_text=True)
    assert db.session.query(Proposal).count() == 0


def test_the_package_page_offers_proposing_on_the_own_published_package_only(setup):
    app, world, packages = setup
    supplier = logged_in(app, world.users["aanbod"])
    own = supplier.get(f"/catalogus/pakketten/{packages['zaak'].public_id}").get_data(as_text=True)
    assert "Gebruik voorstellen aan een gemeente" in own
    assert f"/voorstellen/add?pakket={packages['zaak'].public_id}" in own.replace("&amp;", "&")
    other = supplier.get(f"/catalogus/pakketten/{packages['other'].public_id}").get_data(as_text=True)
    assert "Gebruik voorstellen aan een gemeente" not in other
    gemeente = logged_in(app, world.users["gebruik"]).get(f"/catalogus/pakketten/{packages['zaak'].public_id}")
    assert "Gebruik voorstellen aan een gemeente" not in gemeente.get_data(as_text=True)
    form = supplier.get(f"/voorstellen/add?pakket={packages['zaak'].public_id}").get_data(as_text=True)
    assert f'<option selected value="{packages["zaak"].id}">Zaakwijzer</option>' in form


# --- the REST API ---------------------------------------------------------------------------

def _headers(app, user):
    return {"Authorization": f"Bearer {api_token(app.test_client(), user)}"}


def test_api_supplier_creates_lists_and_withdraws(setup):
    app, world, packages = setup
    client = app.test_client()
    headers = _headers(app, world.users["aanbod"])
    resp = client.post("/api/v1/voorstellen/", headers=headers, json={
        "organisation": world.gemeente.id, "package": packages["zaak"].id,
        "version": version_of(packages["zaak"], "4.0").id, "status": "gepland", "status_date": "2026-09-01",
        "note": "via de API"})
    assert resp.status_code == 201, resp.json
    pk = resp.json["id"]
    assert resp.json["result"]["state"] == "open"
    listed = client.get("/api/v1/voorstellen/", headers=headers).json
    assert [r["note"] for r in listed["result"]] == ["via de API"]
    refused = client.post("/api/v1/voorstellen/", headers=headers, json={
        "organisation": world.gemeente.id, "package": packages["concept"].id})
    assert refused.status_code == 400 and "eigen organisatie" in refused.json["message"]
    assert client.post(f"/api/v1/voorstellen/{pk}/intrekken", headers=headers).json["state"] == "ingetrokken"
    again = client.post(f"/api/v1/voorstellen/{pk}/intrekken", headers=headers)
    assert again.status_code == 409 and "ingetrokken" in again.json["message"]


def test_api_municipality_lists_accepts_with_corrections_and_rejects(setup, mailbox):
    app, world, packages = setup
    client = app.test_client()
    supplier = _headers(app, world.users["aanbod"])
    first = client.post("/api/v1/voorstellen/", headers=supplier, json={
        "organisation": world.gemeente.id, "package": packages["zaak"].id, "status": "gepland"}).json["id"]
    second_package = make_package(world.supplier, "Archiefkast")
    second = client.post("/api/v1/voorstellen/", headers=supplier, json={
        "organisation": world.gemeente.id, "package": second_package.id}).json["id"]
    gemeente = _headers(app, world.users["gebruik"])
    incoming = client.get("/api/v1/ontvangen-voorstellen/", headers=gemeente).json
    assert sorted(r["id"] for r in incoming["result"]) == sorted([first, second])
    assert {r["supplier"]["name"] for r in incoming["result"]} == {"ICT Solutions BV"}
    resp = client.post(f"/api/v1/ontvangen-voorstellen/{first}/accepteren", headers=gemeente,
                       json={"status": "in_productie", "version": version_of(packages["zaak"], "3.1").id})
    assert resp.status_code == 200 and resp.json["state"] == "geaccepteerd"
    usage = db.session.scalars(select(Usage)).one()
    assert (usage.status, usage.version.name) == ("in_productie", "3.1")
    resp = client.post(f"/api/v1/ontvangen-voorstellen/{second}/afwijzen", headers=gemeente,
                       json={"reason": "Niet bij ons"})
    assert resp.status_code == 200 and resp.json["result"]["reason"] == "Niet bij ons"
    assert client.post(f"/api/v1/ontvangen-voorstellen/{second}/accepteren", headers=gemeente).status_code == 409
    # The raadpleger reads but does not decide.
    reader = _headers(app, world.users["raadpleger"])
    assert client.get("/api/v1/ontvangen-voorstellen/", headers=reader).status_code == 200
    assert client.post(f"/api/v1/ontvangen-voorstellen/{first}/afwijzen", headers=reader).status_code in (401, 403)


def test_proposal_apis_are_in_the_openapi_description(setup):
    app, world, _ = setup
    spec = app.test_client().get("/api/v1/_openapi", headers=_headers(app, world.users["fb"])).json
    paths = spec["paths"]
    for path in ("/voorstellen/", "/voorstellen/{pk}/intrekken", "/ontvangen-voorstellen/",
                 "/ontvangen-voorstellen/{pk}/accepteren", "/ontvangen-voorstellen/{pk}/afwijzen"):
        assert any(p.endswith(path) for p in paths), path


def test_the_demo_gemeente_has_an_open_proposal_of_the_demo_supplier(app):
    from core.accounts import find_user_by_email
    from core.builtin.demo import DEMO_PASSWORD
    from plugins.f013_gebruik.demo import DEMO_SUPPLIER_USER, DEMO_USER
    from tests.support.actors import login

    seed = app.extensions["scg_plugins"].hook.seed_data
    seed(app=app, demo=True)
    seed(app=app, demo=True)  # idempotent
    assert db.session.query(Proposal).filter_by(state="open").count() == 1
    gemeente = app.test_client()
    login(gemeente, find_user_by_email(DEMO_USER), password=DEMO_PASSWORD)
    assert "voorgesteld door Voorbeeld Software BV (demo)" in gemeente.get("/gebruik/list/").get_data(as_text=True)
    supplier = app.test_client()
    login(supplier, find_user_by_email(DEMO_SUPPLIER_USER), password=DEMO_PASSWORD)
    assert "Versie 4.0 staat voor u klaar" in supplier.get("/voorstellen/list/").get_data(as_text=True)


class BlockLink:
    """Another plugin's link on the decision page (the slot ``proposal_page``), e.g. blocking the supplier."""

    @hookimpl
    def page_links(self, slot, obj, user):
        from core.slots import Link

        if slot != "proposal_page":
            return []
        return [Link(f"Geen voorstellen meer van {obj.supplier.name}", "/ergens", order=50)]


def test_the_decision_page_renders_the_proposal_page_slot(make_app):
    app = make_app(plugins=[BlockLink()])
    with app.app_context():
        world = World.build(app)
        package = make_package(world.supplier, "Zaakwijzer")
        propose(logged_in(app, world.users["aanbod"]), world, package)
        page = logged_in(app, world.users["gebruik"]).get(f"/gebruik/voorstellen/show/{only_proposal().id}")
        assert "Geen voorstellen meer van ICT Solutions BV" in page.get_data(as_text=True)
