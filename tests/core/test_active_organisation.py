"""One account, several organisations: the user menu switches the organisation a person acts for.

Every tenancy check follows the active organisation and every permission check the
role of that membership; the choice is kept for the next login and for API tokens.
"""

from __future__ import annotations

import pytest

from core import accounts
from core.extensions import db
from core.models import AuditLog, Membership, ScgUser
from core.roles import AANBOD_BEHEERDER, GEBRUIK_BEHEERDER, GEBRUIK_RAADPLEGER
from tests.f013.conftest import make_package, make_usage
from tests.support.actors import api_token, csrf_token, login, make_user

SWITCH = "/account/organisatie/wisselen"


def text(resp) -> str:
    return resp.get_data(as_text=True)


def fresh_user(user_id) -> ScgUser:
    db.session.expire_all()
    return db.session.get(ScgUser, user_id)


def switch(client, organisation, next_="/welkom/"):
    token = csrf_token(client, "/account/twee-factor/")
    data = {"organisation_id": str(getattr(organisation, "id", organisation)), "csrf_token": token}
    if next_ is not None:
        data["next"] = next_
    return client.post(SWITCH, data=data)


@pytest.fixture
def multi(app, world):
    """A person who is Gebruik-beheerder of Voorbeeldstad and Aanbod-beheerder of ICT Solutions BV."""
    user = make_user("multi@voorbeeldstad.example", GEBRUIK_BEHEERDER, world.gemeente, first_name="Mia",
                     last_name="Meerdere")
    accounts.add_membership(user, world.supplier, AANBOD_BEHEERDER)
    db.session.commit()
    return user


@pytest.fixture
def landscape(app, world):
    """Voorbeeldstad uses ICT's Zaakwijzer, Andersdorp uses Concurrent's Belastingen Plus."""
    zaak = make_package(world.supplier, "Zaakwijzer", versions=("4.0",))
    other = make_package(world.other_supplier, "Belastingen Plus", versions=("1.0",))
    usages = [make_usage(world.gemeente, zaak, description="landschap-voorbeeldstad"),
              make_usage(world.other_gemeente, other, description="landschap-andersdorp")]
    return {"zaak": zaak, "other": other, "usages": usages}


def logged_in(app, user, password=None):
    client = app.test_client()
    if password is None:
        login(client, user)
    else:
        login(client, user, password)
    return client


def test_the_user_menu_offers_the_other_organisations_only_with_several_memberships(app, world, multi):
    single = text(logged_in(app, world.users["gebruik"]).get("/welkom/"))
    assert "Actief namens" not in single and "Wissel naar" not in single

    page = text(logged_in(app, multi).get("/welkom/"))
    assert "Actief namens: <strong>Voorbeeldstad</strong>" in page
    assert "Wissel naar ICT Solutions BV" in page and "Wissel naar Voorbeeldstad" not in page


def test_switching_changes_organisation_role_and_is_audited(app, world, multi):
    client = logged_in(app, multi)
    resp = switch(client, world.supplier, next_="/pakketten/list/")
    assert resp.status_code == 303 and resp.location.endswith("/pakketten/list/")

    user = fresh_user(multi.id)
    assert user.active_organisation_id == world.supplier.id and user.organisation.id == world.supplier.id
    assert [r.name for r in user.roles] == [AANBOD_BEHEERDER]
    entry = db.session.query(AuditLog).filter_by(action="organisatie_gewisseld").one()
    assert entry.user_id == multi.id and entry.organisation_id == world.supplier.id
    assert "Voorbeeldstad" in entry.details and "ICT Solutions BV" in entry.details

    page = text(client.get("/welkom/"))
    assert "U werkt nu namens ICT Solutions BV (Aanbod-beheerder)" in page
    assert "Actief namens: <strong>ICT Solutions BV</strong>" in page and "Wissel naar Voorbeeldstad" in page


def test_switch_needs_csrf_and_a_post(app, world, multi):
    client = logged_in(app, multi)
    assert client.post(SWITCH, data={"organisation_id": str(world.supplier.id)}).status_code == 400
    assert client.get(SWITCH).status_code == 405
    user = fresh_user(multi.id)
    assert user.organisation.id == world.gemeente.id and [r.name for r in user.roles] == [GEBRUIK_BEHEERDER]
    assert db.session.query(AuditLog).filter_by(action="organisatie_gewisseld").count() == 0


@pytest.mark.parametrize("target", ["other_supplier", "ended", "garbage", "empty"])
def test_no_switch_to_an_organisation_without_an_active_membership(app, world, multi, target):
    if target == "ended":
        membership = db.session.query(Membership).filter_by(user_id=multi.id,
                                                            organisation_id=world.supplier.id).one()
        membership.active = False
        db.session.commit()
    organisation_id = {"other_supplier": world.other_supplier.id, "ended": world.supplier.id,
                       "garbage": "12abc", "empty": ""}[target]
    client = logged_in(app, multi)
    resp = switch(client, organisation_id)
    assert resp.status_code == 303
    page = text(client.get(resp.location))
    assert "U bent geen actief lid van die organisatie" in page
    user = fresh_user(multi.id)
    assert user.organisation.id == world.gemeente.id and [r.name for r in user.roles] == [GEBRUIK_BEHEERDER]
    assert db.session.query(AuditLog).filter_by(action="organisatie_gewisseld").count() == 0


@pytest.mark.parametrize(("next_", "expected"), [
    ("/welkom/?x=1", "/welkom/?x=1"),  # a page the new role may open: back to it
    ("/pakketten/list/?_oc_PackageView=name", "/pakketten/list/?_oc_PackageView=name"),
    ("/gebruik/list/", "/welkom/"),  # the landscape is no page for a supplier: the start page
    ("/gebruik/show/12", "/welkom/"),  # an object of the previous organisation: the start page
    ("/pakketten/edit/3?next=/x", "/welkom/"),
    ("https://evil.example/", "/welkom/"),
    ("//evil.example/", "/welkom/"),
    (None, "/welkom/"),
])
def test_switch_returns_to_a_safe_page(app, world, multi, next_, expected):
    resp = switch(logged_in(app, multi), world.supplier, next_=next_)
    assert resp.status_code == 303
    assert resp.location.removeprefix("http://localhost") == expected


def test_login_acts_for_the_organisation_last_switched_to(app, world, multi):
    switch(logged_in(app, multi), world.supplier)
    page = text(logged_in(app, multi).get("/welkom/"))
    assert "Actief namens: <strong>ICT Solutions BV</strong>" in page


def test_the_landscape_and_the_packages_follow_the_active_organisation(app, world, multi, landscape):
    """Gebruik-beheerder of gemeente A and Aanbod-beheerder of supplier B: only A's data while A is active."""
    own, other = (f"/gebruik/show/{u.id}" for u in landscape["usages"])
    client = logged_in(app, multi)
    usage_page = client.get("/gebruik/list/")
    assert usage_page.status_code == 200
    assert own in text(usage_page) and other not in text(usage_page)
    assert client.get("/pakketten/list/").status_code == 403  # a Gebruik-beheerder has no supplier pages
    assert client.get(f"/pakketten/show/{landscape['zaak'].id}").status_code == 403

    switch(client, world.supplier)
    packages = client.get("/pakketten/list/")
    assert packages.status_code == 200 and "Zaakwijzer" in text(packages)
    assert "Belastingen Plus" not in text(packages)
    assert client.get(f"/pakketten/show/{landscape['zaak'].id}").status_code == 200
    assert client.get("/gebruik/list/").status_code == 403  # a supplier never sees a landscape
    assert client.get(own).status_code == 403

    switch(client, world.gemeente)
    assert client.get("/pakketten/list/").status_code == 403
    assert own in text(client.get("/gebruik/list/"))


def test_an_api_token_follows_the_switch(app, world, multi, landscape):
    token = api_token(app.test_client(), multi)
    headers = {"Authorization": f"Bearer {token}"}
    api = app.test_client()
    listed = api.get("/api/v1/gebruik/", headers=headers)
    assert listed.status_code == 200
    assert [row["description"] for row in listed.json["result"]] == ["landschap-voorbeeldstad"]
    assert api.get("/api/v1/pakketten/", headers=headers).status_code in (401, 403)

    switch(logged_in(app, multi), world.supplier)  # in the browser; the same token acts for B now
    assert api.get("/api/v1/gebruik/", headers=headers).status_code in (401, 403)
    packages = api.get("/api/v1/pakketten/", headers=headers)
    assert packages.status_code == 200
    assert {row["name"] for row in packages.json["result"]} == {"Zaakwijzer"}


def test_switching_into_a_role_that_requires_two_factor_leads_to_enrolment(app, world):
    """A raadpleger without two-factor is also Aanbod-beheerder elsewhere: switching there asks for TOTP first."""
    user = make_user("lisa@voorbeeldstad.example", GEBRUIK_RAADPLEGER, world.gemeente)
    accounts.add_membership(user, world.supplier, AANBOD_BEHEERDER)
    db.session.commit()
    assert not user.totp_enabled
    client = logged_in(app, user)
    resp = switch(client, world.supplier, next_="/pakketten/list/")
    assert resp.status_code == 303 and "/account/twee-factor/?next=" in resp.location
    page = text(client.get(resp.location))
    assert "Voor uw rol bij deze organisatie is twee-factorauthenticatie verplicht" in page
    blocked = client.get("/pakketten/list/")  # every other page waits for the enrolment
    assert blocked.status_code == 302 and "/account/twee-factor/" in blocked.location
    assert [r.name for r in fresh_user(user.id).roles] == [AANBOD_BEHEERDER]

    # switching back to the raadpleger membership needs no two-factor
    switch(client, world.gemeente)
    assert client.get("/welkom/").status_code == 200


def test_sync_roles_falls_back_when_the_active_membership_ends(app, world, multi):
    accounts.switch_organisation(multi, world.supplier.id)
    db.session.commit()
    membership = next(m for m in multi.memberships if m.organisation_id == world.supplier.id)
    membership.active = False
    accounts.sync_roles(multi)
    db.session.commit()
    user = fresh_user(multi.id)
    assert user.organisation.id == world.gemeente.id and user.active_organisation_id == world.gemeente.id
    assert [r.name for r in user.roles] == [GEBRUIK_BEHEERDER]

    for m in user.memberships:
        m.active = False
    accounts.sync_roles(user)
    db.session.commit()
    assert fresh_user(multi.id).roles == []  # no role of a membership that is no longer active


def test_a_second_membership_in_the_same_organisation_is_refused(app, world, multi):
    with pytest.raises(accounts.AccountError, match="U bent al lid van ICT Solutions BV"):
        accounts.add_membership(multi, world.supplier, AANBOD_BEHEERDER)
    db.session.rollback()
    assert db.session.query(Membership).filter_by(user_id=multi.id).count() == 2



def test_the_demo_has_an_account_with_two_organisations(app):
    from core.builtin.demo import DEMO_PASSWORD, MULTI_EMAIL

    seed = app.extensions["scg_plugins"].hook.seed_data
    seed(app=app, demo=True)
    seed(app=app, demo=True)  # idempotent: still one account, two memberships
    logins = dict(app.extensions["scg_demo_users"])
    assert "wisselen in het gebruikersmenu" in logins[MULTI_EMAIL]
    user = accounts.find_user_by_email(MULTI_EMAIL)
    assert sorted(m.role_name for m in user.memberships) == [AANBOD_BEHEERDER, GEBRUIK_BEHEERDER]
    page = text(logged_in(app, user, DEMO_PASSWORD).get("/welkom/"))
    assert "Wissel naar Fictief Hosting B.V. (demo)" in page


def test_login_falls_back_when_the_organisation_acted_for_is_no_longer_approved(app, world, multi):
    switch(logged_in(app, multi), world.supplier)
    world.supplier.status = "afgewezen"
    db.session.commit()
    page = text(logged_in(app, multi).get("/welkom/"))  # not refused: Voorbeeldstad is still approved
    assert "Actief namens: <strong>Voorbeeldstad</strong>" in page
    user = fresh_user(multi.id)
    assert user.organisation.id == world.gemeente.id and [r.name for r in user.roles] == [GEBRUIK_BEHEERDER]
