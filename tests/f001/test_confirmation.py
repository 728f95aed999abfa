"""The confirmation link: works once, expires after 48 hours, and a broken link offers a new one."""

from __future__ import annotations

import pytest
from itsdangerous.timed import TimestampSigner

from core.extensions import db
from core.models import Organisation
from plugins.f001_toegang.models import Registration
from tests.f001.conftest import VALID, audit_actions, confirm, register
from tests.support.actors import PASSWORD, csrf_token, without_nonces

NEW_LINK = "/aanmelden/nieuwe-link/"


def organisation() -> Organisation:
    db.session.expire_all()
    return db.session.query(Organisation).filter_by(kvk_number=VALID["kvk_number"]).one()


def path_of(link: str) -> str:
    return link.replace("http://localhost", "")


def assert_link_problem(resp, text: str):
    html = resp.get_data(as_text=True)
    assert resp.status_code == 400
    assert "Deze link werkt niet" in html
    assert text in html
    assert f'action="{NEW_LINK}"' in html, "the page offers to send a new link"
    assert 'name="email"' in html


@pytest.fixture
def clock(monkeypatch):
    """Move the clock of signed links forward: ``clock(hours)``."""

    real = TimestampSigner.get_timestamp

    def move(hours: float):
        monkeypatch.setattr(TimestampSigner, "get_timestamp", lambda self: real(self) + int(hours * 3600))

    yield move
    monkeypatch.setattr(TimestampSigner, "get_timestamp", real)


def test_opening_the_link_does_not_confirm_until_the_button_is_pressed(client, registered):
    _resp, link = registered
    page = client.get(path_of(link))
    assert page.status_code == 200
    assert "Mijn e-mailadres bevestigen" in page.get_data(as_text=True)
    assert organisation().status == "aangemeld"  # a link preview in a mail filter changes nothing


def test_confirming_sets_status_and_tells_vng(client, app, registered, mailbox):
    _resp, link = registered
    resp = confirm(client, link)
    html = resp.get_data(as_text=True)
    assert resp.status_code == 200
    assert "Uw e-mailadres is bevestigd" in html
    org = organisation()
    assert org.status == "bevestigd"
    registration = db.session.query(Registration).filter_by(organisation_id=org.id).one()
    assert registration.confirmed_on is not None
    assert [a.object_id for a in audit_actions("bevestigen")] == [str(org.id)]
    note = mailbox.last_to(app.config["VNG_CONTACT_EMAIL"])
    assert "Gemeentesoft BV" in note.subject
    assert f"/beheer/aanmeldingen/show/{registration.id}" in note.text


def test_a_used_link_shows_the_clear_page(client, registered, mailbox):
    _resp, link = registered
    confirm(client, link)
    assert_link_problem(client.get(path_of(link)), "Deze link is al gebruikt.")
    assert organisation().status == "bevestigd"


def test_a_tampered_link_shows_the_clear_page(client, registered):
    _resp, link = registered
    path = path_of(link)
    token = path.rsplit("/", 1)[1]
    tampered = token[:-3] + ("AAA" if token[-3:] != "AAA" else "BBB")
    assert_link_problem(client.get(path.replace(token, tampered)), "Deze link is ongeldig of beschadigd.")
    assert_link_problem(client.get("/aanmelden/bevestigen/zomaar-iets"), "Deze link is ongeldig of beschadigd.")
    assert organisation().status == "aangemeld"


def test_a_link_works_for_48_hours(client, registered, clock):
    _resp, link = registered
    clock(47)
    assert client.get(path_of(link)).status_code == 200
    clock(49)
    assert_link_problem(client.get(path_of(link)), "Deze link is verlopen.")
    assert organisation().status == "aangemeld"


def test_the_link_lifetime_follows_the_setting(make_app, mailbox, clock):
    app = make_app(CONFIRM_LINK_MAX_AGE=3600)
    with app.app_context():
        client = app.test_client()
        register(client)
        link = mailbox.last_to(VALID["email"]).links[0]
        assert "1 uur" in mailbox.last_to(VALID["email"]).text
        clock(2)
        assert_link_problem(client.get(path_of(link)), "Deze link is verlopen.")


def test_a_new_link_can_be_asked_for_and_works(client, registered, mailbox, clock):
    _resp, old_link = registered
    clock(49)
    assert_link_problem(client.get(path_of(old_link)), "Deze link is verlopen.")
    clock(0)
    mailbox.clear()
    resp = client.post(NEW_LINK, data={"email": VALID["email"].upper(), "csrf_token": csrf_token(client, NEW_LINK)})
    assert resp.status_code == 302
    assert "Als er een aanmelding met dit e-mailadres op bevestiging wacht" in client.get(resp.location).get_data(
        as_text=True)
    new_link = mailbox.last_to(VALID["email"]).links[0]
    assert new_link != old_link
    assert "Uw e-mailadres is bevestigd" in confirm(client, new_link).get_data(as_text=True)
    assert organisation().status == "bevestigd"


def test_asking_for_a_new_link_reveals_nothing(client, registered, mailbox):
    _resp, link = registered
    confirm(client, link)  # now bevestigd: no new link is sent
    mailbox.clear()
    answers = []
    for email in (VALID["email"], "onbekend@example.nl"):
        resp = client.post(NEW_LINK, data={"email": email, "csrf_token": csrf_token(client, NEW_LINK)})
        answers.append((resp.status_code, resp.location,
                        without_nonces(client.get(resp.location).get_data(as_text=True))))
    assert answers[0] == answers[1]
    assert mailbox.messages == []


def test_new_link_form_checks_the_address(client, app):
    resp = client.post(NEW_LINK, data={"email": "geen adres", "csrf_token": csrf_token(client, NEW_LINK)})
    assert resp.status_code == 200
    assert "Vul een geldig e-mailadres in" in resp.get_data(as_text=True)


def test_an_older_unused_link_after_confirming_says_it_was_already_done(client, registered, mailbox):
    _resp, first = registered
    client.post(NEW_LINK, data={"email": VALID["email"], "csrf_token": csrf_token(client, NEW_LINK)})
    second = mailbox.last_to(VALID["email"]).links[0]
    confirm(client, second)
    html = confirm(client, first).get_data(as_text=True)
    assert "Uw e-mailadres was al bevestigd" in html
    assert len(audit_actions("bevestigen")) == 1


def test_before_confirming_login_is_refused_with_the_reason(client, registered):
    token = csrf_token(client, "/login/")
    resp = client.post("/login/", data={"username": VALID["email"], "password": PASSWORD, "csrf_token": token})
    html = resp.get_data(as_text=True)
    assert resp.status_code == 200
    assert "bevestig eerst uw e-mailadres" in html
    assert client.get("/welkom/").status_code == 302

