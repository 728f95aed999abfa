"""F013: a samenwerking registers usage for its member gemeenten (issue 9, point 8).

The row belongs to the member (its landscape shows it "geregistreerd door <samenwerking>",
it changes and ends it like any own row); the samenwerking keeps it while the membership
lasts and loses it, for reading and writing, when the membership ends; the row stays.
A community never registers usage. Memberships come from F010 through the core hook
``group_member_ids``; F013 does not import F010.
"""

from __future__ import annotations

import datetime as dt

import pytest
from sqlalchemy import select

from core.catalogue.models import Usage
from core.extensions import db
from core.roles import GEBRUIK_BEHEERDER
from plugins.f010_lidmaatschap.models import Deelname
from plugins.f013_gebruik.models import UsageChange
from tests.f013.conftest import logged_in, make_package, make_usage
from tests.support.actors import CSRF_RE, api_token, csrf_token, make_org, make_user


@pytest.fixture
def regio(app, world):
    """Samenwerking Regio Samen: Voorbeeldstad is a member, Andersdorp was one."""
    group = make_org("Regio Samen", "samenwerking")
    community = make_org("Community Open", "community")
    db.session.add_all([
        Deelname(organisation_id=world.gemeente.id, group_id=group.id, since=dt.date(2025, 1, 1)),
        Deelname(organisation_id=world.other_gemeente.id, group_id=group.id, since=dt.date(2024, 1, 1),
                 ended_on=dt.date(2025, 1, 1)),
        Deelname(organisation_id=world.gemeente.id, group_id=community.id, since=dt.date(2025, 1, 1)),
    ])
    db.session.commit()
    user = make_user("gb@regiosamen.example", GEBRUIK_BEHEERDER, group, first_name="Sam", last_name="Regio")
    community_user = make_user("gb@community.example", GEBRUIK_BEHEERDER, community)
    return {"group": group, "community": community, "user": user, "community_user": community_user,
            "package": make_package(world.supplier, "Zaakwijzer", versions=("4.0",)),
            "other": make_package(world.supplier, "Belastingen Plus")}


def _token(client) -> str:
    """The session's CSRF token, from a page with a form the user may open."""
    for path in ("/gebruik/add", "/uitnodigingen/add", "/deelnames/add"):
        match = CSRF_RE.search(client.get(path).get_data(as_text=True))
        if match:
            return match.group(1)
    raise AssertionError("no page with a CSRF token")


def _add(client, org, package, status="in_productie", note="Regionale aanbesteding"):
    return client.post("/gebruik/add", data={"csrf_token": _token(client),
                                             "organisation": str(org.id), "package": str(package.id),
                                             "status": status, "description": note})


def _end(client, pk):
    return client.post(f"/gebruik/action/end/{pk}", data={"csrf_token": _token(client)})


def test_the_samenwerking_registers_for_a_member_who_sees_it_marked_and_may_change_and_end_it(app, world, regio):
    samen = logged_in(app, regio["user"])
    form = samen.get("/gebruik/add").get_data(as_text=True)
    assert "Voor wie registreert u dit gebruik?" in form
    assert ">Voorbeeldstad</option>" in form and ">Regio Samen</option>" in form
    assert "Andersdorp" not in form  # a former member is no choice

    assert _add(samen, world.gemeente, regio["package"]).status_code == 302
    usage = db.session.scalar(select(Usage).filter_by(package_id=regio["package"].id))
    assert usage.organisation_id == world.gemeente.id and usage.registered_by_id == regio["group"].id
    change = db.session.scalar(select(UsageChange).filter_by(usage_id=usage.id))
    assert change.changed_by_id == regio["user"].id and "(door Regio Samen)" in change.summary

    own_list = samen.get("/gebruik/list/").get_data(as_text=True)
    assert "Regionale aanbesteding" in own_list and "Voorbeeldstad" in own_list

    member = logged_in(app, world.users["gebruik"])
    page = member.get("/gebruik/list/").get_data(as_text=True)
    assert "Regionale aanbesteding" in page and "geregistreerd door Regio Samen" in page
    shown = member.get(f"/gebruik/show/{usage.id}").get_data(as_text=True)
    assert "Dit gebruik is geregistreerd door Regio Samen voor Voorbeeldstad." in shown
    assert "(door Regio Samen)" in shown  # the history says who changed it
    path = f"/gebruik/edit/{usage.id}"
    resp = member.post(path, data={"csrf_token": csrf_token(member, path), "status": "gepland"})
    assert resp.status_code == 302
    db.session.expire_all()
    usage = db.session.get(Usage, usage.id)
    assert usage.status == "gepland" and usage.registered_by_id == regio["group"].id
    assert _end(member, usage.id).status_code == 302
    db.session.expire_all()
    assert db.session.get(Usage, usage.id).status == "uitgefaseerd"


def test_the_samenwerking_changes_and_ends_while_the_membership_lasts_and_loses_it_after(app, world, regio):
    samen = logged_in(app, regio["user"])
    assert _add(samen, world.gemeente, regio["package"]).status_code == 302
    usage = db.session.scalar(select(Usage).filter_by(package_id=regio["package"].id))
    path = f"/gebruik/edit/{usage.id}"
    assert samen.post(path, data={"csrf_token": csrf_token(samen, path), "status": "gepland"}).status_code == 302
    db.session.expire_all()
    assert db.session.get(Usage, usage.id).status == "gepland"

    deelname = db.session.scalar(select(Deelname).filter_by(organisation_id=world.gemeente.id,
                                                            group_id=regio["group"].id))
    deelname.ended_on = dt.date.today()
    db.session.commit()

    assert "Regionale aanbesteding" not in samen.get("/gebruik/list/").get_data(as_text=True)
    assert samen.get(f"/gebruik/show/{usage.id}").status_code in (302, 404)
    token = _token(samen)
    samen.post(path, data={"csrf_token": token, "status": "in_productie"})
    samen.post(f"/gebruik/action/end/{usage.id}", data={"csrf_token": token})
    db.session.expire_all()
    usage = db.session.get(Usage, usage.id)
    assert usage is not None and usage.status == "gepland"  # unchanged, and still there
    member = logged_in(app, world.users["gebruik"])
    assert "geregistreerd door Regio Samen" in member.get("/gebruik/list/").get_data(as_text=True)
    form = samen.get("/gebruik/add").get_data(as_text=True)
    assert ">Voorbeeldstad</option>" not in form
    resp = _add(samen, world.gemeente, regio["other"])
    assert resp.status_code == 200 and "Organisatie: Kies de gemeente of samenwerking waarvoor u het gebruik " \
        "vastlegt, uit de lijst.</a>" in \
        resp.get_data(as_text=True)  # no longer a choice (nor asked: only itself is left)
    assert db.session.scalar(select(Usage).filter_by(package_id=regio["other"].id)) is None


def test_the_samenwerking_does_not_see_what_the_member_registered_itself(app, world, regio):
    own = make_usage(world.gemeente, regio["other"], description="Eigen registratie")
    samen = logged_in(app, regio["user"])
    assert "Eigen registratie" not in samen.get("/gebruik/list/").get_data(as_text=True)
    assert samen.get(f"/gebruik/show/{own.id}").status_code in (302, 404)
    assert _end(samen, own.id).status_code == 302
    db.session.expire_all()
    assert db.session.get(Usage, own.id).status == "in_productie"


def test_a_community_never_registers_usage(app, world, regio):
    community = logged_in(app, regio["community_user"])
    form = community.get("/gebruik/add").get_data(as_text=True)
    assert "Voorbeeldstad" not in form
    resp = _add(community, world.gemeente, regio["package"])
    assert "Alleen een gemeente of samenwerking houdt een applicatielandschap bij." in resp.get_data(as_text=True)
    client = app.test_client()
    headers = {"Authorization": f"Bearer {api_token(client, regio['community_user'])}"}
    resp = client.post("/api/v1/gebruik/", json={"organisation": world.gemeente.id, "package": regio["package"].id,
                                                 "status": "in_productie"}, headers=headers)
    assert resp.status_code in (400, 403, 422)
    assert db.session.query(Usage).count() == 0


def test_the_api_registers_for_a_member_and_follows_the_membership(app, world, regio):
    client = app.test_client()
    headers = {"Authorization": f"Bearer {api_token(client, regio['user'])}"}
    resp = client.post("/api/v1/gebruik/", json={"organisation": world.gemeente.id, "package": regio["package"].id,
                                                 "status": "in_productie"}, headers=headers)
    assert resp.status_code == 201, resp.get_data(as_text=True)
    pk = resp.json["id"]
    assert db.session.get(Usage, pk).registered_by_id == regio["group"].id
    # a former member is refused
    resp = client.post("/api/v1/gebruik/", json={"organisation": world.other_gemeente.id,
                                                 "package": regio["package"].id, "status": "in_productie"},
                       headers=headers)
    assert resp.status_code == 400
    listed = client.get("/api/v1/gebruik/", headers=headers).json["result"]
    assert [(r["organisation"]["name"], r["registered_by"]["name"]) for r in listed] == [
        ("Voorbeeldstad", "Regio Samen")]
    assert client.put(f"/api/v1/gebruik/{pk}", json={"status": "gepland"}, headers=headers).status_code == 200

    member_client = app.test_client()
    member = {"Authorization": f"Bearer {api_token(member_client, world.users['gebruik'])}"}
    shown = member_client.get(f"/api/v1/gebruik/{pk}", headers=member).json["result"]
    assert shown["registered_by"]["name"] == "Regio Samen"

    db.session.execute(Deelname.__table__.update().where(Deelname.group_id == regio["group"].id)
                       .values(ended_on=dt.date.today()))
    db.session.commit()
    assert client.get("/api/v1/gebruik/", headers=headers).json["result"] == []
    assert client.get(f"/api/v1/gebruik/{pk}", headers=headers).status_code == 404
    assert client.put(f"/api/v1/gebruik/{pk}", json={"status": "uitgefaseerd"}, headers=headers).status_code == 404
    db.session.expire_all()
    assert db.session.get(Usage, pk).status == "gepland"


def test_the_demo_samenwerking_registered_usage_for_the_demo_gemeente(app):
    from core.accounts import find_user_by_email
    from core.builtin.demo import DEMO_PASSWORD
    from plugins.f013_gebruik.demo import DEMO_SAMENWERKING_USER, DEMO_USER
    from tests.support.actors import login

    seed = app.extensions["scg_plugins"].hook.seed_data
    seed(app=app, demo=True)
    seed(app=app, demo=True)  # idempotent
    gemeente = find_user_by_email(DEMO_USER)
    regio = find_user_by_email(DEMO_SAMENWERKING_USER)
    assert regio.organisation.name == "Samenwerking Demo-regio"
    rows = db.session.query(Usage).filter_by(registered_by_id=regio.organisation.id).all()
    assert [r.organisation_id for r in rows] == [gemeente.organisation.id]
    samen = app.test_client()
    login(samen, regio, password=DEMO_PASSWORD)
    assert "Regionaal aanbesteed" in samen.get("/gebruik/list/").get_data(as_text=True)
    member = app.test_client()
    login(member, gemeente, password=DEMO_PASSWORD)
    assert "geregistreerd door Samenwerking Demo-regio" in member.get("/gebruik/list/").get_data(as_text=True)


def test_a_package_the_member_already_uses_is_refused_without_a_link_into_its_landscape(app, world, regio):
    own = make_usage(world.gemeente, regio["package"])
    samen = logged_in(app, regio["user"])
    resp = _add(samen, world.gemeente, regio["package"])
    body = resp.get_data(as_text=True)
    assert resp.status_code == 200 and "Zaakwijzer staat al in het applicatielandschap van Voorbeeldstad." in body
    assert f"/gebruik/show/{own.id}" not in body
    assert db.session.query(Usage).count() == 1
