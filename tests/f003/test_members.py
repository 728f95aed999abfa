"""The beheerder's list of colleagues: deactivate, reactivate, password reset, roles."""

from __future__ import annotations

from sqlalchemy import event

from core.extensions import db
from core.models import AuditLog, ScgUser
from core.roles import AANBOD_BEHEERDER, GEBRUIK_BEHEERDER, GEBRUIK_RAADPLEGER
from tests.f003.conftest import action, bulk, client_for, fresh, membership_of, session_csrf, text
from tests.support.actors import PASSWORD, csrf_token, make_user


def _cannot_log_in(app, user) -> str:
    client = app.test_client()
    resp = client.post("/login/", data={"username": user.email, "password": PASSWORD,
                                        "csrf_token": csrf_token(client, "/login/")})
    assert resp.status_code == 200, "the login should have been refused"
    return text(resp)


def test_beheerder_sees_the_colleagues_of_the_own_organisation(app, world):
    make_user("eva@ictsolutions.example", AANBOD_BEHEERDER, world.supplier, first_name="Eva", last_name="Visser")
    client = client_for(app, world.users["aanbod"])
    html = text(client.get("/gebruikers/list/"))
    assert "<h1>Gebruikers</h1>" in html
    assert "jan@ictsolutions.example" in html and "eva@ictsolutions.example" in html
    assert "Aanbod-beheerder" in html and "Visser" in html
    for foreign in ("piet@concurrent.example", "gb@voorbeeldstad.example", "beheerder@vng.example"):
        assert foreign not in html
    assert "Collega uitnodigen" in html


def test_deactivated_user_cannot_log_in_and_reactivated_user_can(app, world):
    eva = make_user("eva@ictsolutions.example", AANBOD_BEHEERDER, world.supplier)
    eva_client = client_for(app, eva)
    beheerder = client_for(app, world.users["aanbod"])
    membership = membership_of(eva)

    resp = action(beheerder, "/gebruikers", "deactivate", membership.id)
    assert resp.status_code == 302
    assert "1 gebruiker(s) gedeactiveerd" in text(beheerder.get(resp.location))
    assert fresh(type(membership), membership.id).active is False
    assert fresh(ScgUser, eva.id).active is False
    _cannot_log_in(app, eva)
    # a session that was already open ends too
    assert eva_client.get("/gebruikers/list/").status_code == 302
    assert "Nee" in text(beheerder.get(f"/gebruikers/show/{membership.id}"))
    assert db.session.query(AuditLog).filter_by(action="gebruiker_gedeactiveerd").count() == 1

    resp = action(beheerder, "/gebruikers", "reactivate", membership.id)
    assert "1 gebruiker(s) weer actief" in text(beheerder.get(resp.location))
    assert fresh(type(membership), membership.id).active is True
    client_for(app, eva)  # logs in again


def test_never_the_last_beheerder(app, world):
    beheerder = client_for(app, world.users["gebruik"])
    own = membership_of(world.users["gebruik"])
    raadpleger = membership_of(world.users["raadpleger"])
    # another beheerder of Voorbeeldstad tries to remove the only one: the FB, to avoid the "not yourself" rule
    fb = client_for(app, world.users["fb"])
    resp = action(fb, "/gebruikers", "deactivate", own.id)
    html = text(fb.get(resp.location))
    assert "Dit is de laatste actieve beheerder van de organisatie" in html
    assert fresh(type(own), own.id).active is True
    # bulk: deactivating the raadpleger works, the last beheerder in the same request is refused
    resp = bulk(fb, "/gebruikers", "deactivate", [own.id, raadpleger.id])
    html = text(fb.get(resp.location))
    assert "1 gebruiker(s) gedeactiveerd" in html and "laatste actieve beheerder" in html
    assert fresh(type(own), own.id).active is True
    assert fresh(type(raadpleger), raadpleger.id).active is False
    # changing the last beheerder's role away from beheerder is refused too
    resp = fb.post(f"/gebruikers/edit/{own.id}", data={"role": GEBRUIK_RAADPLEGER, "csrf_token": session_csrf(fb)})
    assert resp.status_code == 400 and "laatste actieve beheerder" in text(resp)
    assert fresh(type(own), own.id).role_name == GEBRUIK_BEHEERDER
    # with a second beheerder, the first may go
    second = make_user("tweede@voorbeeldstad.example", GEBRUIK_BEHEERDER, world.gemeente)
    resp = action(beheerder, "/gebruikers", "deactivate", membership_of(second).id)
    assert "1 gebruiker(s) gedeactiveerd" in text(beheerder.get(resp.location))


def test_bulk_deactivation_of_all_beheerders_keeps_one(app, world):
    second = make_user("tweede@ictsolutions.example", AANBOD_BEHEERDER, world.supplier)
    third = make_user("derde@ictsolutions.example", AANBOD_BEHEERDER, world.supplier)
    fb = client_for(app, world.users["fb"])
    ids = [membership_of(u).id for u in (world.users["aanbod"], second, third)]
    resp = bulk(fb, "/gebruikers", "deactivate", ids)
    assert "2 gebruiker(s) gedeactiveerd" in text(fb.get(resp.location))
    db.session.expire_all()
    from core import accounts

    assert len(accounts.active_managers(world.supplier.id)) == 1


def test_beheerder_cannot_deactivate_or_demote_themselves(app, world):
    make_user("tweede@voorbeeldstad.example", GEBRUIK_BEHEERDER, world.gemeente)
    beheerder = client_for(app, world.users["gebruik"])
    own = membership_of(world.users["gebruik"])
    resp = action(beheerder, "/gebruikers", "deactivate", own.id)
    assert "U kunt uw eigen account niet deactiveren" in text(beheerder.get(resp.location))
    assert fresh(type(own), own.id).active is True
    resp = beheerder.post(f"/gebruikers/edit/{own.id}",
                          data={"role": GEBRUIK_RAADPLEGER, "csrf_token": session_csrf(beheerder)})
    assert resp.status_code == 400 and "U kunt uw eigen rol niet wijzigen" in text(resp)
    assert fresh(type(own), own.id).role_name == GEBRUIK_BEHEERDER


def test_password_reset_is_mailed_to_the_colleague(app, world, mailbox):
    eva = make_user("eva@ictsolutions.example", AANBOD_BEHEERDER, world.supplier, first_name="Eva")
    beheerder = client_for(app, world.users["aanbod"])
    resp = action(beheerder, "/gebruikers", "reset_password", membership_of(eva).id)
    assert "1 e-mail(s) verstuurd om een nieuw wachtwoord te kiezen" in text(beheerder.get(resp.location))
    message = mailbox.last_to("eva@ictsolutions.example")
    assert message.subject == "Nieuw wachtwoord instellen"
    assert "Beste Eva" in message.text and message.links
    assert db.session.query(AuditLog).filter_by(action="wachtwoord_reset_verstuurd").count() == 1


def test_no_password_reset_for_a_deactivated_user(app, world, mailbox):
    eva = make_user("eva@ictsolutions.example", AANBOD_BEHEERDER, world.supplier)
    beheerder = client_for(app, world.users["aanbod"])
    action(beheerder, "/gebruikers", "deactivate", membership_of(eva).id)
    resp = action(beheerder, "/gebruikers", "reset_password", membership_of(eva).id)
    assert "heractiveer de gebruiker eerst" in text(beheerder.get(resp.location))
    assert mailbox.to("eva@ictsolutions.example") == []


def test_role_change_offers_only_roles_that_fit(app, world):
    beheerder = client_for(app, world.users["gebruik"])
    raadpleger = membership_of(world.users["raadpleger"])
    page = text(beheerder.get(f"/gebruikers/edit/{raadpleger.id}"))
    assert "Gebruik-beheerder" in page and "Gebruik-raadpleger" in page
    assert "Aanbod-beheerder" not in page and "Functioneel beheerder</option>" not in page
    for forged in ("Functioneel beheerder", AANBOD_BEHEERDER, "VNG-raadpleger", "<script>", "x" * 500, ""):
        resp = beheerder.post(f"/gebruikers/edit/{raadpleger.id}",
                              data={"role": forged, "csrf_token": session_csrf(beheerder)})
        assert resp.status_code == 400, forged
    assert fresh(type(raadpleger), raadpleger.id).role_name == GEBRUIK_RAADPLEGER
    resp = beheerder.post(f"/gebruikers/edit/{raadpleger.id}",
                          data={"role": GEBRUIK_BEHEERDER, "csrf_token": session_csrf(beheerder)})
    assert resp.status_code == 302
    assert "heeft nu de rol Gebruik-beheerder" in text(beheerder.get(resp.location))
    assert fresh(type(raadpleger), raadpleger.id).role_name == GEBRUIK_BEHEERDER
    user = fresh(ScgUser, world.users["raadpleger"].id)
    assert [r.name for r in user.roles] == [GEBRUIK_BEHEERDER]
    # and the new beheerder can now manage users
    assert client_for(app, user).get("/gebruikers/list/").status_code == 200


def test_users_list_does_not_query_per_row(app, world):
    def count_queries(n_users: int) -> int:
        for i in range(n_users):
            make_user(f"collega{n_users}-{i}@voorbeeldstad.example", GEBRUIK_RAADPLEGER, world.gemeente)
        client = client_for(app, world.users["gebruik"])
        statements = []

        def remember(conn, cursor, statement, *args):
            statements.append(statement)

        event.listen(db.engine, "before_cursor_execute", remember)
        try:
            assert client.get("/gebruikers/list/?psize_UserView=100").status_code == 200
        finally:
            event.remove(db.engine, "before_cursor_execute", remember)
        return len(statements)

    few, many = count_queries(2), count_queries(20)
    assert many == few, f"{few} queries for a short list, {many} for a long one"


def test_welcome_page_points_beheerders_to_their_users(app, world):
    html = text(client_for(app, world.users["aanbod"]).get("/welkom/"))
    assert "Nodig collega&#39;s uit" in html or "Nodig collega's uit" in html
    assert "/gebruikers/list/" in html
    raadpleger_html = text(client_for(app, world.users["raadpleger"]).get("/welkom/"))
    assert "Nodig collega" not in raadpleger_html


def test_menu_has_dutch_entries_under_organisatie(app, world):
    html = text(client_for(app, world.users["aanbod"]).get("/welkom/"))
    for path, label in (("/gebruikers/list/", "Gebruikers"), ("/uitnodigingen/list/", "Uitnodigingen"),
                        ("/aansluitverzoeken/list/", "Aansluitverzoeken")):
        assert f'href="{path}"' in html and label in html
    raadpleger = text(client_for(app, world.users["raadpleger"]).get("/welkom/"))
    for path in ("/gebruikers/list/", "/uitnodigingen/list/", "/aansluitverzoeken/list/"):
        assert f'href="{path}"' not in raadpleger
