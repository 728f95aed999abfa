"""Every logged-in person changes the own password: the current one first, the new one by the rule."""

from __future__ import annotations

import pytest
from werkzeug.security import check_password_hash

from core.extensions import db
from core.models import AuditLog, ScgUser
from tests.support.actors import PASSWORD, csrf_token, login

PATH = "/account/wachtwoord/"
NEW = "paarse fiets onder de brug"


def _change(client, current, new, again=None):
    return client.post(PATH, data={"csrf_token": csrf_token(client, PATH), "current": current, "password": new,
                                   "password_confirm": new if again is None else again})


@pytest.mark.parametrize("who", ["aanbod", "gebruik", "raadpleger", "vng", "fb"])
def test_each_role_finds_the_page_in_the_user_menu_and_changes_its_password(app, world, who):
    client = app.test_client()
    login(client, world.users[who])
    assert f'href="{PATH}"' in client.get("/welkom/").get_data(as_text=True)
    page = client.get(PATH).get_data(as_text=True)
    assert "Wachtwoord wijzigen" in page and "Minstens 12 tekens — nog 12 te gaan" in page
    resp = _change(client, PASSWORD, NEW)
    assert resp.status_code == 302 and resp.location.endswith("/welkom/")
    assert "Uw wachtwoord is gewijzigd." in client.get(resp.location).get_data(as_text=True)
    db.session.expire_all()
    user = db.session.get(ScgUser, world.users[who].id)
    assert check_password_hash(user.password, NEW)
    assert db.session.query(AuditLog).filter_by(action="wachtwoord_gewijzigd", user_id=user.id).count() == 1


@pytest.mark.parametrize("current, new, again, message", [
    ("fout", NEW, None, "Dit is niet uw huidige wachtwoord."),
    (PASSWORD, "kort", None, "Gebruik minstens 12 tekens"),
    (PASSWORD, "welkom123456", None, "lijsten van veelgebruikte of uitgelekte wachtwoorden"),
    (PASSWORD, NEW, "iets anders helemaal", "De twee wachtwoorden zijn niet gelijk."),
    (PASSWORD, PASSWORD, None, "Kies een ander wachtwoord dan uw huidige."),
    ("", NEW, None, "Vul uw huidige wachtwoord in."),
])
def test_a_wrong_change_says_why_in_dutch_and_keeps_the_password(app, world, current, new, again, message):
    client = app.test_client()
    login(client, world.users["aanbod"])
    before = db.session.get(ScgUser, world.users["aanbod"].id).password
    resp = _change(client, current, new, again)
    assert resp.status_code == 400 and message in resp.get_data(as_text=True)
    db.session.expire_all()
    assert db.session.get(ScgUser, world.users["aanbod"].id).password == before


def test_visitors_are_sent_to_the_login_and_a_post_needs_the_csrf_token(app, world):
    visitor = app.test_client()
    assert visitor.get(PATH).status_code == 302 and "/login" in visitor.get(PATH).location
    client = app.test_client()
    login(client, world.users["aanbod"])
    resp = client.post(PATH, data={"current": PASSWORD, "password": NEW, "password_confirm": NEW})
    assert resp.status_code == 400
    db.session.expire_all()
    assert not check_password_hash(db.session.get(ScgUser, world.users["aanbod"].id).password, NEW)
