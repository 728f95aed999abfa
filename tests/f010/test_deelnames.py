"""F010 Lidmaatschap: organisations declare and end their own participation in samenwerkingen and communities.

A gemeente joins a samenwerking or community, a supplier only a community, effective at
once; each ends only its own participation, which stays as history; the group's
beheerders read their member list (with the member's contact) and export it, but add no
one and end no one; the public supplier page shows "Deelnemer van".
"""

from __future__ import annotations

import datetime as dt

import pytest
from sqlalchemy import select

from core.contacts import ContactPerson
from core.events import MembershipDeclared, MembershipEnded
from core.extensions import db
from core.io import NotAllowed, collect_handlers
from core.models import AuditLog, Organisation
from core.roles import GEBRUIK_BEHEERDER
from plugins.f010_lidmaatschap.models import Deelname
from tests.f010 import event_spy
from tests.f010.conftest import make_deelname
from tests.support.actors import csrf_token, login, make_user


@pytest.fixture
def app(make_app):
    event_spy.EVENTS.clear()
    app = make_app(plugins=[event_spy])
    with app.app_context():
        yield app


def _client(app, user):
    client = app.test_client()
    login(client, user)
    return client


def _rows(member=None, group=None):
    db.session.expire_all()
    query = select(Deelname).order_by(Deelname.id)
    if member is not None:
        query = query.where(Deelname.organisation_id == member.id)
    if group is not None:
        query = query.where(Deelname.group_id == group.id)
    return list(db.session.scalars(query))


def _join(client, group):
    token = csrf_token(client, "/deelnames/add")
    return client.post("/deelnames/add", data={"group": str(group.id), "csrf_token": token})


def test_gemeente_joins_a_samenwerking_at_once(app, world, groups):
    client = _client(app, world.users["gebruik"])
    resp = _join(client, groups["samenwerking"])
    assert resp.status_code == 302
    [row] = _rows(world.gemeente)
    assert (row.group_id, row.since, row.ended_on) == (groups["samenwerking"].id, dt.date.today(), None)
    assert row.declared_by_id == world.users["gebruik"].id
    page = client.get("/deelnames/list/").get_data(as_text=True)
    assert "Regio Samen" in page and "Beëindigen" in page
    [event] = [e for e in event_spy.EVENTS if isinstance(e, MembershipDeclared)]
    assert (event.organisation_id, event.group_id, event.day) == (world.gemeente.id, groups["samenwerking"].id,
                                                                  dt.date.today())
    assert db.session.scalar(select(AuditLog.id).where(AuditLog.object_type == "Deelname")) is not None


def test_the_searchable_list_offers_only_the_groups_the_own_type_may_join(app, world, groups):
    supplier = _client(app, world.users["aanbod"]).get("/deelnames/add").get_data(as_text=True)
    assert "Community Open Zaak" in supplier and "Regio Samen" not in supplier
    gemeente = _client(app, world.users["gebruik"]).get("/deelnames/add").get_data(as_text=True)
    assert "Community Open Zaak" in gemeente and "Regio Samen" in gemeente
    assert "Concurrent BV" not in gemeente and "Andersdorp" not in gemeente  # no other organisation to join


def test_a_supplier_joins_a_community_but_never_a_samenwerking(app, world, groups):
    client = _client(app, world.users["aanbod"])
    _join(client, groups["samenwerking"])  # forged: not offered
    assert _rows(world.supplier) == []
    _join(client, groups["community"])
    assert [r.group_id for r in _rows(world.supplier)] == [groups["community"].id]


def test_joining_twice_is_refused_with_a_message(app, world, groups):
    client = _client(app, world.users["gebruik"])
    _join(client, groups["community"])
    resp = _join(client, groups["community"])
    assert "neemt al deel aan Community Open Zaak" in client.get(resp.location).get_data(as_text=True)
    assert len(_rows(world.gemeente)) == 1


def test_a_group_that_is_not_approved_cannot_be_joined(app, world):
    pending = Organisation(name="Nog Geen Community", type="community", status="aangemeld")
    db.session.add(pending)
    db.session.commit()
    _join(_client(app, world.users["gebruik"]), pending)
    assert _rows(world.gemeente) == []


def test_ending_keeps_the_history_and_rejoining_adds_a_row(app, world, groups):
    row = make_deelname(world.gemeente, groups["samenwerking"], since=dt.date(2024, 5, 1))
    client = _client(app, world.users["gebruik"])
    confirm = client.get(f"/deelnames/beeindigen/{row.id}")
    assert confirm.status_code == 200 and "Regio Samen" in confirm.get_data(as_text=True)
    assert _rows(world.gemeente)[0].ended_on is None  # a GET changes nothing
    resp = client.post(f"/deelnames/beeindigen/{row.id}",
                       data={"csrf_token": csrf_token(client, f"/deelnames/beeindigen/{row.id}")})
    assert resp.status_code == 302 and resp.location.endswith("/deelnames/list/")
    [ended] = _rows(world.gemeente)
    assert (ended.since, ended.ended_on, ended.ended_by_id) == (dt.date(2024, 5, 1), dt.date.today(),
                                                                world.users["gebruik"].id)
    [event] = [e for e in event_spy.EVENTS if isinstance(e, MembershipEnded)]
    assert (event.organisation_id, event.group_id) == (world.gemeente.id, groups["samenwerking"].id)
    _join(client, groups["samenwerking"])
    rows = _rows(world.gemeente)
    assert [r.ended_on for r in rows] == [dt.date.today(), None]


def test_ending_needs_the_csrf_token(app, world, groups):
    row = make_deelname(world.gemeente, groups["samenwerking"])
    client = _client(app, world.users["gebruik"])
    client.post(f"/deelnames/beeindigen/{row.id}", data={})
    assert _rows(world.gemeente)[0].ended_on is None


@pytest.mark.parametrize("who", ["gebruik_other", "aanbod", "raadpleger", "group_beheerder"])
def test_nobody_ends_the_participation_of_another_organisation(app, world, groups, who):
    row = make_deelname(world.gemeente, groups["samenwerking"])
    users = dict(world.users, group_beheerder=make_user("gb@regiosamen.example", GEBRUIK_BEHEERDER,
                                                        groups["samenwerking"]))
    client = _client(app, users[who])
    assert client.get(f"/deelnames/beeindigen/{row.id}").status_code in (302, 403, 404)
    client.post(f"/deelnames/beeindigen/{row.id}", data={"csrf_token": csrf_token(client, "/account/twee-factor/")
                if who != "raadpleger" else ""})
    assert _rows(world.gemeente)[0].ended_on is None


def test_the_group_beheerder_reads_its_members_with_contact_but_adds_no_one(app, world, groups):
    group = groups["samenwerking"]
    make_deelname(world.gemeente, group, since=dt.date(2024, 1, 15))
    make_deelname(world.other_gemeente, group, ended_on=dt.date(2025, 1, 1))  # ended: not a member now
    make_deelname(world.gemeente, groups["community"])  # another group's list
    db.session.add(ContactPerson(organisation_id=world.gemeente.id, name="Ria Contact",
                                 email="ria@voorbeeldstad.example"))
    db.session.commit()
    beheerder = make_user("gb@regiosamen.example", GEBRUIK_BEHEERDER, group)
    client = _client(app, beheerder)
    page = client.get("/deelnemers/list/").get_data(as_text=True)
    assert "Voorbeeldstad" in page and "Ria Contact" in page and "ria@voorbeeldstad.example" in page
    assert "15-01-2024" in page  # dates dd-mm-jjjj
    assert "Andersdorp" not in page
    before = len(_rows())
    assert client.get("/deelnemers/add").status_code in (302, 403, 404, 405)
    client.post("/deelnames/add", data={"group": str(group.id),
                                        "csrf_token": csrf_token(client, "/account/twee-factor/")})
    assert len(_rows()) == before  # a samenwerking is no member of anything, of itself least


def test_another_gemeente_sees_no_member_list(app, world, groups):
    make_deelname(world.gemeente, groups["samenwerking"])
    page = _client(app, world.users["gebruik_other"]).get("/deelnemers/list/").get_data(as_text=True)
    assert "Voorbeeldstad" not in page


def test_the_group_beheerder_exports_the_member_list(app, world, groups):
    group = groups["community"]
    make_deelname(world.supplier, group, since=dt.date(2024, 2, 2))
    make_deelname(world.gemeente, groups["samenwerking"])
    beheerder = make_user("gb@community.example", GEBRUIK_BEHEERDER, group)
    [handler] = [h for h in collect_handlers(app) if h.name == "lidmaatschap-deelnemers"]
    with app.test_request_context():
        rows = list(handler.iter_rows(db.session.get(type(beheerder), beheerder.id)))
        assert rows == [{"Deelnemer": "ICT Solutions BV", "Soort": "Leverancier",
                         "Deelnemer sinds": dt.date(2024, 2, 2), "Contactpersoon": "info@ictsolutions.example"}]
        with pytest.raises(NotAllowed):
            list(handler.iter_rows(db.session.get(type(beheerder), world.users["aanbod"].id)))


def test_the_public_supplier_page_shows_deelnemer_van(app, world, groups):
    make_deelname(world.supplier, groups["community"])
    make_deelname(world.supplier, groups["other_community"], ended_on=dt.date(2025, 1, 1))
    page = app.test_client().get(f"/leveranciers/{world.supplier.id}").get_data(as_text=True)
    assert "Deelnemer van" in page and "Community Open Zaak" in page
    assert "Community Archief" not in page


def test_the_functioneel_beheerder_creates_a_samenwerking(app, world):
    client = _client(app, world.users["fb"])
    add = client.get("/organisaties/add").get_data(as_text=True)
    assert 'value="samenwerking"' in add and 'value="community"' in add
    client.post("/organisaties/add", data={"name": "Nieuwe Regio", "type": "samenwerking",
                                           "csrf_token": csrf_token(client, "/organisaties/add")})
    org = db.session.scalars(select(Organisation).filter_by(name="Nieuwe Regio")).one()
    assert (org.type, org.status) == ("samenwerking", "goedgekeurd")


def test_the_database_refuses_a_second_active_participation(app, world, groups):
    from sqlalchemy.exc import IntegrityError

    make_deelname(world.gemeente, groups["community"], ended_on=dt.date(2024, 1, 1))  # history does not count
    make_deelname(world.gemeente, groups["community"])
    with pytest.raises(IntegrityError):
        make_deelname(world.gemeente, groups["community"])
    db.session.rollback()
