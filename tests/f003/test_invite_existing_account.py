"""One account, several organisations (F003): inviting an existing account, roles per membership.

A beheerder can invite someone who already has an account (in another organisation);
the link, opened by that person logged in, adds a membership ("Deelnemen aan <org>
als <rol>") and never a second account. A role belongs to one membership: changing or
ending it in organisation A leaves organisation B alone, and a person acting for a
membership that is ended falls back to another one, with that role.
"""

from __future__ import annotations

from core import accounts
from core.extensions import db
from core.models import AuditLog, Membership, ScgUser
from core.roles import AANBOD_BEHEERDER, GEBRUIK_BEHEERDER, GEBRUIK_RAADPLEGER
from plugins.f003_gebruikers.models import Invitation, JoinRequest
from tests.f003.conftest import action, client_for, invitation_link, invite, session_csrf, text
from tests.support.actors import csrf_token, login, make_user

PIET = "piet@concurrent.example"  # Aanbod-beheerder of Concurrent BV


def _join(client, link):
    return client.post(link, data={"csrf_token": session_csrf(client)})


def _memberships(email):
    db.session.expire_all()
    user = db.session.query(ScgUser).filter_by(email=email).one()
    return {m.organisation.name: (m.role_name, m.active) for m in user.memberships}


def _invite_piet(app, world, mailbox, role=AANBOD_BEHEERDER):
    beheerder = client_for(app, world.users["aanbod"])
    resp = invite(beheerder, PIET.upper(), role)
    assert resp.status_code == 302
    return beheerder, invitation_link(mailbox, PIET)


def test_an_existing_account_joins_another_organisation_with_one_login(app, world, mailbox):
    _beheerder, link = _invite_piet(app, world, mailbox)
    message = mailbox.last_to(PIET)
    assert "U heeft al een account" in message.text and "Deelnemen aan ICT Solutions BV" in message.text

    visitor = app.test_client()
    page = visitor.get(link)
    assert page.status_code == 200
    assert "Inloggen om deel te nemen" in text(page) and "Uw account aanmaken" not in text(page)

    piet = app.test_client()
    login(piet, world.users["aanbod_other"])
    page = text(piet.get(link))
    assert "Deelnemen aan ICT Solutions BV als Aanbod-beheerder" in page
    resp = _join(piet, link)
    assert resp.status_code == 302 and resp.location.endswith("/welkom/")
    welcome = text(piet.get("/welkom/"))
    assert "U bent nu lid van ICT Solutions BV als Aanbod-beheerder" in welcome
    assert "Actief namens: <strong>Concurrent BV</strong>" in welcome and "Wissel naar ICT Solutions BV" in welcome

    assert db.session.query(ScgUser).filter_by(email=PIET).count() == 1  # no second account
    assert _memberships(PIET) == {"Concurrent BV": (AANBOD_BEHEERDER, True),
                                  "ICT Solutions BV": (AANBOD_BEHEERDER, True)}
    invitation = db.session.query(Invitation).filter_by(email=PIET).one()
    assert invitation.status == "geaccepteerd" and invitation.accepted_user_id == world.users["aanbod_other"].id
    assert db.session.query(AuditLog).filter_by(action="uitnodiging_geaccepteerd").count() == 1

    again = _join(piet, link)  # the link works once
    assert again.status_code == 410 and "Deze uitnodiging is al gebruikt" in text(again)


def test_logging_in_from_the_link_comes_back_to_it(app, world, mailbox):
    _beheerder, link = _invite_piet(app, world, mailbox)
    client = app.test_client()
    page = text(client.get(link))
    assert f"/login/?next={link}" in page.replace("%2F", "/")
    token = csrf_token(client, f"/login/?next={link}")
    resp = client.post(f"/login/?next={link}", data={"username": PIET, "password": "Sterk-Wachtwoord-12",
                                                       "csrf_token": token})
    assert resp.status_code == 302  # the code step (piet is a beheerder, with two-factor)
    from tests.support.actors import unused_code

    resp = client.post("/login/code/", data={"code": unused_code(client, world.users["aanbod_other"]),
                                             "csrf_token": csrf_token(client, "/login/code/")})
    assert resp.status_code == 302 and resp.location.endswith(link)


def test_another_logged_in_account_cannot_use_the_link(app, world, mailbox):
    _beheerder, link = _invite_piet(app, world, mailbox)
    someone = client_for(app, world.users["gebruik"])
    page = someone.get(link)
    assert page.status_code == 403 and "maar u bent ingelogd als" in text(page)
    assert _join(someone, link).status_code == 403
    assert _memberships("gb@voorbeeldstad.example") == {"Voorbeeldstad": (GEBRUIK_BEHEERDER, True)}
    assert db.session.query(Invitation).filter_by(email=PIET).one().status == "open"


def test_joining_needs_csrf(app, world, mailbox):
    _beheerder, link = _invite_piet(app, world, mailbox)
    piet = client_for(app, world.users["aanbod_other"])
    assert piet.post(link, data={}).status_code == 400
    assert set(_memberships(PIET)) == {"Concurrent BV"}


def test_revoked_and_expired_links_stop_working_for_existing_accounts_too(app, world, mailbox):
    beheerder, link = _invite_piet(app, world, mailbox)
    piet = client_for(app, world.users["aanbod_other"])
    invitation = db.session.query(Invitation).filter_by(email=PIET).one()
    assert action(beheerder, "/uitnodigingen", "revoke", invitation.id).status_code == 302
    resp = _join(piet, link)
    assert resp.status_code == 410 and "ingetrokken" in text(resp)

    other = client_for(app, world.users["gebruik"])
    invite(other, PIET, GEBRUIK_RAADPLEGER)  # a supplier's person joining a gemeente
    assert db.session.query(Invitation).filter_by(email=PIET, organisation_id=world.gemeente.id).count() == 1
    gemeente_link = invitation_link(mailbox, PIET)
    app.config["INVITE_LINK_MAX_AGE"] = -1
    resp = piet.get(gemeente_link)
    assert resp.status_code == 410 and "verlopen" in text(resp)
    assert set(_memberships(PIET)) == {"Concurrent BV"}


def test_a_member_cannot_be_invited_or_join_twice(app, world, mailbox):
    _beheerder, link = _invite_piet(app, world, mailbox)
    piet = client_for(app, world.users["aanbod_other"])
    _join(piet, link)
    resp = invite(client_for(app, world.users["aanbod"]), PIET, AANBOD_BEHEERDER)
    assert resp.status_code == 400 and "Deze persoon is al lid van ICT Solutions BV" in text(resp)
    assert db.session.query(Membership).filter_by(user_id=world.users["aanbod_other"].id).count() == 2


def test_a_role_change_in_one_organisation_leaves_the_other_alone(app, world):
    multi = make_user("multi@voorbeeldstad.example", GEBRUIK_BEHEERDER, world.gemeente)
    accounts.add_membership(multi, world.supplier, AANBOD_BEHEERDER)
    accounts.switch_organisation(multi, world.supplier.id)
    db.session.commit()
    in_gemeente = db.session.query(Membership).filter_by(user_id=multi.id, organisation_id=world.gemeente.id).one()

    colleague = client_for(app, world.users["gebruik"])  # beheerder of Voorbeeldstad
    resp = colleague.post(f"/gebruikers/edit/{in_gemeente.id}",
                          data={"role": GEBRUIK_RAADPLEGER, "csrf_token": session_csrf(colleague)})
    assert resp.status_code == 302
    assert _memberships(multi.email) == {"Voorbeeldstad": (GEBRUIK_RAADPLEGER, True),
                                         "ICT Solutions BV": (AANBOD_BEHEERDER, True)}
    user = db.session.get(ScgUser, multi.id)
    assert [r.name for r in user.roles] == [AANBOD_BEHEERDER]  # acting for ICT: that role

    accounts.switch_organisation(user, world.gemeente.id)
    db.session.commit()
    db.session.expire_all()
    assert [r.name for r in db.session.get(ScgUser, multi.id).roles] == [GEBRUIK_RAADPLEGER]


def test_deactivating_the_active_membership_falls_back_to_the_other(app, world):
    multi = make_user("multi@voorbeeldstad.example", GEBRUIK_BEHEERDER, world.gemeente)
    accounts.add_membership(multi, world.supplier, AANBOD_BEHEERDER)
    accounts.switch_organisation(multi, world.supplier.id)
    db.session.commit()
    in_supplier = db.session.query(Membership).filter_by(user_id=multi.id, organisation_id=world.supplier.id).one()

    supplier_beheerder = client_for(app, world.users["aanbod"])
    assert action(supplier_beheerder, "/gebruikers", "deactivate", in_supplier.id).status_code == 302
    db.session.expire_all()
    user = db.session.get(ScgUser, multi.id)
    assert user.active and user.organisation.id == world.gemeente.id
    assert [r.name for r in user.roles] == [GEBRUIK_BEHEERDER]  # not the ended membership's role

    client = client_for(app, user)  # still logs in, for Voorbeeldstad, without a menu to switch
    page = text(client.get("/welkom/"))
    assert "Voorbeeldstad" in page and "Wissel naar" not in page
    assert client.get("/pakketten/list/").status_code == 403  # no Aanbod-beheerder role left

    assert action(supplier_beheerder, "/gebruikers", "reactivate", in_supplier.id).status_code == 302
    db.session.expire_all()
    user = db.session.get(ScgUser, multi.id)
    assert user.organisation.id == world.gemeente.id and [r.name for r in user.roles] == [GEBRUIK_BEHEERDER]
    assert "Wissel naar ICT Solutions BV" in text(client.get("/welkom/"))


def test_join_request_of_an_account_of_another_organisation_becomes_a_join_invitation(app, world, mailbox):
    from tests.f003.test_join_requests import ask, decide

    resp = ask(app.test_client(), email="gb@andersdorp.example", organisation=str(world.gemeente.id))
    assert resp.status_code in (200, 400)
    # Andersdorp's address does not fit Voorbeeldstad: the domain rule still holds for accounts.
    assert db.session.query(JoinRequest).count() == 0

    world.other_gemeente.email = "info@andersdorp.example"
    colleague_email = "gr2@andersdorp.example"
    make_user(colleague_email, GEBRUIK_RAADPLEGER, world.gemeente)  # an account in Voorbeeldstad...
    db.session.commit()
    resp = ask(app.test_client(), email=colleague_email, organisation=str(world.other_gemeente.id))
    assert resp.status_code == 200 and "Uw verzoek is verstuurd" in text(resp)
    join_request = db.session.query(JoinRequest).filter_by(email=colleague_email).one()
    assert mailbox.last_to("gb@andersdorp.example") is not None  # ...asks to join Andersdorp: its beheerder hears

    beheerder = client_for(app, world.users["gebruik_other"])
    assert decide(beheerder, join_request.id, role=GEBRUIK_RAADPLEGER, approve="Goedkeuren").status_code == 302
    assert "U heeft al een account" in mailbox.last_to(colleague_email).text
