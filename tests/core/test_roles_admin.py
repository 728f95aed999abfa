""""Rollen en rechten" and the end of FAB's own security pages.

- FAB's security pages (users, roles, groups, permissions, view menus, userinfo, its
  password forms) do not exist, for nobody: their addresses are 404.
- The Functioneel beheerder sees per role its rights in Dutch, grouped by functionality,
  grants and withdraws them; a change is an override that survives the role sync (as at
  start and ``flask scg sync-roles``), is in the audit log and "Terug naar standaard"
  undoes it.
- Guards: the Functioneel beheerder's rights cannot change; rights on pages only the
  Functioneel beheerder has go to no other role; a role of an organisation gets no right
  on data of all organisations; tenancy holds whatever a role is granted.
"""

from __future__ import annotations

import json
import re

import pytest
from flask import current_app
from flask_appbuilder.security import views as fab_views

from core.contacts import ContactPerson
from core.extensions import db
from core.models import AuditLog, RoleGrantOverride
from core.roles import BEZOEKER, FUNCTIONEEL_BEHEERDER, GEBRUIK_RAADPLEGER, VNG_RAADPLEGER
from core.roles_sync import collect_grants, sync_roles
from tests.support import tenancy_matrix as tm
from tests.support.actors import csrf_token, login

FAB_SECURITY_PREFIXES = ("/users/", "/roles/", "/groups/", "/permissions/", "/viewmenus/", "/permissionviews/",
                         "/resetpassword/", "/resetmypassword/", "/userinfoeditview/", "/registeruser/",
                         "/userstatschartview/", "/api/v1/security/users", "/api/v1/security/roles",
                         "/api/v1/security/permissions")
FAB_SECURITY_CLASSES = (fab_views.UserModelView, fab_views.RoleModelView, fab_views.UserGroupModelView,
                        fab_views.PermissionModelView, fab_views.ViewMenuModelView,
                        fab_views.PermissionViewModelView, fab_views.ResetPasswordView,
                        fab_views.ResetMyPasswordView, fab_views.UserInfoEditView)
PROBES = ("/users/list/", "/users/add", "/users/userinfo/", "/users/show/1", "/roles/list/", "/roles/add",
          "/groups/list/", "/permissions/list/", "/viewmenus/list/", "/permissionviews/list/",
          "/resetpassword/form?pk=1", "/resetmypassword/form", "/userinfoeditview/form")
CHECKBOX_RE = re.compile(r'<input type="checkbox" name="recht" value="([^"]+)"( checked)?>')

matrix_env = tm.environment()


def _visible(html: str) -> str:
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", html))


def _pairs(role_name: str) -> set[tuple[str, str]]:
    db.session.expire_all()
    role = current_app.appbuilder.sm.find_role(role_name)
    return {(p.permission.name, p.view_menu.name) for p in role.permissions}


def _rights_page(client, role_name: str) -> tuple[str, list[str]]:
    html = client.get(f"/beheer/rollen/{role_name}").get_data(as_text=True)
    return html, [value for value, checked in CHECKBOX_RE.findall(html) if checked]


def _save(client, role_name: str, add=(), remove=(), token=None):
    html, checked = _rights_page(client, role_name)
    token = token or csrf_token(client, f"/beheer/rollen/{role_name}")
    values = [v for v in checked if v not in remove] + list(add)
    return client.post(f"/beheer/rollen/{role_name}/opslaan", data={"csrf_token": token, "recht": values},
                       follow_redirects=True)


# --------------------------------------------------------------------------- FAB's security pages
def test_no_fab_security_page_is_registered(app):
    rules = [str(rule) for rule in app.url_map.iter_rules()]
    assert [r for r in rules if r.startswith(FAB_SECURITY_PREFIXES)] == []
    assert [type(v).__name__ for v in app.appbuilder.baseviews if isinstance(v, FAB_SECURITY_CLASSES)] == []
    assert "Security" not in {item.name for item in app.appbuilder.menu.get_list()}
    assert app.appbuilder.get_url_for_userinfo == ""
    # what stays: the login form and the API login
    assert "/login/" in rules and "/api/v1/security/login" in rules


@pytest.mark.parametrize("actor", sorted(tm.ACTORS))
def test_fab_security_addresses_are_404_for_everybody(matrix_env, actor):
    matrix_env.reset()
    client = matrix_env.client(actor)
    for path in PROBES:
        assert client.get(path).status_code == 404, f"{actor} GET {path}"
    for path in ("/users/add", "/roles/add", "/users/delete/1", "/roles/delete/1", "/users/action_post"):
        resp = client.post(path, data={"csrf_token": matrix_env.csrf[actor]})
        assert resp.status_code == 404, f"{actor} POST {path}"


# --------------------------------------------------------------------------- who sees the page
@pytest.mark.parametrize("actor", sorted(set(tm.ACTORS) - {tm.FUNCTIONEEL_BEHEERDER}))
def test_only_the_functioneel_beheerder_reaches_rollen_en_rechten(matrix_env, actor):
    matrix_env.reset()
    client = matrix_env.client(actor)
    for path in ("/beheer/rollen/", f"/beheer/rollen/{GEBRUIK_RAADPLEGER}"):
        resp = client.get(path)
        assert resp.status_code in (302, 403), f"{actor} GET {path}: {resp.status_code}"
        assert "Rechten van" not in resp.get_data(as_text=True)
        if resp.status_code == 302:
            assert "/login/" in resp.headers["Location"] or resp.headers["Location"].endswith("/")
    data = {"csrf_token": matrix_env.csrf[actor], "recht": ["can_list|AuditLog"]}
    for path in (f"/beheer/rollen/{GEBRUIK_RAADPLEGER}/opslaan", f"/beheer/rollen/{GEBRUIK_RAADPLEGER}/standaard"):
        resp = client.post(path, data=data)
        assert resp.status_code in (302, 403), f"{actor} POST {path}: {resp.status_code}"
    with matrix_env.app.app_context():
        assert db.session.query(RoleGrantOverride).count() == 0
        assert ("can_list", "AuditLog") not in _pairs(GEBRUIK_RAADPLEGER)


def test_the_functioneel_beheerder_reaches_it_from_the_menu(matrix_env):
    matrix_env.reset()
    client = matrix_env.client(tm.FUNCTIONEEL_BEHEERDER)
    assert 'href="/beheer/rollen/"' in client.get("/welkom/").get_data(as_text=True) or \
        'href="/beheer/rollen/"' in client.get("/").get_data(as_text=True)
    assert client.get("/beheer/rollen/").status_code == 200


# --------------------------------------------------------------------------- the page
def test_roles_are_listed_in_dutch_grouped_by_functionality(client, world):
    login(client, world.users["fb"])
    index = _visible(client.get("/beheer/rollen/").get_data(as_text=True))
    for name in (FUNCTIONEEL_BEHEERDER, VNG_RAADPLEGER, GEBRUIK_RAADPLEGER, BEZOEKER, "Aanbod-beheerder"):
        assert name in index
    assert "Alle rechten" in index

    html, checked = _rights_page(client, GEBRUIK_RAADPLEGER)
    text = _visible(html)
    legends = re.findall(r"<legend>([^<]+)</legend>", html)
    for group in ("Gebruikersbeheer (F003)", "Aanbod (F004)", "Organisatieprofiel (F002)", "Gebruik (F013)"):
        assert group in legends
    assert legends == sorted(legends, key=str.lower)
    for label in ("Contactpersonen: lijst bekijken", "Pakketten: wijzigen", "Gebruikers: beheren (Deactiveren",
                  "Menu-item ‘Contactpersonen’: in het menu zien", "Contactpersonen (API): opvragen"):
        assert label in text, label
    # no raw permission string or class name is shown
    assert not re.search(r"\bcan_\w+|menu_access|ContactPersonApi|\bon [A-Z]\w+View\b", text)
    # what the role holds is ticked
    assert "can_list|ContactPerson" in checked and "can_edit|ContactPerson" not in checked
    # pages only the Functioneel beheerder has are not offered
    assert "AuditLog" not in html and "RoleRights" not in html

    admin = _visible(client.get(f"/beheer/rollen/{FUNCTIONEEL_BEHEERDER}").get_data(as_text=True))
    assert "heeft altijd alle rechten" in admin and "Opslaan" not in admin


def test_grant_and_withdraw_persist_survive_the_sync_and_are_audited(make_app, client, world):
    login(client, world.users["fb"])
    page = _save(client, GEBRUIK_RAADPLEGER, add=["can_edit|ContactPerson"], remove=["can_list|Deelname"])
    assert "2 recht(en) van Gebruik-raadpleger gewijzigd." in page.get_data(as_text=True)
    assert page.request.path == f"/beheer/rollen/{GEBRUIK_RAADPLEGER}"
    pairs = _pairs(GEBRUIK_RAADPLEGER)
    assert ("can_edit", "ContactPerson") in pairs and ("can_list", "Deelname") not in pairs
    assert "(gewijzigd door Test Gebruiker, " in page.get_data(as_text=True)
    assert "; standaard: niet)" in page.get_data(as_text=True) and "; standaard: wel)" in page.get_data(as_text=True)
    rows = {(r.permission, r.view_menu): r for r in db.session.query(RoleGrantOverride).filter_by(
        role_name=GEBRUIK_RAADPLEGER)}
    assert set(rows) == {("can_edit", "ContactPerson"), ("can_list", "Deelname")}
    assert rows[("can_edit", "ContactPerson")].granted is True and rows[("can_list", "Deelname")].granted is False
    assert rows[("can_edit", "ContactPerson")].changed_by_id == world.users["fb"].id

    entries = db.session.query(AuditLog).filter_by(action="recht_gewijzigd").all()
    details = [json.loads(e.details) for e in entries]
    assert {(d["recht"], d["toegekend"]) for d in details} == {("Contactpersonen: wijzigen", True),
                                                              ("Deelnames: lijst bekijken", False)}
    assert all(e.user_id == world.users["fb"].id and e.object_id == GEBRUIK_RAADPLEGER for e in entries)
    assert "recht_gewijzigd" in client.get("/auditlog/list/").get_data(as_text=True)  # (the FB reads it there)

    # the sync (``flask scg sync-roles``) and a new start keep the change
    sync_roles(current_app.appbuilder, current_app.extensions["scg_plugins"])
    assert ("can_edit", "ContactPerson") in _pairs(GEBRUIK_RAADPLEGER)
    result = current_app.test_cli_runner().invoke(args=["scg", "sync-roles"])
    assert result.exit_code == 0, result.output
    restarted = make_app()
    with restarted.app_context():
        pairs = _pairs(GEBRUIK_RAADPLEGER)
        assert ("can_edit", "ContactPerson") in pairs and ("can_list", "Deelname") not in pairs

    # setting a right back by hand removes its override
    _save(client, GEBRUIK_RAADPLEGER, add=["can_list|Deelname"])
    assert db.session.query(RoleGrantOverride).filter_by(view_menu="Deelname").count() == 0


def test_terug_naar_standaard_restores_the_code_grants(client, world):
    login(client, world.users["fb"])
    _save(client, VNG_RAADPLEGER, add=["can_edit|ContactPerson"], remove=["can_list|OrganisationUsers"])
    assert _pairs(VNG_RAADPLEGER) != collect_grants(current_app.extensions["scg_plugins"])[VNG_RAADPLEGER]
    token = csrf_token(client, f"/beheer/rollen/{VNG_RAADPLEGER}")
    page = client.post(f"/beheer/rollen/{VNG_RAADPLEGER}/standaard", data={"csrf_token": token},
                       follow_redirects=True)
    assert f"De rechten van {VNG_RAADPLEGER} zijn terug naar de standaard (2 wijziging(en)" in page.get_data(
        as_text=True)
    assert _pairs(VNG_RAADPLEGER) == collect_grants(current_app.extensions["scg_plugins"])[VNG_RAADPLEGER]
    assert db.session.query(RoleGrantOverride).count() == 0
    entry = db.session.query(AuditLog).filter_by(action="rechten_standaard").one()
    assert set(json.loads(entry.details)["teruggezet"]) == {"Contactpersonen: wijzigen", "Gebruikers: lijst bekijken"}
    again = client.post(f"/beheer/rollen/{VNG_RAADPLEGER}/standaard", data={"csrf_token": token},
                        follow_redirects=True)
    assert "waren al de standaardrechten" in again.get_data(as_text=True)


# --------------------------------------------------------------------------- guards
def _nothing_changed(before: dict) -> None:
    assert db.session.query(RoleGrantOverride).count() == 0
    assert db.session.query(AuditLog).filter(AuditLog.action.in_(["recht_gewijzigd", "rechten_standaard"])).count() \
        == 0
    for role, pairs in before.items():
        assert _pairs(role) == pairs, role


@pytest.mark.parametrize("role,right,message", [
    (FUNCTIONEEL_BEHEERDER, "can_list|ContactPerson", "De Functioneel beheerder heeft altijd alle rechten"),
    (GEBRUIK_RAADPLEGER, "can_list|AuditLog", "is alleen voor de Functioneel beheerder"),
    (GEBRUIK_RAADPLEGER, "can_edit|RoleRights", "is alleen voor de Functioneel beheerder"),
    (VNG_RAADPLEGER, "can_list|RoleRights", "is alleen voor de Functioneel beheerder"),
    (GEBRUIK_RAADPLEGER, "can_list|Registration", "is alleen voor de Functioneel beheerder"),
    (BEZOEKER, "can_edit|ContactPerson", "rol zonder organisatie"),
    (GEBRUIK_RAADPLEGER, "can_list|Onbekend", "bestaat niet"),
    (GEBRUIK_RAADPLEGER, "zomaar iets", "bestaat niet"),
])
def test_a_refused_right_changes_nothing_and_says_why(client, world, role, right, message):
    login(client, world.users["fb"])
    names = (FUNCTIONEEL_BEHEERDER, GEBRUIK_RAADPLEGER, VNG_RAADPLEGER, BEZOEKER)
    before = {name: _pairs(name) for name in names}
    token = csrf_token(client, f"/beheer/rollen/{GEBRUIK_RAADPLEGER}")
    _html, checked = _rights_page(client, role)
    # also an honest change in the same form: it is not applied either
    values = [v for v in checked if v != "can_list|Deelname"] + [right]
    page = client.post(f"/beheer/rollen/{role}/opslaan", data={"csrf_token": token, "recht": values},
                       follow_redirects=True)
    text = page.get_data(as_text=True)
    assert page.status_code == 200 and message in text and "Er is niets gewijzigd." in text
    _nothing_changed(before)


def test_the_functioneel_beheerder_cannot_be_reset_or_lose_user_management(client, world):
    login(client, world.users["fb"])
    before = {FUNCTIONEEL_BEHEERDER: _pairs(FUNCTIONEEL_BEHEERDER)}
    assert {("can_list", "RoleRights"), ("can_edit", "RoleRights"), ("can_manage", "OrganisationUsers")} <= \
        before[FUNCTIONEEL_BEHEERDER]
    token = csrf_token(client, f"/beheer/rollen/{GEBRUIK_RAADPLEGER}")
    page = client.post(f"/beheer/rollen/{FUNCTIONEEL_BEHEERDER}/opslaan", data={"csrf_token": token},
                       follow_redirects=True)  # (nothing ticked: everything withdrawn)
    assert "De Functioneel beheerder heeft altijd alle rechten" in page.get_data(as_text=True)
    _nothing_changed(before)
    assert client.get("/beheer/rollen/").status_code == 200


def test_without_token_nothing_changes_and_unknown_roles_are_404(client, world):
    login(client, world.users["fb"])
    before = {GEBRUIK_RAADPLEGER: _pairs(GEBRUIK_RAADPLEGER)}
    resp = client.post(f"/beheer/rollen/{GEBRUIK_RAADPLEGER}/opslaan", data={"recht": ["can_edit|ContactPerson"]})
    assert resp.status_code in (302, 400)
    _nothing_changed(before)
    assert client.get(f"/beheer/rollen/{GEBRUIK_RAADPLEGER}/opslaan").status_code == 405
    assert client.get("/beheer/rollen/Superheld").status_code == 404


def test_a_stored_override_the_guard_refuses_is_ignored_by_the_sync(app, world):
    db.session.add_all([
        RoleGrantOverride(role_name=GEBRUIK_RAADPLEGER, permission="can_list", view_menu="AuditLog", granted=True),
        RoleGrantOverride(role_name=FUNCTIONEEL_BEHEERDER, permission="can_list", view_menu="RoleRights",
                          granted=False),
        RoleGrantOverride(role_name=BEZOEKER, permission="can_edit", view_menu="Package", granted=True),
    ])
    db.session.commit()
    sync_roles(app.appbuilder, app.extensions["scg_plugins"])
    assert ("can_list", "AuditLog") not in _pairs(GEBRUIK_RAADPLEGER)
    assert ("can_list", "RoleRights") in _pairs(FUNCTIONEEL_BEHEERDER)
    assert ("can_edit", "Package") not in _pairs(BEZOEKER)


# --------------------------------------------------------------------------- tenancy after a grant
def test_tenancy_holds_after_granting_edit_to_the_gebruik_raadpleger(app, world):
    own = ContactPerson(organisation_id=world.gemeente.id, name="Eigen Contact", role="Adviseur")
    other = ContactPerson(organisation_id=world.other_gemeente.id, name="Andermans Contact", role="Adviseur")
    db.session.add_all([own, other])
    db.session.commit()
    own_id, other_id = own.id, other.id

    fb = app.test_client()
    login(fb, world.users["fb"])
    _save(fb, GEBRUIK_RAADPLEGER, add=["can_edit|ContactPerson"])
    assert ("can_edit", "ContactPerson") in _pairs(GEBRUIK_RAADPLEGER)

    raadpleger = app.test_client()
    login(raadpleger, world.users["raadpleger"])
    token = csrf_token(raadpleger, f"/contactpersonen/edit/{own_id}")  # the grant works: the form opens
    resp = raadpleger.post(f"/contactpersonen/edit/{own_id}", data={"name": "Eigen Gewijzigd", "role": "Adviseur",
                                                                   "csrf_token": token})
    assert resp.status_code == 302
    db.session.expire_all()
    assert db.session.get(ContactPerson, own_id).name == "Eigen Gewijzigd"

    assert raadpleger.get(f"/contactpersonen/edit/{other_id}").status_code in (302, 404)
    resp = raadpleger.post(f"/contactpersonen/edit/{other_id}", data={"name": "Gekaapt", "role": "Adviseur",
                                                                     "csrf_token": token})
    assert resp.status_code in (302, 400, 404)
    db.session.expire_all()
    assert db.session.get(ContactPerson, other_id).name == "Andermans Contact"
    assert "Andermans Contact" not in raadpleger.get("/contactpersonen/list/").get_data(as_text=True)
