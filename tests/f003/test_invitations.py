"""Inviting colleagues: the e-mail, the link, the account, and every way a link can fail."""

from __future__ import annotations

from core.extensions import db
from core.models import AuditLog, Membership, ScgUser
from core.roles import AANBOD_BEHEERDER, GEBRUIK_BEHEERDER, GEBRUIK_RAADPLEGER
from plugins.f003_gebruikers.models import Invitation
from tests.f003.conftest import NEW_PASSWORD, accept, action, client_for, fresh, invitation_link, invite, text
from tests.support.actors import enrol_after_password, login, make_org

ENROL = "/account/twee-factor/?next=/welkom/"


def _enrol_first(client):
    """A new beheerder is logged in, but must set up two-factor before any other page."""
    resp = client.get("/welkom/")
    assert resp.status_code == 302 and resp.location.endswith(ENROL)
    enrol_after_password(client, ENROL)


def _open_invitation(email):
    db.session.expire_all()
    return db.session.query(Invitation).filter_by(email=email).one()


def test_invitee_gets_mail_sets_password_and_is_logged_in_with_the_right_role(app, world, mailbox):
    beheerder = client_for(app, world.users["aanbod"])
    resp = invite(beheerder, "Eva@ICTSolutions.example", AANBOD_BEHEERDER, first_name="Eva")
    assert resp.status_code == 302
    assert "De uitnodiging is verstuurd naar eva@ictsolutions.example" in text(beheerder.get(resp.location))

    message = mailbox.last_to("eva@ictsolutions.example")
    assert message.subject == "Uitnodiging: werk mee namens ICT Solutions BV"
    assert "Jan Pietersen nodigt u uit" in message.text
    assert "7 dagen" in message.text
    invitation = _open_invitation("eva@ictsolutions.example")
    assert invitation.status == "open" and invitation.organisation_id == world.supplier.id
    assert db.session.query(AuditLog).filter_by(action="uitnodigen", object_id=str(invitation.id)).count() == 1

    invitee = app.test_client()
    page = invitee.get(invitation_link(mailbox, "eva@ictsolutions.example"))
    assert page.status_code == 200
    assert "ICT Solutions BV" in text(page) and "Aanbod-beheerder" in text(page)
    resp = accept(invitee, invitation_link(mailbox, "eva@ictsolutions.example"), "Eva", "de Vries")
    assert resp.status_code == 302 and resp.location.endswith("/welkom/")
    _enrol_first(invitee)
    welcome = text(invitee.get("/welkom/"))
    assert "Welkom, Eva" in welcome and "ICT Solutions BV" in welcome

    db.session.expire_all()
    user = db.session.query(ScgUser).filter_by(email="eva@ictsolutions.example").one()
    assert [r.name for r in user.roles] == [AANBOD_BEHEERDER]
    assert user.organisation.id == world.supplier.id
    assert fresh(Invitation, invitation.id).status == "geaccepteerd"
    # and the chosen password works for a normal login later
    login(app.test_client(), user, NEW_PASSWORD)


def test_link_works_once(app, world, mailbox):
    beheerder = client_for(app, world.users["gebruik"])
    invite(beheerder, "piet@voorbeeldstad.example", GEBRUIK_RAADPLEGER)
    link = invitation_link(mailbox, "piet@voorbeeldstad.example")
    assert accept(app.test_client(), link).status_code == 302
    again = app.test_client().get(link)
    assert again.status_code == 410
    assert "Deze uitnodiging is al gebruikt" in text(again)
    assert "Log dan in" in text(again)


def test_resend_makes_the_old_link_stop_working(app, world, mailbox):
    beheerder = client_for(app, world.users["aanbod"])
    invite(beheerder, "eva@ictsolutions.example", AANBOD_BEHEERDER)
    old_link = invitation_link(mailbox, "eva@ictsolutions.example")
    invitation = _open_invitation("eva@ictsolutions.example")
    resp = action(beheerder, "/uitnodigingen", "resend", invitation.id)
    assert resp.status_code == 302
    new_link = invitation_link(mailbox, "eva@ictsolutions.example")
    assert new_link != old_link
    assert fresh(Invitation, invitation.id).send_count == 2

    visitor = app.test_client()
    old = visitor.get(old_link)
    assert old.status_code == 410
    assert "nieuwe uitnodiging gekregen" in text(old) and "nieuwste e-mail" in text(old)
    assert accept(visitor, old_link).status_code == 410  # posting the old form does not help either
    assert accept(visitor, new_link).status_code == 302


def test_expired_link_explains_and_sends_to_the_beheerder(app, world, mailbox):
    beheerder = client_for(app, world.users["aanbod"])
    invite(beheerder, "eva@ictsolutions.example", AANBOD_BEHEERDER)
    link = invitation_link(mailbox, "eva@ictsolutions.example")
    app.config["INVITE_LINK_MAX_AGE"] = -1  # every link is now too old
    resp = app.test_client().get(link)
    assert resp.status_code == 410
    assert "Deze uitnodiging is verlopen" in text(resp)
    assert "Vraag de beheerder van uw organisatie om u een nieuwe uitnodiging te sturen" in text(resp)


def test_tampered_and_garbage_links_are_a_clear_page_not_an_error(app, world, mailbox):
    beheerder = client_for(app, world.users["aanbod"])
    invite(beheerder, "eva@ictsolutions.example", AANBOD_BEHEERDER)
    link = invitation_link(mailbox, "eva@ictsolutions.example")
    visitor = app.test_client()
    for bad in (link[:-3] + "abc", "/uitnodiging/x", "/uitnodiging/" + "a" * 5000,
                "/uitnodiging/%3Cscript%3Ealert(1)%3C%5Cscript%3E", "/uitnodiging/%C3%A9%F0%9F%98%80"):
        resp = visitor.get(bad)
        assert resp.status_code == 400, bad
        assert "Deze link is ongeldig of beschadigd" in text(resp)
        assert "<script>alert(1)" not in text(resp)
        assert accept(visitor, bad).status_code == 400
    assert visitor.get("/uitnodiging/a/b").status_code == 404  # not a link of ours at all


def test_revoked_invitation_link_stops_working(app, world, mailbox):
    beheerder = client_for(app, world.users["aanbod"])
    invite(beheerder, "eva@ictsolutions.example", AANBOD_BEHEERDER)
    link = invitation_link(mailbox, "eva@ictsolutions.example")
    invitation = _open_invitation("eva@ictsolutions.example")
    assert action(beheerder, "/uitnodigingen", "revoke", invitation.id).status_code == 302
    resp = app.test_client().get(link)
    assert resp.status_code == 410 and "Deze uitnodiging is ingetrokken" in text(resp)
    # a revoked invitation cannot be resent
    page = beheerder.get(action(beheerder, "/uitnodigingen", "resend", invitation.id).location)
    assert "kan niet opnieuw" in text(page)


def test_a_member_of_the_organisation_gets_no_invitation(app, world, mailbox):
    # (An account of another organisation can be invited: tests/f003/test_invite_existing_account.py.)
    beheerder = client_for(app, world.users["gebruik"])
    resp = invite(beheerder, "GR@voorbeeldstad.example", GEBRUIK_RAADPLEGER)
    assert resp.status_code == 400
    assert "Deze persoon is al lid van Voorbeeldstad" in text(resp)
    assert mailbox.to("gr@voorbeeldstad.example") == []
    assert db.session.query(Invitation).count() == 0


def test_second_invitation_while_open_is_refused_with_a_resend_button(app, world, mailbox):
    beheerder = client_for(app, world.users["aanbod"])
    invite(beheerder, "eva@ictsolutions.example", AANBOD_BEHEERDER)
    resp = invite(beheerder, "eva@ictsolutions.example", AANBOD_BEHEERDER)
    assert resp.status_code == 400
    html = text(resp)
    assert "Er staat al een uitnodiging open voor dit e-mailadres" in html
    invitation = _open_invitation("eva@ictsolutions.example")
    assert f"/uitnodigingen/action/resend/{invitation.id}" in html  # the offered resend
    assert len(mailbox.to("eva@ictsolutions.example")) == 1


def test_accepting_when_an_account_was_made_meanwhile(app, world, mailbox):
    beheerder = client_for(app, world.users["gebruik"])
    invite(beheerder, "later@voorbeeldstad.example", GEBRUIK_RAADPLEGER)
    link = invitation_link(mailbox, "later@voorbeeldstad.example")
    from tests.support.actors import make_user

    make_user("later@voorbeeldstad.example", GEBRUIK_RAADPLEGER, world.gemeente)
    resp = app.test_client().get(link)
    assert resp.status_code == 410 and "Er bestaat al een account met dit e-mailadres" in text(resp)


def test_password_policy_and_confirmation_on_the_accept_form(app, world, mailbox):
    beheerder = client_for(app, world.users["aanbod"])
    invite(beheerder, "eva@ictsolutions.example", AANBOD_BEHEERDER)
    link = invitation_link(mailbox, "eva@ictsolutions.example")
    visitor = app.test_client()
    form = visitor.get(link.replace("http://localhost", "")).get_data(as_text=True)
    assert "Minstens 12 tekens — nog 12 te gaan" in form and "Veelgebruikte of uitgelekte wachtwoorden" in form
    weak = accept(visitor, link, password="kort")
    assert weak.status_code == 400 and "Gebruik minstens 12 tekens; nu zijn het er 4." in text(weak)
    common = accept(visitor, link, password="Wachtwoord123!")
    assert common.status_code == 400 and "lijsten van veelgebruikte of uitgelekte wachtwoorden" in text(common)
    own_name = accept(visitor, link, password="Eva-Leest-Graag-Boeken")
    assert own_name.status_code == 400 and "Gebruik uw e-mailadres of de naam ervan" in text(own_name)
    different = accept(visitor, link, password=NEW_PASSWORD, confirm=NEW_PASSWORD + "x")
    assert different.status_code == 400 and "De twee wachtwoorden zijn niet gelijk" in text(different)
    empty = accept(visitor, link, first_name="", last_name="", password="")
    assert empty.status_code == 400 and "Vul uw voornaam in" in text(empty)
    too_long = accept(visitor, link, first_name="E" * 65)
    assert too_long.status_code == 400 and "Maximaal 64 tekens" in text(too_long)
    assert db.session.query(ScgUser).filter_by(email="eva@ictsolutions.example").count() == 0
    # the link still works after mistakes
    assert accept(visitor, link, first_name="Éva <b>", last_name="Ålvarez-Ünal").status_code == 302
    db.session.expire_all()
    user = db.session.query(ScgUser).filter_by(email="eva@ictsolutions.example").one()
    assert user.first_name == "Éva <b>"
    _enrol_first(visitor)
    assert "Welkom, Éva &lt;b&gt;" in text(visitor.get("/welkom/"))


def test_invite_form_refuses_bad_input_without_errors(app, world, mailbox):
    beheerder = client_for(app, world.users["aanbod"])
    for email, message in [("", "Vul het e-mailadres in"), ("geen-adres", "Vul een geldig e-mailadres in"),
                           ("a@b", "Vul een geldig e-mailadres in"),
                           ("x" * 330 + "@ictsolutions.example", "maximaal 320 tekens"),
                           ("<script>@x.example", "Vul een geldig e-mailadres in"),
                           ("eva@ictsolutions.example\r\nBcc: x@y.example", "Vul een geldig e-mailadres in")]:
        resp = invite(beheerder, email, AANBOD_BEHEERDER)
        assert resp.status_code == 400, email
        assert message in text(resp), email
    for role in ("", None):
        resp = invite(beheerder, "eva@ictsolutions.example", role)
        assert resp.status_code == 400 and "Kies een rol" in text(resp)
    assert db.session.query(Invitation).count() == 0
    assert mailbox.messages == []


def test_role_that_does_not_fit_the_organisation_is_refused(app, world, mailbox):
    supplier = client_for(app, world.users["aanbod"])
    for role in (GEBRUIK_BEHEERDER, GEBRUIK_RAADPLEGER, "Functioneel beheerder", "VNG-raadpleger", "Onzin"):
        resp = invite(supplier, "eva@ictsolutions.example", role)
        assert resp.status_code == 400, role
        assert "Deze rol past niet bij een organisatie van het type Leverancier" in text(resp)
    gemeente = client_for(app, world.users["gebruik"])
    resp = invite(gemeente, "x@voorbeeldstad.example", AANBOD_BEHEERDER)
    assert resp.status_code == 400 and "past niet bij een organisatie van het type Gemeente" in text(resp)
    assert db.session.query(Invitation).count() == 0


def test_functioneel_beheerder_invites_the_first_user_of_a_municipality(app, world, mailbox):
    from core.builtin.gemeenten import load_gemeenten

    load_gemeenten()
    from core.models import Organisation

    utrecht = db.session.query(Organisation).filter_by(type="gemeente", name="Utrecht").one()
    assert db.session.query(Membership).filter_by(organisation_id=utrecht.id).count() == 0
    fb = client_for(app, world.users["fb"])
    form = text(fb.get("/uitnodigingen/add"))
    assert "Utrecht (Gemeente)" in form and form.count("(Gemeente)</option>") >= 342
    resp = invite(fb, "wethouder@utrecht.example", GEBRUIK_BEHEERDER, organisation=utrecht)
    assert resp.status_code == 302
    message = mailbox.last_to("wethouder@utrecht.example")
    assert "namens Utrecht" in message.text
    visitor = app.test_client()
    assert accept(visitor, invitation_link(mailbox, "wethouder@utrecht.example"), "Wil", "Wethouder").status_code == 302
    _enrol_first(visitor)
    assert "Utrecht" in text(visitor.get("/welkom/"))
    db.session.expire_all()
    member = db.session.query(Membership).filter_by(organisation_id=utrecht.id).one()
    assert member.role_name == GEBRUIK_BEHEERDER and member.user.email == "wethouder@utrecht.example"
    # the new beheerder now manages Utrecht's users
    assert "wethouder@utrecht.example" in text(visitor.get("/gebruikers/list/"))


def test_functioneel_beheerder_role_must_fit_the_chosen_organisation(app, world, mailbox):
    fb = client_for(app, world.users["fb"])
    resp = invite(fb, "x@voorbeeldstad.example", AANBOD_BEHEERDER, organisation=world.gemeente)
    assert resp.status_code == 400
    assert "Deze rol past niet bij een organisatie van het type Gemeente" in text(resp)
    for forged in ("abc", "999999", "-1", "1.5", ""):
        resp = invite(fb, "x@voorbeeldstad.example", GEBRUIK_BEHEERDER, organisation=forged)
        assert resp.status_code == 400, forged
        assert "Kies een organisatie uit de lijst" in text(resp)
    pending = make_org("Nog Niet Goedgekeurd BV", status="bevestigd")
    resp = invite(fb, "x@nognietgoedgekeurd.example", AANBOD_BEHEERDER, organisation=pending)
    assert resp.status_code == 400 and "Kies een organisatie uit de lijst" in text(resp)
    assert db.session.query(Invitation).count() == 0


def test_invitation_list_shows_status_and_who_invited(app, world, mailbox):
    beheerder = client_for(app, world.users["aanbod"])
    invite(beheerder, "eva@ictsolutions.example", AANBOD_BEHEERDER, first_name="Eva")
    html = text(beheerder.get("/uitnodigingen/list/"))
    assert "eva@ictsolutions.example" in html and "Open" in html
    invitation = _open_invitation("eva@ictsolutions.example")
    show = text(beheerder.get(f"/uitnodigingen/show/{invitation.id}"))
    assert "Jan Pietersen" in show


def test_accept_form_needs_csrf(app, world, mailbox):
    beheerder = client_for(app, world.users["aanbod"])
    invite(beheerder, "eva@ictsolutions.example", AANBOD_BEHEERDER)
    link = invitation_link(mailbox, "eva@ictsolutions.example")
    resp = app.test_client().post(link, data={"first_name": "E", "last_name": "V", "password": NEW_PASSWORD,
                                              "confirm": NEW_PASSWORD})
    assert resp.status_code == 400
    assert db.session.query(ScgUser).filter_by(email="eva@ictsolutions.example").count() == 0

