"""Pt 2: in-app notifications (counter in the top bar, list, mark as read) and e-mail per user as chosen
(at once, daily or weekly digest, never); events: interest, a new municipality viewing, a proposal decided
(F013's event), a document approved or rejected. Mail goes over real SMTP (tests/support/mailbox.py)."""

from __future__ import annotations

import datetime as dt

from sqlalchemy import select

from core.events import DocumentApproved, DocumentRejected, ProposalDecided, ProposalMade, emit
from core.extensions import db
from plugins.f006_inzichten.models import Notification, ProposalFact
from tests.f006.conftest import logged_in, view
from tests.support.actors import csrf_token

JAN = "jan@ictsolutions.example"


def texts(app, user):
    with app.app_context():
        return [n.text for n in db.session.scalars(select(Notification).where(Notification.user_id == user.id)
                                                   .order_by(Notification.id))]


def choose(client, frequency):
    token = csrf_token(client, "/inzichten/meldingen/instellingen/")
    resp = client.post("/inzichten/meldingen/instellingen/", data={"frequency": frequency, "csrf_token": token},
                       follow_redirects=True)
    assert "Uw keuze voor e-mail over meldingen is opgeslagen." in resp.get_data(as_text=True)


def decide(app, world, package, outcome, proposal_id=7):
    with app.test_request_context():
        day = dt.date.today()
        emit(ProposalMade(proposal_id=proposal_id, organisation_id=world.gemeente.id, supplier_id=world.supplier.id,
                          package_id=package.id, day=day))
        emit(ProposalDecided(proposal_id=proposal_id, organisation_id=world.gemeente.id,
                             supplier_id=world.supplier.id, package_id=package.id, day=day, outcome=outcome))
        db.session.commit()


def test_proposal_decided_and_documents_notify_the_supplier_in_the_app_without_a_second_mail(
        app, world, catalogue, mailbox):
    """F013 and F004 e-mail these decisions themselves: F006 adds the notification, not a second e-mail."""
    zaak = catalogue["zaak"]
    decide(app, world, zaak, "afgewezen")
    with app.test_request_context():
        emit(DocumentApproved(document_id=1, package_id=zaak.id, organisation_id=world.supplier.id))
        emit(DocumentRejected(document_id=2, package_id=zaak.id, organisation_id=world.supplier.id,
                              reason="De pentest is ouder dan een jaar."))
        db.session.commit()
        assert db.session.get(ProposalFact, 7).state == "afgewezen"
    assert texts(app, world.users["aanbod"]) == [
        "Voorbeeldstad heeft uw voorstel voor Zaakwijzer afgewezen.",
        "Een document van Zaakwijzer is goedgekeurd en is nu zichtbaar.",
        "Een document van Zaakwijzer is afgewezen: De pentest is ouder dan een jaar."]
    assert texts(app, world.users["aanbod_other"]) == []  # the other supplier hears nothing
    assert not [m for m in mailbox.to(JAN) if m.subject.strip().startswith("Nieuwe melding")]


def test_counter_list_and_mark_as_read(app, world, catalogue):
    decide(app, world, catalogue["zaak"], "geaccepteerd")
    view(logged_in(app, world.users["gebruik"]), catalogue["zaak"])  # a new municipality viewed
    supplier = logged_in(app, world.users["aanbod"])
    page = supplier.get("/welkom/").get_data(as_text=True)
    assert "Meldingen (2)" in page
    listing = supplier.get("/inzichten/meldingen/list/").get_data(as_text=True)
    assert "U heeft 2 ongelezen meldingen." in listing
    assert "Voorbeeldstad heeft uw voorstel voor Zaakwijzer geaccepteerd." in listing
    with app.app_context():
        first = db.session.scalar(select(Notification.id).where(Notification.user_id == world.users["aanbod"].id)
                                  .order_by(Notification.id))
    token = csrf_token(supplier, "/inzichten/meldingen/list/")
    resp = supplier.post(f"/inzichten/meldingen/open/{first}", data={"csrf_token": token})
    assert resp.status_code == 302 and "/inzichten/pakket/" in resp.location
    assert "Meldingen (1)" in supplier.get("/welkom/").get_data(as_text=True)
    supplier.post("/inzichten/meldingen/alles-gelezen", data={"csrf_token": token})
    page = supplier.get("/welkom/").get_data(as_text=True)
    assert "Meldingen (" not in page and "Meldingen" in page
    # over GET nothing is marked
    assert supplier.get("/inzichten/meldingen/alles-gelezen").status_code in (404, 405)


def test_daily_digest_sends_once_and_never_sends_nothing(app, world, catalogue, mailbox):
    supplier = logged_in(app, world.users["aanbod"])
    choose(supplier, "dagelijks")
    decide(app, world, catalogue["zaak"], "afgewezen", proposal_id=1)
    decide(app, world, catalogue["zaak"], "verlopen", proposal_id=2)
    assert mailbox.to(JAN) == []
    runner = app.test_cli_runner()
    result = runner.invoke(args=["scg", "inzichten-overzichten", "wekelijks"])
    assert result.exit_code == 0 and "0 overzicht(en) verstuurd." in result.output
    result = runner.invoke(args=["scg", "inzichten-overzichten", "dagelijks"])
    assert result.exit_code == 0 and "1 overzicht(en) verstuurd." in result.output
    mails = mailbox.to(JAN)
    assert [m.subject.strip() for m in mails] == ["Uw dagelijkse overzicht: 2 melding(en)"]
    assert "Voorbeeldstad heeft uw voorstel voor Zaakwijzer afgewezen." in mails[0].text
    assert "Uw voorstel aan Voorbeeldstad voor Zaakwijzer is verlopen." in mails[0].text
    assert "1 overzicht" not in runner.invoke(args=["scg", "inzichten-overzichten", "dagelijks"]).output

    choose(supplier, "nooit")
    decide(app, world, catalogue["zaak"], "afgewezen", proposal_id=3)
    assert "0 overzicht(en)" in runner.invoke(args=["scg", "inzichten-overzichten", "dagelijks"]).output
    assert len(mailbox.to(JAN)) == 1
    assert len(texts(app, world.users["aanbod"])) == 3  # in the app it is there


def test_expiry_from_a_command_notifies_without_a_request(app, world, catalogue):
    """F013's expiry runs from the CLI: the notification's link is built without a request."""
    with app.app_context():
        day = dt.date.today()
        emit(ProposalDecided(proposal_id=9, organisation_id=world.gemeente.id, supplier_id=world.supplier.id,
                             package_id=catalogue["zaak"].id, day=day, outcome="verlopen"))
        db.session.commit()
        note = db.session.scalar(select(Notification).where(Notification.user_id == world.users["aanbod"].id))
        assert note.url == f"/inzichten/pakket/{catalogue['zaak'].public_id}"


def test_settings_refuse_an_unknown_choice_in_dutch(app, world):
    client = logged_in(app, world.users["gebruik"])
    token = csrf_token(client, "/inzichten/meldingen/instellingen/")
    resp = client.post("/inzichten/meldingen/instellingen/", data={"frequency": "elk-uur", "csrf_token": token})
    assert resp.status_code == 200
    assert "Not a valid choice" not in resp.get_data(as_text=True)
    assert "Kies" in resp.get_data(as_text=True)
    assert client.get("/inzichten/meldingen/instellingen/").status_code == 200
    assert app.test_client().get("/inzichten/meldingen/instellingen/").status_code == 302


def test_a_certification_about_to_expire_is_told_once_and_again_when_expired(app, world, mailbox):
    from plugins.f002_organisatie.models import Certification

    today = dt.date.today()
    soon = Certification(organisation_id=world.supplier.id, kind="anders", other_name="ISO 27001",
                         issuer="Certificeerder", valid_until=today + dt.timedelta(days=10))
    later = Certification(organisation_id=world.supplier.id, kind="anders", other_name="NEN 7510",
                          issuer="Certificeerder", valid_until=today + dt.timedelta(days=200))
    db.session.add_all([soon, later])
    db.session.commit()
    runner = app.test_cli_runner()
    for _ in range(2):  # daily: the second day tells nothing new
        result = runner.invoke(args=["scg", "certificeringen-herinneren"])
        assert result.exit_code == 0 and "1 certificering(en) gemeld." in result.output
    when = (today + dt.timedelta(days=10)).strftime("%d-%m-%Y")
    assert texts(app, world.users["aanbod"]) == [f"Uw certificering ISO 27001 verloopt op {when}."]
    assert texts(app, world.users["aanbod_other"]) == []
    soon = db.session.get(Certification, soon.id)
    soon.valid_until = today - dt.timedelta(days=1)
    db.session.commit()
    runner.invoke(args=["scg", "certificeringen-herinneren"])
    assert texts(app, world.users["aanbod"])[-1] == \
        f"Uw certificering ISO 27001 is verlopen op {(today - dt.timedelta(days=1)).strftime('%d-%m-%Y')}."
    assert len([m for m in mailbox.to(JAN) if "ISO 27001" in m.subject]) == 2
