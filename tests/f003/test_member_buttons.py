"""The buttons on a member's page: Rol wijzigen, Deactiveren/Activeren, Wachtwoord-reset sturen.

Each is a POST form with the CSRF token that says what happened and returns to the
member's page; over GET, without the token, or for a member of another organisation
nothing happens.
"""

from __future__ import annotations

import re

import pytest

from core.extensions import db
from core.models import AuditLog, Membership, ScgUser
from core.roles import AANBOD_BEHEERDER
from tests.f003.conftest import client_for, fresh, membership_of, session_csrf, text
from tests.support.actors import make_user

FORM_RE = re.compile(r'<form method="post" action="([^"]+)">\s*<input type="hidden" name="csrf_token" '
                     r'value="[^"]+">\s*<button type="submit" class="btn btn-default">([^<]+)</button>')


def _buttons(html: str) -> dict[str, str]:
    return {label.strip(): action for action, label in FORM_RE.findall(html)}


@pytest.fixture
def eva(world):
    return make_user("eva@ictsolutions.example", AANBOD_BEHEERDER, world.supplier, first_name="Eva",
                     last_name="Visser")


def test_the_member_page_has_the_buttons(app, world, eva):
    pk = membership_of(eva).id
    html = text(client_for(app, world.users["aanbod"]).get(f"/gebruikers/show/{pk}"))
    assert f'href="/gebruikers/edit/{pk}">Rol wijzigen</a>' in html
    assert _buttons(html) == {"Deactiveren": f"/gebruikers/deactiveren/{pk}",
                              "Wachtwoord-reset sturen": f"/gebruikers/wachtwoord-reset/{pk}"}
    assert "/gebruikers/action/" not in html  # (FAB's script-driven action links are not there)
    # the list keeps its bulk actions for several members at once
    listing = text(client_for(app, world.users["aanbod"]).get("/gebruikers/list/"))
    assert "/gebruikers/action_post" in listing and "Wachtwoord-reset sturen" in listing


def test_deactivate_and_activate_from_the_member_page(app, world, eva):
    pk = membership_of(eva).id
    beheerder = client_for(app, world.users["aanbod"])
    page = beheerder.post(f"/gebruikers/deactiveren/{pk}", data={"csrf_token": session_csrf(beheerder)},
                          follow_redirects=True)
    assert page.request.path == f"/gebruikers/show/{pk}"
    assert "Eva Visser is gedeactiveerd en kan niet meer inloggen." in text(page)
    assert fresh(Membership, pk).active is False and fresh(ScgUser, eva.id).active is False
    assert _buttons(text(page)) == {"Activeren": f"/gebruikers/activeren/{pk}"}  # no reset for an inactive one
    assert db.session.query(AuditLog).filter_by(action="gebruiker_gedeactiveerd").count() == 1

    page = beheerder.post(f"/gebruikers/activeren/{pk}", data={"csrf_token": session_csrf(beheerder)},
                          follow_redirects=True)
    assert page.request.path == f"/gebruikers/show/{pk}" and "Eva Visser is weer actief." in text(page)
    assert fresh(Membership, pk).active is True and fresh(ScgUser, eva.id).active is True


def test_password_reset_from_the_member_page(app, world, eva, mailbox):
    pk = membership_of(eva).id
    beheerder = client_for(app, world.users["aanbod"])
    page = beheerder.post(f"/gebruikers/wachtwoord-reset/{pk}", data={"csrf_token": session_csrf(beheerder)},
                          follow_redirects=True)
    assert page.request.path == f"/gebruikers/show/{pk}"
    assert "Eva Visser krijgt een e-mail om een nieuw wachtwoord te kiezen." in text(page)
    assert mailbox.last_to("eva@ictsolutions.example").subject == "Nieuw wachtwoord instellen"


def test_refusals_are_explained_on_the_member_page(app, world):
    own = membership_of(world.users["aanbod"])
    beheerder = client_for(app, world.users["aanbod"])
    page = beheerder.post(f"/gebruikers/deactiveren/{own.id}", data={"csrf_token": session_csrf(beheerder)},
                          follow_redirects=True)
    assert page.request.path == f"/gebruikers/show/{own.id}"
    assert "U kunt uw eigen account niet deactiveren" in text(page)
    assert fresh(Membership, own.id).active is True


@pytest.mark.parametrize("button", ["deactiveren", "activeren", "wachtwoord-reset"])
def test_buttons_need_post_the_token_and_the_own_organisation(app, world, eva, mailbox, button):
    pk = membership_of(eva).id
    foreign = membership_of(world.users["aanbod_other"])
    beheerder = client_for(app, world.users["aanbod"])
    assert beheerder.get(f"/gebruikers/{button}/{pk}").status_code == 405
    assert beheerder.post(f"/gebruikers/{button}/{pk}").status_code in (302, 400)
    assert fresh(Membership, pk).active is True
    other = beheerder.post(f"/gebruikers/{button}/{foreign.id}", data={"csrf_token": session_csrf(beheerder)})
    assert other.status_code == 404
    assert fresh(Membership, foreign.id).active is True
    # a role without user management may not use them on its own colleagues either
    raadpleger = client_for(app, world.users["raadpleger"])
    colleague = membership_of(world.users["gebruik"])
    resp = raadpleger.post(f"/gebruikers/{button}/{colleague.id}", data={"csrf_token": session_csrf(raadpleger)})
    assert resp.status_code in (302, 403)
    assert fresh(Membership, colleague.id).active is True
    assert mailbox.messages == []
