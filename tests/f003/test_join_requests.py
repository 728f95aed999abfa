"""Asking to join an organisation: the public form, the domain check, and the beheerder's decision."""

from __future__ import annotations

from core.extensions import db
from core.models import ScgUser
from core.roles import GEBRUIK_RAADPLEGER
from plugins.f003_gebruikers.models import Invitation, JoinRequest
from tests.f003.conftest import accept, bulk, client_for, invitation_link, path_of, session_csrf, text
from tests.support.actors import csrf_token, make_org

JOIN = "/aansluiten/"


def ask(client, email="kees@voorbeeldstad.example", organisation="", first_name="Kees", last_name="Jansen",
        motivation="Ik werk bij Burgerzaken."):
    data = {"first_name": first_name, "last_name": last_name, "email": email, "organisation": organisation,
            "motivation": motivation, "csrf_token": csrf_token(client, JOIN)}
    return client.post(JOIN, data={k: v for k, v in data.items() if v is not None})


def requests_for(email):
    db.session.expire_all()
    return db.session.query(JoinRequest).filter_by(email=email).all()


def decide(client, join_request_id, **data):
    return client.post(f"/aansluitverzoeken/beoordelen/{join_request_id}",
                       data=dict(data, csrf_token=session_csrf(client)))


def test_public_page_is_a_dutch_form(app, world):
    html = text(app.test_client().get(JOIN))
    assert "<h1>Aansluiten bij uw organisatie</h1>" in html
    assert 'for="email"' in html and 'for="organisation"' in html and 'for="motivation"' in html
    assert "Voorbeeldstad (Gemeente)" in html and "ICT Solutions BV (Leverancier)" in html
    assert "VNG Realisatie" not in html  # nobody joins VNG through this page


def test_join_request_approved_becomes_an_invitation_and_an_account(app, world, mailbox):
    resp = ask(app.test_client())  # organisation derived from the e-mail domain
    assert resp.status_code == 200
    assert "Uw verzoek is verstuurd" in text(resp) and "Voorbeeldstad" in text(resp)
    [join_request] = requests_for("kees@voorbeeldstad.example")
    assert join_request.organisation_id == world.gemeente.id and join_request.status == "open"

    notice = mailbox.last_to("gb@voorbeeldstad.example")
    assert notice.subject == "Verzoek om aan te sluiten bij Voorbeeldstad"
    assert "Kees Jansen (kees@voorbeeldstad.example)" in notice.text and "Ik werk bij Burgerzaken." in notice.text
    assert f"/aansluitverzoeken/show/{join_request.id}" in notice.text
    assert mailbox.to("gr@voorbeeldstad.example") == []  # the raadpleger is no beheerder

    beheerder = client_for(app, world.users["gebruik"])
    assert "kees@voorbeeldstad.example" in text(beheerder.get("/aansluitverzoeken/list/"))
    assert "Beoordeel aansluitverzoeken" in text(beheerder.get("/welkom/"))
    page = text(beheerder.get(path_of([link for link in notice.links if "/aansluitverzoeken/" in link][0])))
    assert "Ik werk bij Burgerzaken." in page and "Goedkeuren en uitnodiging sturen" in page
    resp = decide(beheerder, join_request.id, role=GEBRUIK_RAADPLEGER, approve="Goedkeuren")
    assert resp.status_code == 302
    assert "krijgt een uitnodiging per e-mail" in text(beheerder.get(resp.location))

    invitation_mail = mailbox.last_to("kees@voorbeeldstad.example")
    assert "Uw verzoek om aan te sluiten bij Voorbeeldstad is goedgekeurd" in invitation_mail.text
    person = app.test_client()
    assert accept(person, invitation_link(mailbox, "kees@voorbeeldstad.example"), "Kees", "Jansen").status_code == 302
    assert "Welkom, Kees" in text(person.get("/welkom/"))
    db.session.expire_all()
    user = db.session.query(ScgUser).filter_by(email="kees@voorbeeldstad.example").one()
    assert [r.name for r in user.roles] == [GEBRUIK_RAADPLEGER] and user.organisation.id == world.gemeente.id
    assert requests_for("kees@voorbeeldstad.example")[0].status == "goedgekeurd"
    # a decided request cannot be decided again
    resp = decide(beheerder, join_request.id, decline="Afwijzen")
    assert "Dit verzoek is al beoordeeld" in text(beheerder.get(resp.location))


def test_declined_request_gets_a_polite_mail_with_the_reason(app, world, mailbox):
    ask(app.test_client(), organisation=str(world.gemeente.id))
    [join_request] = requests_for("kees@voorbeeldstad.example")
    beheerder = client_for(app, world.users["gebruik"])
    resp = decide(beheerder, join_request.id, reason="Wij kennen u niet <b>", decline="Afwijzen")
    assert "Afgewezen" in text(beheerder.get(resp.location))
    message = mailbox.last_to("kees@voorbeeldstad.example")
    assert message.subject == "Uw verzoek om aan te sluiten"
    assert "helaas niet goedgekeurd" in message.text and "Wij kennen u niet <b>" in message.text
    assert "Wij kennen u niet &lt;b&gt;" in message.html
    declined = requests_for("kees@voorbeeldstad.example")[0]
    assert declined.status == "afgewezen" and declined.decision_reason == "Wij kennen u niet <b>"
    assert db.session.query(Invitation).count() == 0


def test_bulk_approve_uses_the_least_privileged_role(app, world, mailbox):
    ask(app.test_client(), email="a@voorbeeldstad.example")
    ask(app.test_client(), email="b@voorbeeldstad.example")
    ids = [requests_for(e)[0].id for e in ("a@voorbeeldstad.example", "b@voorbeeldstad.example")]
    beheerder = client_for(app, world.users["gebruik"])
    resp = bulk(beheerder, "/aansluitverzoeken", "approve", ids)
    assert "2 verzoek(en) goedgekeurd" in text(beheerder.get(resp.location))
    db.session.expire_all()
    roles = {i.email: i.role_name for i in db.session.query(Invitation)}
    assert roles == {"a@voorbeeldstad.example": GEBRUIK_RAADPLEGER, "b@voorbeeldstad.example": GEBRUIK_RAADPLEGER}


def test_domain_must_match_the_chosen_organisation(app, world, mailbox):
    resp = ask(app.test_client(), email="kees@andersdomein.example", organisation=str(world.gemeente.id))
    assert resp.status_code == 400
    assert "Het domein van uw e-mailadres (@andersdomein.example) hoort niet bij Voorbeeldstad" in text(resp)
    assert requests_for("kees@andersdomein.example") == [] and mailbox.messages == []


def test_public_mail_services_and_unknown_domains_are_explained(app, world, mailbox):
    resp = ask(app.test_client(), email="kees@gmail.com", organisation=str(world.gemeente.id))
    assert resp.status_code == 400 and "algemene e-maildienst (@gmail.com)" in text(resp)
    resp = ask(app.test_client(), email="kees@nergens.example")
    assert resp.status_code == 400 and "We vinden geen organisatie bij het domein @nergens.example" in text(resp)
    assert mailbox.messages == []


def test_website_domain_counts_too(app, world, mailbox):
    org = make_org("Regio Samen", "samenwerking", website="https://www.regiosamen.example")
    make_org("Lege Organisatie BV")  # no e-mail, no website: never matches
    resp = ask(app.test_client(), email="anna@regiosamen.example")
    assert resp.status_code == 200
    assert requests_for("anna@regiosamen.example")[0].organisation_id == org.id
    # nobody manages it yet: VNG hears about it
    assert "heeft geen actieve beheerder" in mailbox.last_to(app.config["VNG_CONTACT_EMAIL"]).text


def test_existing_account_looks_the_same_but_gets_a_private_mail(app, world, mailbox):
    resp = ask(app.test_client(), email="gr@voorbeeldstad.example")
    assert resp.status_code == 200 and "Uw verzoek is verstuurd" in text(resp)
    assert requests_for("gr@voorbeeldstad.example") == []
    assert mailbox.to("gb@voorbeeldstad.example") == []
    assert "U heeft al een account" in mailbox.last_to("gr@voorbeeldstad.example").text


def test_asking_twice_makes_one_request(app, world, mailbox):
    first, second = ask(app.test_client()), ask(app.test_client())
    assert text(first).count("Uw verzoek is verstuurd") == text(second).count("Uw verzoek is verstuurd") == 1
    assert len(requests_for("kees@voorbeeldstad.example")) == 1
    assert len(mailbox.to("gb@voorbeeldstad.example")) == 1


def test_bad_input_is_a_form_error_never_a_server_error(app, world, mailbox):
    client = app.test_client()
    cases = [
        ({"first_name": ""}, "Vul uw voornaam in"),
        ({"last_name": "x" * 65}, "Maximaal 64 tekens"),
        ({"email": "<script>alert(1)</script>"}, "Vul een geldig e-mailadres in"),
        ({"email": "kees@voorbeeldstad.example\nBcc: x@y.example"}, "Vul een geldig e-mailadres in"),
        ({"organisation": "abc"}, "Kies een organisatie uit de lijst"),
        ({"organisation": "99999999"}, "Kies een organisatie uit de lijst"),
        ({"organisation": "-5"}, "Kies een organisatie uit de lijst"),
        ({"motivation": "m" * 2001}, "Maximaal 2000 tekens"),
        ({"first_name": "Kees\x00"}, "tekens die niet zijn toegestaan"),
    ]
    for change, message in cases:
        resp = ask(client, **change)
        assert resp.status_code == 400, change
        assert message in text(resp), change
        assert "<script>alert(1)</script>" not in text(resp)
    resp = client.post(JOIN, data={"email": "kees@voorbeeldstad.example"})  # no CSRF token
    assert resp.status_code == 400
    assert db.session.query(JoinRequest).count() == 0 and mailbox.messages == []
    # unicode and markup in names are kept as text
    resp = ask(client, first_name="Zoë <i>", last_name="Ærø-Şahin", motivation="Regel 1\nRegel 2 — ✓")
    assert resp.status_code == 200
    stored = requests_for("kees@voorbeeldstad.example")[0]
    assert stored.first_name == "Zoë <i>" and stored.motivation == "Regel 1\nRegel 2 — ✓"


def test_join_request_posts_are_rate_limited_per_address(make_app, mailbox):
    app = make_app(RATELIMIT_ENABLED=True, JOIN_REQUEST_RATE_LIMIT="2 per hour")
    with app.app_context():
        make_org("Voorbeeldstad", "gemeente", email="info@voorbeeldstad.example")
        client = app.test_client()
        assert ask(client, email="a@voorbeeldstad.example").status_code == 200
        assert ask(client, email="b@voorbeeldstad.example").status_code == 200
        resp = ask(client, email="c@voorbeeldstad.example")
        assert resp.status_code == 429
        assert "te veel" in text(resp).lower() and 'lang="nl"' in text(resp)  # a Dutch page
        assert client.get(JOIN).status_code == 200  # reading the page stays possible
        assert requests_for("c@voorbeeldstad.example") == []
