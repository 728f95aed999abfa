"""The functioneel beheerder reviews registrations; the supplier hears about it and can (not) log in."""

from __future__ import annotations

import pytest

from core.events import OrganisationApproved, OrganisationRegistered, OrganisationRejected, RegistrationConfirmed
from core.extensions import db
from core.models import Organisation
from core.plugins import hookimpl
from plugins.f001_toegang.models import Registration
from tests.f001.conftest import VALID, audit_actions, confirm, post_action, register, registration
from tests.support.actors import CSRF_RE, PASSWORD, csrf_token, enrol_after_password, login, make_org, make_user

QUEUE = "/beheer/aanmeldingen/list/"


def supplier_login(client, password: str = PASSWORD):
    token = csrf_token(client, "/login/")
    return client.post("/login/", data={"username": VALID["email"], "password": password, "csrf_token": token})


def test_full_journey_from_registration_to_welcome_page(app, world, mailbox):
    supplier = app.test_client()
    # 1. The supplier registers and gets the confirmation e-mail.
    assert register(supplier).status_code == 302
    link = mailbox.last_to(VALID["email"]).links[0]
    # 2. Before confirming, logging in is refused with the reason.
    assert "bevestig eerst uw e-mailadres" in supplier_login(supplier).get_data(as_text=True)
    # 3. Confirming: still no login, now because VNG has to review.
    confirm(supplier, link)
    html = supplier_login(supplier).get_data(as_text=True)
    assert "uw aanmelding wacht op beoordeling door VNG" in html
    assert supplier.get("/welkom/").status_code == 302
    # 4. The functioneel beheerder finds it in the queue and approves it.
    fb = app.test_client()
    login(fb, world.users["fb"])
    reg = registration()
    queue = fb.get(QUEUE).get_data(as_text=True)
    assert "Gemeentesoft BV" in queue and "11223344" in queue
    detail = fb.get(f"/beheer/aanmeldingen/show/{reg.id}").get_data(as_text=True)
    for text in ("Gemeentesoft BV", "11223344", "https://www.gemeentesoft.example", "info@gemeentesoft.example",
                 "+31 30 123 45 67", "Zaaksystemen voor kleine gemeenten.", "Zaakgericht werken",
                 "Document- en archiefbeheer", "Sanne de Vries", VALID["email"], "Aangemeld op",
                 "E-mail bevestigd op", "Bevestigd (wacht op beoordeling)"):
        assert text in detail, text
    mailbox.clear()
    approve_url = f"/beheer/aanmeldingen/goedkeuren/{reg.id}"
    assert f'action="{approve_url}"' in detail  # the button on the detail page
    resp = fb.post(approve_url, data={"csrf_token": CSRF_RE.search(detail).group(1)})
    assert resp.status_code == 302
    assert "is goedgekeurd" in fb.get(resp.location).get_data(as_text=True)
    assert registration().organisation.status == "goedgekeurd"
    # 5. The supplier gets an e-mail and logs in as Aanbod-beheerder, landing on the welcome page.
    mail = mailbox.last_to(VALID["email"])
    assert mail.subject == "Uw aanmelding bij de Softwarecatalogus is goedgekeurd"
    assert "http://localhost/login/" in mail.links
    resp = supplier_login(supplier)
    # An Aanbod-beheerder sets up two-factor at the first login, and is then in.
    assert resp.status_code == 302 and resp.location.endswith("/login/code-instellen/")
    assert supplier.get("/welkom/").status_code == 302
    _secret, resp = enrol_after_password(supplier)
    assert 'href="/welkom/"' in resp.get_data(as_text=True)
    welcome = supplier.get("/welkom/").get_data(as_text=True)
    assert "Welkom, Sanne" in welcome
    assert "Gemeentesoft BV" in welcome
    assert "Vul uw bedrijfsprofiel aan" in welcome
    assert f'href="/organisaties/edit/{reg.organisation_id}"' not in welcome  # one profile page: F002's
    show = f"/organisaties/show/{reg.organisation_id}"
    assert f'href="{show}"' in welcome
    assert supplier.get(show).status_code == 200  # the step leads to a page the supplier may use
    assert registration().user.roles[0].name == "Aanbod-beheerder"


def test_rejection_needs_a_reason_and_tells_the_supplier(app, confirmed, fb, mailbox):
    resp = post_action(fb, confirmed.id, "afwijzen", reason="")
    assert resp.status_code == 400
    assert "Vul de reden van de afwijzing in." in resp.get_data(as_text=True)
    assert registration().organisation.status == "bevestigd"
    assert mailbox.messages == []

    reason = "Geen softwareleverancier: u verkoopt kantoorartikelen."
    resp = post_action(fb, confirmed.id, "afwijzen", reason=reason)
    assert resp.status_code == 302
    org = registration().organisation
    assert (org.status, org.rejection_reason) == ("afgewezen", reason)
    mail = mailbox.last_to(VALID["email"])
    assert mail.subject == "Uw aanmelding bij de Softwarecatalogus is afgewezen"
    assert reason in mail.text
    html = supplier_login(app.test_client()).get_data(as_text=True)
    assert "uw aanmelding is afgewezen" in html
    assert "Reden: Geen softwareleverancier: u verkoopt kantoorartikelen." in html
    [entry] = audit_actions("afwijzen")
    assert entry.object_id == str(org.id) and entry.user_id is not None and reason in entry.details


def test_approval_is_audited_and_events_are_emitted(make_app, mailbox):
    seen = []

    class Listener:
        @hookimpl
        def on_event(self, event):
            seen.append(event)

    app = make_app(plugins=[Listener()])
    with app.app_context():
        from tests.support.actors import World

        world = World.build(app)
        supplier = app.test_client()
        register(supplier)
        confirm(supplier, mailbox.last_to(VALID["email"]).links[0])
        reg = registration()
        fb = app.test_client()
        login(fb, world.users["fb"])
        post_action(fb, reg.id, "goedkeuren")
        kinds = [type(e) for e in seen]
        assert kinds == [OrganisationRegistered, RegistrationConfirmed, OrganisationApproved]
        assert all(e.organisation_id == reg.organisation_id for e in seen)
        assert seen[-1].actor_id == world.users["fb"].id
        [entry] = audit_actions("goedkeuren")
        assert (entry.object_type, entry.object_id, entry.organisation_id, entry.user_id) == (
            "Organisation", str(reg.organisation_id), reg.organisation_id, world.users["fb"].id)


def test_rejection_event_carries_the_reason(make_app, mailbox):
    seen = []

    class Listener:
        @hookimpl
        def on_event(self, event):
            if isinstance(event, OrganisationRejected):
                seen.append(event)

    app = make_app(plugins=[Listener()])
    with app.app_context():
        from tests.support.actors import World

        world = World.build(app)
        supplier = app.test_client()
        register(supplier)
        confirm(supplier, mailbox.last_to(VALID["email"]).links[0])
        fb = app.test_client()
        login(fb, world.users["fb"])
        post_action(fb, registration().id, "afwijzen", reason="Onvolledige gegevens.")
        assert [(e.reason, e.actor_id) for e in seen] == [("Onvolledige gegevens.", world.users["fb"].id)]


def test_queue_shows_confirmed_by_default_and_filters_by_status(app, world, fb, mailbox, confirmed):
    waiting = make_org("Wacht Nog BV", status="aangemeld", kvk_number="10000001")
    user = make_user("wacht@nog.example", "Aanbod-beheerder", waiting)
    from core.models import utcnow

    db.session.add(Registration(organisation=waiting, user=user, privacy_consent_on=utcnow()))
    db.session.commit()

    default = fb.get(QUEUE).get_data(as_text=True)
    assert "Gemeentesoft BV" in default and "Wacht Nog BV" not in default
    assert 'aria-current="page">Te beoordelen' in default
    assert default.count("<h1") == 1
    aangemeld = fb.get(QUEUE + "?status=aangemeld").get_data(as_text=True)
    assert "Wacht Nog BV" in aangemeld and "Gemeentesoft BV" not in aangemeld
    everything = fb.get(QUEUE + "?status=alle").get_data(as_text=True)
    assert "Wacht Nog BV" in everything and "Gemeentesoft BV" in everything
    assert fb.get(QUEUE + "?status=<script>").status_code == 200  # unknown: the default tab
    fb.get(post_action(fb, confirmed.id, "goedkeuren").location)  # read the message
    assert "Gemeentesoft BV" not in fb.get(QUEUE).get_data(as_text=True)
    assert "Gemeentesoft BV" in fb.get(QUEUE + "?status=goedgekeurd").get_data(as_text=True)
    # A registration that is not confirmed cannot be approved.
    reg = db.session.query(Registration).filter_by(organisation_id=waiting.id).one()
    html = fb.get(f"/beheer/aanmeldingen/show/{reg.id}").get_data(as_text=True)
    assert "Aanmelding goedkeuren" not in html
    post_action(fb, reg.id, "goedkeuren")
    db.session.expire_all()
    assert db.session.get(Organisation, waiting.id).status == "aangemeld"


def test_queue_menu_entry_for_the_functioneel_beheerder(fb):
    html = fb.get("/welkom/").get_data(as_text=True)
    assert 'href="/beheer/aanmeldingen/list/"' in html
    assert "Aanmeldingen" in html
    assert "Beoordeel aanmeldingen" in html  # a step on the welcome page


def test_the_review_task_counts_the_waiting_registrations(confirmed, fb):
    from tests.support.welcome import tasks

    assert tasks(fb.get("/welkom/").get_data(as_text=True))["Beoordeel aanmeldingen"] == (
        "Nog te doen", "1 aanmelding wacht")
    post_action(fb, confirmed.id, "goedkeuren")
    assert tasks(fb.get("/welkom/").get_data(as_text=True))["Beoordeel aanmeldingen"] == (
        "Gedaan", "Geen aanmeldingen die wachten")


@pytest.mark.parametrize("who", ["aanbod", "gebruik", "vng", "raadpleger"])
def test_others_cannot_see_the_queue_or_review(app, world, confirmed, mailbox, who):
    client = app.test_client()
    login(client, world.users[who])
    assert client.get(QUEUE).status_code == 403
    assert client.get(f"/beheer/aanmeldingen/show/{confirmed.id}").status_code == 403
    token = csrf_token(client, "/wachtwoord-vergeten/")  # any page with a form gives a valid token
    for action, data in (("goedkeuren", {}), ("afwijzen", {"reason": "Zomaar afgewezen."})):
        resp = client.post(f"/beheer/aanmeldingen/{action}/{confirmed.id}", data={"csrf_token": token, **data})
        assert resp.status_code == 403
    assert 'href="/beheer/aanmeldingen/list/"' not in client.get("/welkom/").get_data(as_text=True)
    assert registration().organisation.status == "bevestigd"
    assert mailbox.messages == []


def test_visitors_are_sent_to_the_login_page(client, confirmed):
    for path in (QUEUE, f"/beheer/aanmeldingen/show/{confirmed.id}"):
        resp = client.get(path)
        assert resp.status_code == 302 and "/login/" in resp.location
    token = csrf_token(client, "/wachtwoord-vergeten/")
    resp = client.post(f"/beheer/aanmeldingen/goedkeuren/{confirmed.id}", data={"csrf_token": token})
    assert resp.status_code == 302 and "/login/" in resp.location
    assert registration().organisation.status == "bevestigd"


def test_a_get_to_approve_or_reject_changes_nothing(fb, confirmed, mailbox):
    for action in ("goedkeuren", "afwijzen"):
        resp = fb.get(f"/beheer/aanmeldingen/{action}/{confirmed.id}")
        assert resp.status_code == 302
        assert resp.location.endswith(f"/beheer/aanmeldingen/show/{confirmed.id}")
    assert registration().organisation.status == "bevestigd"
    assert mailbox.messages == []
    assert audit_actions("goedkeuren") == []


def test_approve_without_csrf_token_changes_nothing(fb, confirmed, mailbox):
    assert fb.post(f"/beheer/aanmeldingen/goedkeuren/{confirmed.id}").status_code == 400
    assert registration().organisation.status == "bevestigd"
    assert mailbox.messages == []


def test_approving_twice_gives_one_approval_and_one_email(fb, confirmed, mailbox):
    first = post_action(fb, confirmed.id, "goedkeuren")
    second = post_action(fb, confirmed.id, "goedkeuren")
    assert "kon niet worden beoordeeld" in fb.get(second.location).get_data(as_text=True)
    assert first.status_code == second.status_code == 302
    assert len(mailbox.to(VALID["email"])) == 1
    assert len(audit_actions("goedkeuren")) == 1
    # Rejecting after approval does not change the outcome either.
    post_action(fb, confirmed.id, "afwijzen", reason="Toch maar niet.")
    assert registration().organisation.status == "goedgekeurd"
    assert len(mailbox.to(VALID["email"])) == 1


def test_unknown_registration_gives_a_message_not_an_error(fb):
    resp = fb.get("/beheer/aanmeldingen/show/999999")
    assert resp.status_code == 302
    assert "bestaat niet" in fb.get(resp.location).get_data(as_text=True)
    assert fb.get("/beheer/aanmeldingen/show/abc").status_code == 404


def test_reject_reason_is_limited_and_escaped(fb, confirmed, mailbox):
    resp = post_action(fb, confirmed.id, "afwijzen", reason="x" * 2001)
    assert resp.status_code == 400
    assert "De reden moet 5 tot 2000 tekens lang zijn." in resp.get_data(as_text=True)
    resp = post_action(fb, confirmed.id, "afwijzen", reason="<script>alert(1)</script> geen KvK")
    html = fb.get(resp.location).get_data(as_text=True)
    assert "&lt;script&gt;alert(1)&lt;/script&gt; geen KvK" in html
    assert "<script>alert(1)</script>" not in html
    assert "<script>alert(1)</script>" not in mailbox.last_to(VALID["email"]).html


def test_no_add_edit_or_delete_for_registrations(fb, confirmed):
    assert fb.get("/beheer/aanmeldingen/add").status_code in (403, 404)
    assert fb.get(f"/beheer/aanmeldingen/edit/{confirmed.id}").status_code in (403, 404)
    token = csrf_token(fb, f"/beheer/aanmeldingen/show/{confirmed.id}")
    assert fb.post(f"/beheer/aanmeldingen/delete/{confirmed.id}",
                   data={"csrf_token": token}).status_code in (403, 404, 405)
    assert registration() is not None
