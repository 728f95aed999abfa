"""F013: every change of a usage is a core event (no person) and in the audit log; the REST API
of the own landscape (list, show, add, edit; ending is an edit of the status)."""

from __future__ import annotations

import dataclasses
import datetime as dt

import pytest
from sqlalchemy import select

from core.catalogue.models import Usage
from core.events import UsageAdded, UsageChanged, UsageEnded
from core.extensions import db
from core.models import AuditLog
from core.plugins import hookimpl
from plugins.f013_gebruik.models import UsageChange
from tests.f013.conftest import make_package, make_usage, version_of
from tests.support.actors import World, api_token, csrf_token, login


class EventRecorder:
    def __init__(self):
        self.events = []

    @hookimpl
    def on_event(self, event):
        self.events.append(event)


@pytest.fixture
def recorder():
    return EventRecorder()


@pytest.fixture
def setup(make_app, recorder):
    app = make_app(plugins=[recorder])
    with app.app_context():
        world = World.build(app)
        package = make_package(world.supplier, "Zaakwijzer", versions=("3.1", "4.0"))
        yield app, world, package


def _usage_events(recorder):
    return [e for e in recorder.events if isinstance(e, (UsageAdded, UsageChanged, UsageEnded))]


def test_add_change_and_end_emit_events_without_a_person_and_are_audited(setup, recorder):
    app, world, package = setup
    client = app.test_client()
    login(client, world.users["gebruik"])
    client.post("/gebruik/add", data={"csrf_token": csrf_token(client, "/gebruik/add"),
                                      "organisation": str(world.gemeente.id), "package": str(package.id),
                                      "status": "gepland"})
    usage = db.session.query(Usage).filter_by(organisation_id=world.gemeente.id).one()
    client.post(f"/gebruik/edit/{usage.id}", data={"csrf_token": csrf_token(client, f"/gebruik/edit/{usage.id}"),
                                                    "status": "in_productie", "description": ""})
    client.post(f"/gebruik/action/end/{usage.id}",
                data={"csrf_token": csrf_token(client, f"/gebruik/show/{usage.id}")})
    events = _usage_events(recorder)
    assert [type(e) for e in events] == [UsageAdded, UsageChanged, UsageEnded]
    today = dt.date.today()
    for event in events:
        assert (event.organisation_id, event.package_id, event.day) == (world.gemeente.id, package.id, today)
        fields = {f.name for f in dataclasses.fields(event)}
        assert not fields & {"user_id", "person", "name", "email"}  # F006 counts; nobody is named
    assert (events[1].previous_status, events[1].status) == ("gepland", "in_productie")
    audited = db.session.scalars(select(AuditLog.action).where(AuditLog.object_type == "Usage")).all()
    assert len(audited) >= 3  # created, updated, ended (updated)
    assert db.session.scalars(select(AuditLog.action).where(AuditLog.object_type == "UsageChange")).all()


def test_an_edit_that_changes_nothing_adds_no_history(setup, recorder):
    app, world, package = setup
    usage = make_usage(world.gemeente, package, status="gepland")
    client = app.test_client()
    login(client, world.users["gebruik"])
    client.post(f"/gebruik/edit/{usage.id}", data={"csrf_token": csrf_token(client, f"/gebruik/edit/{usage.id}"),
                                                    "status": "gepland", "description": ""})
    assert not _usage_events(recorder)
    assert db.session.scalars(select(UsageChange)).all() == []


@pytest.fixture
def api(setup):
    app, world, package = setup
    client = app.test_client()
    headers = {"Authorization": f"Bearer {api_token(client, world.users['gebruik'])}"}
    return client, headers, world, package


def test_api_add_list_show_edit_and_end(api, recorder):
    client, headers, world, package = api
    version = version_of(package, "4.0")
    resp = client.post("/api/v1/gebruik/", json={"organisation": world.gemeente.id, "package": package.id,
                                                 "version": version.id,
                                                 "status": "in_productie", "status_date": "2025-06-01"},
                       headers=headers)
    assert resp.status_code == 201, resp.get_data(as_text=True)
    pk = resp.json["id"]
    usage = db.session.get(Usage, pk)
    assert usage.organisation_id == world.gemeente.id and usage.version_id == version.id
    listed = client.get("/api/v1/gebruik/", headers=headers).json["result"]
    assert [(r["package"]["name"], r["status"]) for r in listed] == [("Zaakwijzer", "in_productie")]
    shown = client.get(f"/api/v1/gebruik/{pk}", headers=headers).json["result"]
    assert shown["version"]["name"] == "4.0" and shown["organisation"]["name"] == "Voorbeeldstad"
    resp = client.put(f"/api/v1/gebruik/{pk}", json={"status": "uitgefaseerd"}, headers=headers)
    assert resp.status_code == 200, resp.get_data(as_text=True)
    db.session.expire_all()
    assert db.session.get(Usage, pk).status == "uitgefaseerd"
    assert [type(e) for e in _usage_events(recorder)] == [UsageAdded, UsageEnded]
    kinds = db.session.scalars(select(UsageChange.kind).where(UsageChange.usage_id == pk)
                               .order_by(UsageChange.id)).all()
    assert kinds == ["toegevoegd", "beeindigd"]


def test_api_refuses_a_second_usage_a_wrong_version_and_a_wrong_status(api):
    client, headers, world, package = api
    other = make_package(world.other_supplier, "Belastingen Plus", versions=("1.0",))
    make_usage(world.gemeente, package)
    resp = client.post("/api/v1/gebruik/", json={"organisation": world.gemeente.id, "package": package.id,
                                                 "status": "gepland"}, headers=headers)
    assert resp.status_code == 400 and "staat al in het applicatielandschap" in resp.get_data(as_text=True)
    resp = client.post("/api/v1/gebruik/", json={"organisation": world.gemeente.id, "package": other.id,
                                                 "version": version_of(package, "3.1").id,
                                                 "status": "gepland"}, headers=headers)
    assert resp.status_code == 400 and "Kies een versie van Belastingen Plus" in resp.get_data(as_text=True)
    resp = client.post("/api/v1/gebruik/", json={"organisation": world.gemeente.id, "package": other.id,
                                                 "status": "ooit"}, headers=headers)
    assert resp.status_code in (400, 422) and "Kies een status uit de lijst." in resp.get_data(as_text=True)
    assert db.session.query(Usage).count() == 1


def test_api_of_the_landscape_is_in_the_openapi_description(api):
    client, headers, world, package = api
    spec = client.get("/api/v1/_openapi", headers=headers)
    assert spec.status_code == 200
    assert "/api/v1/gebruik/" in spec.json["paths"] and "/api/v1/gebruik/{pk}" in spec.json["paths"]


def test_a_community_cannot_register_usage_through_the_api(setup):
    from core.roles import GEBRUIK_BEHEERDER
    from tests.support.actors import make_org, make_user

    app, world, package = setup
    community = make_org("Open Source Community", "community")
    member = make_user("lid@community.example", GEBRUIK_BEHEERDER, community)
    client = app.test_client()
    headers = {"Authorization": f"Bearer {api_token(client, member)}"}
    resp = client.post("/api/v1/gebruik/", json={"organisation": community.id, "package": package.id,
                                                 "status": "gepland"}, headers=headers)
    assert resp.status_code == 400
    assert "Alleen een gemeente of samenwerking houdt een applicatielandschap bij." in resp.get_data(as_text=True)
    assert db.session.query(Usage).count() == 0
