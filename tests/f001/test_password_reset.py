"""Password reset by e-mail: reveals nothing, the link works once, the policy holds."""

from __future__ import annotations

from core.extensions import db
from core.models import ScgUser
from tests.f001.conftest import audit_actions
from tests.support.actors import PASSWORD, csrf_token, login, without_nonces

REQUEST = "/wachtwoord-vergeten/"
NEW_PASSWORD = "Nieuw-Geheim-Wachtwoord-34"


def ask(client, email: str):
    return client.post(REQUEST, data={"email": email, "csrf_token": csrf_token(client, REQUEST)})


def try_login(client, email: str, password: str):
    token = csrf_token(client, "/login/")
    return client.post("/login/", data={"username": email, "password": password, "csrf_token": token})


def choose(client, link: str, password: str, confirmation: str | None = None):
    path = link.replace("http://localhost", "")
    token = csrf_token(client, path)
    return client.post(path, data={"password": password, "password_confirm": confirmation or password,
                                   "csrf_token": token})


def test_login_page_links_to_the_reset_page(client, app):
    assert 'href="/wachtwoord-vergeten/"' in client.get("/login/").get_data(as_text=True)
    html = client.get(REQUEST).get_data(as_text=True)
    assert "Wachtwoord vergeten" in html and 'autocomplete="email"' in html


def test_known_and_unknown_addresses_get_the_same_answer(app, world, mailbox):
    answers = []
    for email in ("jan@ictsolutions.example", "niemand@nergens.example"):
        client = app.test_client()
        resp = ask(client, email)
        page = client.get(resp.location)
        answers.append((resp.status_code, resp.location, page.status_code, without_nonces(page.get_data(as_text=True))))
    assert answers[0] == answers[1]
    assert answers[0][0] == 302
    assert "Als er een account met dit e-mailadres bestaat" in answers[0][3]
    assert [m.recipients for m in mailbox.messages] == [["jan@ictsolutions.example"]]
    assert mailbox.last_to("jan@ictsolutions.example").subject == "Nieuw wachtwoord instellen"


def test_address_is_case_insensitive_and_deactivated_users_get_nothing(app, world, mailbox):
    client = app.test_client()
    ask(client, "  JAN@ictsolutions.EXAMPLE ")
    assert len(mailbox.to("jan@ictsolutions.example")) == 1
    user = world.users["aanbod_other"]
    user.active = False
    db.session.commit()
    ask(client, user.email)
    assert mailbox.to(user.email) == []


def test_reset_link_sets_a_new_password_once(app, world, mailbox):
    client = app.test_client()
    ask(client, "jan@ictsolutions.example")
    link = mailbox.last_to("jan@ictsolutions.example").links[0]
    page = client.get(link.replace("http://localhost", ""))
    assert page.status_code == 200 and "Nieuw wachtwoord kiezen" in page.get_data(as_text=True)

    resp = choose(client, link, NEW_PASSWORD)
    assert resp.status_code == 302 and resp.location.endswith("/login/")
    assert "Uw wachtwoord is gewijzigd" in client.get(resp.location).get_data(as_text=True)

    # The old password stops working, the new one works.
    other = app.test_client()
    assert "Onjuist e-mailadres of wachtwoord" in try_login(other, "jan@ictsolutions.example",
                                                             PASSWORD).get_data(as_text=True)
    login(other, world.users["aanbod"], password=NEW_PASSWORD)
    assert "Welkom, Jan" in other.get("/welkom/").get_data(as_text=True)

    # The link works once.
    again = app.test_client().get(link.replace("http://localhost", ""))
    assert again.status_code == 400
    html = again.get_data(as_text=True)
    assert "Deze link werkt niet" in html and 'href="/wachtwoord-vergeten/"' in html
    assert len(audit_actions("wachtwoord_herstellen")) == 1


def test_weak_or_different_passwords_are_refused(app, world, mailbox):
    client = app.test_client()
    ask(client, "jan@ictsolutions.example")
    link = mailbox.last_to("jan@ictsolutions.example").links[0]
    form = client.get(link.replace("http://localhost", "")).get_data(as_text=True)
    assert "Minstens 12 tekens — nog 12 te gaan" in form and "Veelgebruikte of uitgelekte wachtwoorden" in form
    resp = choose(client, link, "zwak")
    assert resp.status_code == 200
    assert "Gebruik minstens 12 tekens; nu zijn het er 4." in resp.get_data(as_text=True)
    resp = choose(client, link, "wachtwoord12")
    assert "lijsten van veelgebruikte of uitgelekte wachtwoorden" in resp.get_data(as_text=True)
    resp = choose(client, link, "Jan-Fietst-Naar-Huis-7")
    assert "Gebruik uw e-mailadres of de naam ervan niet in uw wachtwoord." in resp.get_data(as_text=True)
    resp = choose(client, link, NEW_PASSWORD, "Iets-Anders-Wachtwoord-99")
    assert "De twee wachtwoorden zijn niet gelijk." in resp.get_data(as_text=True)
    resp = choose(client, link, "Aa1-" * 40)
    assert "maximaal 128 tekens" in resp.get_data(as_text=True)
    # Still the old password, and the link still works.
    login(app.test_client(), world.users["aanbod"])
    assert choose(client, link, NEW_PASSWORD).status_code == 302


def test_an_older_link_stops_working_once_the_password_changed(app, world, mailbox):
    client = app.test_client()
    ask(client, "jan@ictsolutions.example")
    first = mailbox.last_to("jan@ictsolutions.example").links[0]
    ask(client, "jan@ictsolutions.example")
    second = mailbox.last_to("jan@ictsolutions.example").links[0]
    assert choose(client, second, NEW_PASSWORD).status_code == 302
    resp = client.get(first.replace("http://localhost", ""))
    assert resp.status_code == 400 and "Deze link werkt niet" in resp.get_data(as_text=True)


def test_tampered_reset_link_is_refused(app, world, mailbox):
    client = app.test_client()
    ask(client, "jan@ictsolutions.example")
    path = mailbox.last_to("jan@ictsolutions.example").links[0].replace("http://localhost", "")
    for bad in (path[:-2] + "xx", "/wachtwoord-vergeten/nieuw/onzin"):
        resp = client.get(bad)
        assert resp.status_code == 400 and "Deze link is ongeldig of beschadigd." in resp.get_data(as_text=True)
        token = csrf_token(client, REQUEST)
        resp = client.post(bad, data={"password": NEW_PASSWORD, "password_confirm": NEW_PASSWORD,
                                      "csrf_token": token})
        assert resp.status_code == 400
    db.session.expire_all()
    login(app.test_client(), db.session.get(ScgUser, world.users["aanbod"].id))


def test_bad_request_input_never_errors(app, world, mailbox):
    client = app.test_client()
    for email in ("", "geen adres", "a" * 1000 + "@x.nl", "<script>@x.nl"):
        resp = ask(client, email)
        assert resp.status_code == 200, email
        assert 'id="email-err"' in resp.get_data(as_text=True)
    assert mailbox.messages == []
