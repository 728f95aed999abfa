"""Tenancy of user management: no way in to another organisation's users, invitations or requests.

The supplier beheerder of ICT Solutions BV tries every door to Concurrent BV (and to
the municipality): URLs, forged form fields, single and bulk actions, GET on actions,
and every API method. A Gebruik-raadpleger manages nothing; an anonymous visitor is
sent to the login page (pages) or gets 401 (API).
"""

from __future__ import annotations

import pytest

from core.extensions import db
from core.models import AuditLog, Membership, ScgUser
from core.roles import AANBOD_BEHEERDER, GEBRUIK_BEHEERDER, GEBRUIK_RAADPLEGER
from plugins.f003_gebruikers import service
from plugins.f003_gebruikers.models import Invitation, JoinRequest
from tests.f003.conftest import action, bulk, client_for, fresh, invite, membership_of, session_csrf, text
from tests.support.actors import api_token, make_user


@pytest.fixture
def foreign(app, world, mailbox):
    """Rows of Concurrent BV: a member, an open invitation and an open join request."""
    colleague = make_user("klaas@concurrent.example", AANBOD_BEHEERDER, world.other_supplier,
                          first_name="Klaas", last_name="Vreemd")
    with app.test_request_context():
        invitation = service.invite(world.other_supplier, "nieuw@concurrent.example", AANBOD_BEHEERDER,
                                    world.users["aanbod_other"], "Nina", "Nieuw")
        join_request = JoinRequest(organisation_id=world.other_supplier.id, email="vraag@concurrent.example",
                                   first_name="Vera", last_name="Vraagt", status="open")
        db.session.add(join_request)
        db.session.commit()
    mailbox.clear()
    return {"membership": membership_of(colleague), "user": colleague, "invitation": invitation,
            "join_request": join_request}


def snapshot():
    """What must not change: memberships, users' active/roles, invitations, join requests."""
    db.session.expire_all()
    return (
        sorted((m.id, m.organisation_id, m.role_name, m.active) for m in db.session.query(Membership)),
        sorted((u.id, u.active, tuple(r.name for r in u.roles)) for u in db.session.query(ScgUser)),
        sorted((i.id, i.organisation_id, i.status, i.current_jti, i.send_count) for i in db.session.query(Invitation)),
        sorted((j.id, j.organisation_id, j.status) for j in db.session.query(JoinRequest)),
    )


FOREIGN_TEXT = ("klaas@concurrent.example", "Vreemd", "nieuw@concurrent.example", "vraag@concurrent.example",
                "Vraagt", "piet@concurrent.example")


def assert_nothing_foreign(resp):
    assert resp.status_code < 500
    body = text(resp)
    for marker in FOREIGN_TEXT:
        assert marker not in body, f"{marker} leaked ({resp.status_code})"


def test_lists_show_only_the_own_organisation(app, world, foreign):
    client = client_for(app, world.users["aanbod"])
    for path in ("/gebruikers/list/", "/uitnodigingen/list/", "/aansluitverzoeken/list/",
                 f"/gebruikers/list/?_flt_0_organisation={world.other_supplier.id}",
                 f"/uitnodigingen/list/?_flt_0_organisation={world.other_supplier.id}",
                 "/gebruikers/list/?_oc_UserView=user.email&_od_UserView=asc&psize_UserView=1000"):
        resp = client.get(path)
        assert resp.status_code == 200, path
        assert_nothing_foreign(resp)
    assert "jan@ictsolutions.example" in text(client.get("/gebruikers/list/"))


def test_show_and_edit_of_foreign_rows_are_not_found(app, world, foreign, mailbox):
    client = client_for(app, world.users["aanbod"])
    before = snapshot()
    pages = [f"/gebruikers/show/{foreign['membership'].id}", f"/gebruikers/edit/{foreign['membership'].id}",
             f"/uitnodigingen/show/{foreign['invitation'].id}",
             f"/aansluitverzoeken/show/{foreign['join_request'].id}",
             "/gebruikers/show/abc", "/gebruikers/edit/-1", "/gebruikers/edit/99999999999999999999",
             "/uitnodigingen/show/%3Cscript%3E"]
    for path in pages:
        resp = client.get(path)
        assert resp.status_code == 404, path
        assert_nothing_foreign(resp)
    resp = client.post(f"/gebruikers/edit/{foreign['membership'].id}",
                       data={"role": AANBOD_BEHEERDER, "csrf_token": session_csrf(client)})
    assert resp.status_code == 404
    resp = client.post(f"/aansluitverzoeken/beoordelen/{foreign['join_request'].id}",
                       data={"approve": "1", "role": AANBOD_BEHEERDER, "csrf_token": session_csrf(client)})
    assert resp.status_code == 404
    assert snapshot() == before and mailbox.messages == []


@pytest.mark.parametrize("view,name,row", [
    ("/gebruikers", "deactivate", "membership"),
    ("/gebruikers", "reactivate", "membership"),
    ("/gebruikers", "reset_password", "membership"),
    ("/uitnodigingen", "resend", "invitation"),
    ("/uitnodigingen", "revoke", "invitation"),
    ("/aansluitverzoeken", "approve", "join_request"),
    ("/aansluitverzoeken", "decline", "join_request"),
])
def test_single_and_bulk_actions_never_touch_foreign_rows(app, world, foreign, mailbox, view, name, row):
    client = client_for(app, world.users["aanbod"])
    pk = foreign[row].id
    before = snapshot()
    single = action(client, view, name, pk)
    assert single.status_code == 302
    assert_nothing_foreign(client.get(single.location))
    over_get = client.get(f"{view}/action/{name}/{pk}")
    assert over_get.status_code == 302
    bulk_resp = bulk(client, view, name, [pk, "abc", "-1", "99999999"])
    assert bulk_resp.status_code == 302
    assert "Geen geldige rijen geselecteerd" in text(client.get(bulk_resp.location))
    assert snapshot() == before
    assert mailbox.messages == []


def test_bulk_with_own_and_foreign_ids_acts_on_the_own_row_only(app, world, foreign, mailbox):
    eva = make_user("eva@ictsolutions.example", AANBOD_BEHEERDER, world.supplier)
    client = client_for(app, world.users["aanbod"])
    resp = bulk(client, "/gebruikers", "deactivate", [membership_of(eva).id, foreign["membership"].id])
    assert "1 gebruiker(s) gedeactiveerd" in text(client.get(resp.location))
    assert fresh(Membership, membership_of(eva).id).active is False
    assert fresh(Membership, foreign["membership"].id).active is True
    resp = bulk(client, "/gebruikers", "reset_password", [membership_of(world.users["aanbod"]).id,
                                                          foreign["membership"].id])
    assert mailbox.to("klaas@concurrent.example") == [] and mailbox.to("jan@ictsolutions.example")


def test_invite_with_a_forged_organisation_is_refused(app, world, foreign, mailbox):
    client = client_for(app, world.users["aanbod"])
    before = snapshot()
    resp = invite(client, "indringer@concurrent.example", AANBOD_BEHEERDER, organisation=world.other_supplier)
    assert resp.status_code == 400
    assert "uitnodigen voor uw eigen organisatie" in text(resp)
    for forged_role in ("Functioneel beheerder", GEBRUIK_BEHEERDER):
        assert invite(client, "x@ictsolutions.example", forged_role).status_code == 400
    assert snapshot() == before and mailbox.messages == []
    # the own organisation id in that field is fine
    assert invite(client, "eva@ictsolutions.example", AANBOD_BEHEERDER, organisation=world.supplier).status_code == 302
    db.session.expire_all()
    assert db.session.query(Invitation).filter_by(email="eva@ictsolutions.example").one().organisation_id == \
        world.supplier.id


def test_invite_page_offers_no_organisation_choice_to_a_beheerder(app, world, foreign):
    html = text(client_for(app, world.users["aanbod"]).get("/uitnodigingen/add"))
    assert 'name="organisation"' not in html and "Concurrent BV" not in html


def test_removed_routes_do_not_exist(app, world, foreign):
    client = client_for(app, world.users["aanbod"])
    before = snapshot()
    token = session_csrf(client)
    for method, path in [("get", "/gebruikers/add"), ("post", "/gebruikers/add"),
                         ("post", f"/gebruikers/delete/{foreign['membership'].id}"),
                         ("post", f"/uitnodigingen/edit/{foreign['invitation'].id}"),
                         ("post", f"/uitnodigingen/delete/{foreign['invitation'].id}"),
                         ("post", f"/aansluitverzoeken/delete/{foreign['join_request'].id}"),
                         ("post", "/aansluitverzoeken/add")]:
        resp = getattr(client, method)(path, data={"csrf_token": token} if method == "post" else None)
        assert resp.status_code in (404, 405), (method, path, resp.status_code)
    assert snapshot() == before


# --- the API --------------------------------------------------------------------------------------

def _api(client, user):
    return {"Authorization": f"Bearer {api_token(client, user)}"}


def test_api_lists_and_shows_only_own_members(app, world, foreign):
    client = app.test_client()
    headers = _api(client, world.users["aanbod"])
    resp = client.get("/api/v1/gebruikers/?q=(page_size:100)", headers=headers)
    assert resp.status_code == 200
    assert [r["user"]["email"] for r in resp.json["result"]] == ["jan@ictsolutions.example"]
    assert_nothing_foreign(resp)
    assert client.get(f"/api/v1/gebruikers/{foreign['membership'].id}", headers=headers).status_code == 404
    own = membership_of(world.users["aanbod"]).id
    assert client.get(f"/api/v1/gebruikers/{own}", headers=headers).json["result"]["role_name"] == AANBOD_BEHEERDER
    info = client.get("/api/v1/gebruikers/_info", headers=headers)
    assert info.status_code == 200
    assert_nothing_foreign(info)
    assert "gb@voorbeeldstad.example" not in text(info) and "Test Gebruiker" not in text(info)


def test_api_cannot_change_delete_or_create_foreign_or_any_members(app, world, foreign):
    client = app.test_client()
    headers = _api(client, world.users["aanbod"])
    before = snapshot()
    pk = foreign["membership"].id
    assert client.put(f"/api/v1/gebruikers/{pk}", json={"active": False}, headers=headers).status_code == 404
    assert client.put(f"/api/v1/gebruikers/{pk}", json={"role_name": AANBOD_BEHEERDER},
                      headers=headers).status_code == 404
    assert client.delete(f"/api/v1/gebruikers/{pk}", headers=headers).status_code == 405
    own = membership_of(world.users["aanbod"]).id
    assert client.delete(f"/api/v1/gebruikers/{own}", headers=headers).status_code == 405
    resp = client.post("/api/v1/gebruikers/", json={"user": world.users["aanbod_other"].id,
                                                     "organisation": world.supplier.id,
                                                     "role_name": AANBOD_BEHEERDER}, headers=headers)
    assert resp.status_code == 405
    # moving the own membership to another organisation
    for payload in ({"organisation": world.other_supplier.id}, {"organisation_id": world.other_supplier.id},
                    {"user": foreign["user"].id}, {"active": "ja"}, {"role_name": 5}, "geen json", {"active": None}):
        kwargs = {"json": payload} if not isinstance(payload, str) else {"data": payload}
        resp = client.put(f"/api/v1/gebruikers/{own}", headers=headers, **kwargs)
        assert resp.status_code in (400, 422), (payload, resp.status_code)
    assert snapshot() == before


def test_api_deactivation_follows_the_same_rules(app, world):
    eva = make_user("eva@ictsolutions.example", AANBOD_BEHEERDER, world.supplier)
    client = app.test_client()
    headers = _api(client, world.users["aanbod"])
    own = membership_of(world.users["aanbod"]).id
    resp = client.put(f"/api/v1/gebruikers/{own}", json={"active": False}, headers=headers)
    assert resp.status_code == 400 and "eigen account niet deactiveren" in resp.json["message"]
    target = membership_of(eva).id
    resp = client.put(f"/api/v1/gebruikers/{target}", json={"role_name": "Functioneel beheerder"}, headers=headers)
    assert resp.status_code == 400 and "past niet" in resp.json["message"]
    resp = client.put(f"/api/v1/gebruikers/{target}", json={"active": False}, headers=headers)
    assert resp.status_code == 200 and resp.json["result"]["active"] is False
    assert fresh(ScgUser, eva.id).active is False
    assert db.session.query(AuditLog).filter_by(action="gebruiker_gedeactiveerd").count() == 1
    resp = client.put(f"/api/v1/gebruikers/{target}", json={"active": True}, headers=headers)
    assert resp.status_code == 200 and fresh(ScgUser, eva.id).active is True
    # now Jan is the last beheerder once Eva is gone: the FB cannot remove him either
    client.put(f"/api/v1/gebruikers/{target}", json={"active": False}, headers=headers)
    fb_headers = _api(client, world.users["fb"])
    resp = client.put(f"/api/v1/gebruikers/{own}", json={"active": False}, headers=fb_headers)
    assert resp.status_code == 400 and "laatste actieve beheerder" in resp.json["message"]
    assert fresh(Membership, own).active is True


# --- people without the right ---------------------------------------------------------------------

PAGES = ["/gebruikers/list/", "/uitnodigingen/list/", "/uitnodigingen/add", "/aansluitverzoeken/list/"]


def test_gebruik_raadpleger_manages_nothing(app, world, mailbox):
    client = client_for(app, world.users["raadpleger"])
    before = snapshot()
    beheerder = membership_of(world.users["gebruik"])
    for path in PAGES + [f"/gebruikers/show/{beheerder.id}", f"/gebruikers/edit/{beheerder.id}"]:
        assert client.get(path).status_code == 403, path
    token = session_csrf(client)
    resp = client.post("/uitnodigingen/add", data={"email": "x@voorbeeldstad.example",
                                                   "role": GEBRUIK_RAADPLEGER, "csrf_token": token})
    assert resp.status_code == 403
    for name in ("deactivate", "reset_password"):
        action(client, "/gebruikers", name, beheerder.id)
        bulk(client, "/gebruikers", name, [beheerder.id])
    headers = _api(client, world.users["raadpleger"])
    assert client.get("/api/v1/gebruikers/", headers=headers).status_code == 403
    assert client.put(f"/api/v1/gebruikers/{beheerder.id}", json={"active": False},
                      headers=headers).status_code == 403
    assert snapshot() == before and mailbox.messages == []


def test_vng_raadpleger_reads_members_but_changes_nothing(app, world, foreign, mailbox):
    client = client_for(app, world.users["vng"])
    html = text(client.get("/gebruikers/list/?psize_UserView=100"))
    assert "klaas@concurrent.example" in html and "jan@ictsolutions.example" in html
    before = snapshot()
    action(client, "/gebruikers", "deactivate", foreign["membership"].id)
    assert client.get(f"/gebruikers/edit/{foreign['membership'].id}").status_code == 403
    assert client.get("/uitnodigingen/add").status_code == 403
    headers = _api(client, world.users["vng"])
    assert client.put(f"/api/v1/gebruikers/{foreign['membership'].id}", json={"active": False},
                      headers=headers).status_code == 403
    assert snapshot() == before and mailbox.messages == []


def test_anonymous_is_sent_to_login_or_gets_401(app, world, foreign, mailbox):
    client = app.test_client()
    before = snapshot()
    for path in PAGES + [f"/gebruikers/show/{foreign['membership'].id}"]:
        resp = client.get(path)
        assert resp.status_code == 302 and "/login/" in resp.location, path
    token = session_csrf(client)
    resp = client.post(f"/gebruikers/action/deactivate/{foreign['membership'].id}", data={"csrf_token": token})
    assert resp.status_code == 302
    resp = client.post("/gebruikers/action_post", data={"action": "deactivate", "csrf_token": token,
                                                        "rowid": [str(foreign["membership"].id)]})
    assert resp.status_code == 302
    resp = client.post("/uitnodigingen/add", data={"email": "x@concurrent.example", "role": AANBOD_BEHEERDER,
                                                   "organisation": str(world.other_supplier.id),
                                                   "csrf_token": token})
    assert resp.status_code == 302 and "/login/" in resp.location
    assert client.get("/api/v1/gebruikers/").status_code == 401
    assert client.put(f"/api/v1/gebruikers/{foreign['membership'].id}", json={"active": False}).status_code == 401
    assert snapshot() == before and mailbox.messages == []


def test_ended_membership_ends_access_of_a_live_session(app, world, foreign):
    eva = make_user("eva@ictsolutions.example", AANBOD_BEHEERDER, world.supplier)
    client = client_for(app, eva)
    assert client.get("/gebruikers/list/").status_code == 200
    fb = client_for(app, world.users["fb"])
    action(fb, "/gebruikers", "deactivate", membership_of(eva).id)
    resp = client.get("/gebruikers/list/")
    assert resp.status_code == 302 and "/login/" in resp.location
