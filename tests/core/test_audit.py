"""The audit log: what is recorded, who reads it, and that nobody changes it."""

from __future__ import annotations

import json

import pytest
from sqlalchemy import create_engine, text
from sqlalchemy.exc import DBAPIError

from core.extensions import db
from core.models import AuditLog, AuditLogImmutable, Organisation
from tests.support.actors import PASSWORD, World, api_token, csrf_token, login


def _rows(**filters) -> list[AuditLog]:
    db.session.expire_all()
    return db.session.query(AuditLog).filter_by(**filters).order_by(AuditLog.id).all()


def test_login_and_failed_login_are_recorded(client, world):
    user = world.users["aanbod"]
    token = csrf_token(client, "/login/")
    client.post("/login/", data={"username": user.email, "password": "Verkeerd-Wachtwoord-1", "csrf_token": token})
    failed = _rows(action="inloggen", result="mislukt")
    assert len(failed) == 1
    assert failed[0].username == user.email and failed[0].ip == "127.0.0.1" and failed[0].user_id is None
    assert "Verkeerd" not in (failed[0].details or "")  # never the password

    login(client, user)
    ok = _rows(action="inloggen", result="gelukt")
    assert len(ok) == 1
    assert (ok[0].user_id, ok[0].username, ok[0].organisation_id, ok[0].ip) == (
        user.id, user.email, world.supplier.id, "127.0.0.1")

    api_token(client, user)
    assert _rows(action="inloggen_api", result="gelukt", user_id=user.id)


def test_refused_login_is_recorded(client, world):
    world.supplier.status = "afgewezen"
    db.session.commit()
    user = world.users["aanbod"]
    token = csrf_token(client, "/login/")
    client.post("/login/", data={"username": user.email, "password": PASSWORD, "csrf_token": token})
    refused = _rows(action="inloggen", result="geweigerd")
    assert len(refused) == 1 and refused[0].user_id == user.id
    client.post("/api/v1/security/login", json={"username": user.email, "password": PASSWORD})
    refused = _rows(action="inloggen_api", result="geweigerd")
    assert len(refused) == 1 and refused[0].user_id == user.id and "afgewezen" in refused[0].details


def test_create_update_delete_are_recorded_with_who_what_and_where(client, world):
    fb = world.users["fb"]
    login(client, fb)
    token = csrf_token(client, "/organisaties/add")
    client.post("/organisaties/add", data={"name": "Gloednieuw BV", "type": "leverancier", "csrf_token": token},
                environ_base={"REMOTE_ADDR": "198.51.100.4"})
    org = db.session.query(Organisation).filter_by(name="Gloednieuw BV").one()
    created = _rows(action="aangemaakt", object_type="Organisation", object_id=str(org.id))
    assert len(created) == 1
    assert (created[0].user_id, created[0].organisation_id, created[0].ip, created[0].result) == (
        fb.id, org.id, "198.51.100.4", "gelukt")

    client.post(f"/organisaties/edit/{org.id}", data={"name": "Hernoemd BV", "csrf_token": token})
    updated = _rows(action="gewijzigd", object_type="Organisation", object_id=str(org.id))
    assert len(updated) == 1 and updated[0].user_id == fb.id
    assert json.loads(updated[0].details)["name"] == ["Gloednieuw BV", "Hernoemd BV"]

    client.post(f"/organisaties/delete/{org.id}", data={"csrf_token": token})
    deleted = _rows(action="verwijderd", object_type="Organisation", object_id=str(org.id))
    assert len(deleted) == 1 and deleted[0].user_id == fb.id


def test_a_change_by_a_supplier_is_recorded_for_its_organisation(client, world):
    user = world.users["aanbod"]
    login(client, user)
    token = csrf_token(client, f"/organisaties/edit/{world.supplier.id}")
    client.post(f"/organisaties/edit/{world.supplier.id}",
                data={"name": "ICT Solutions BV", "website": "https://ict.example", "csrf_token": token})
    row = _rows(action="gewijzigd", object_type="Organisation")[-1]
    assert (row.user_id, row.organisation_id, row.object_id) == (user.id, world.supplier.id, str(world.supplier.id))
    assert json.loads(row.details)["website"] == [None, "https://ict.example"]


def test_password_changes_are_recorded_without_the_hash(app, world):
    user = world.users["aanbod"]
    user.password = "geheime-hash"
    db.session.commit()
    row = _rows(action="gewijzigd", object_type="ScgUser", object_id=str(user.id))[-1]
    assert "geheime-hash" not in row.details and json.loads(row.details)["password"] == "(gewijzigd)"


@pytest.mark.parametrize("who,visible", [("fb", True), ("vng", False), ("aanbod", False), ("gebruik", False),
                                         (None, False)])
def test_only_the_functioneel_beheerder_reads_the_audit_log(client, world, who, visible):
    login(client, world.users["gebruik_other"])  # leaves a row with a recognisable name
    client.get("/logout/")
    if who:
        login(client, world.users[who])
    resp = client.get("/auditlog/list/")
    if visible:
        assert resp.status_code == 200 and "gb@andersdorp.example" in resp.get_data(as_text=True)
    else:
        assert resp.status_code in (302, 403)
        assert "gb@andersdorp.example" not in resp.get_data(as_text=True)
        row = _rows(action="inloggen")[0]
        assert "gb@andersdorp.example" not in client.get(f"/auditlog/show/{row.id}").get_data(as_text=True)


def test_audit_log_has_no_add_edit_or_delete(client, world):
    login(client, world.users["fb"])
    row = _rows(action="inloggen")[0]
    token = csrf_token(client, f"/organisaties/edit/{world.supplier.id}")
    for path in ("/auditlog/add", f"/auditlog/edit/{row.id}", f"/auditlog/delete/{row.id}",
                 f"/auditlog/action/x/{row.id}", "/auditlog/action_post"):
        assert client.get(path).status_code == 404, path
        assert client.post(path, data={"csrf_token": token}).status_code in (404, 405), path
    assert client.get(f"/auditlog/show/{row.id}").status_code == 200
    assert len(_rows(id=row.id)) == 1


def test_orm_refuses_to_change_or_delete_audit_rows(app, world):
    from core import audit

    audit.record(db.session, "test", details={"a": 1})
    db.session.commit()
    row = _rows(action="test")[0]
    row.action = "vervalst"
    with pytest.raises(AuditLogImmutable):
        db.session.commit()
    db.session.rollback()
    db.session.delete(_rows(action="test")[0])
    with pytest.raises(AuditLogImmutable):
        db.session.commit()
    db.session.rollback()
    assert _rows(action="test")[0].action == "test"


def test_a_rolled_back_change_leaves_no_audit_row(app, world):
    world.supplier.website = "https://teruggedraaid.example"
    db.session.flush()
    db.session.rollback()
    assert not [r for r in _rows(action="gewijzigd") if "teruggedraaid" in (r.details or "")]


@pytest.mark.postgres
def test_postgres_trigger_refuses_update_delete_and_truncate(pg_databases, make_app, monkeypatch):
    """Even with SQL past the ORM, PostgreSQL refuses to change the audit log."""
    url = pg_databases.create()
    app = make_app(SQLALCHEMY_DATABASE_URI=url)
    with app.app_context():
        World.build(app)  # logins and creates write audit rows
        from core import audit

        audit.record(db.session, "test")
        db.session.commit()
    engine = create_engine(url)
    try:
        for statement in ("UPDATE audit_log SET action = 'vervalst'", "DELETE FROM audit_log", "TRUNCATE audit_log"):
            with pytest.raises(DBAPIError, match="auditlog"):
                with engine.begin() as conn:
                    conn.execute(text(statement))
        with engine.connect() as conn:
            assert conn.execute(text("SELECT count(*) FROM audit_log WHERE action = 'test'")).scalar() == 1
    finally:
        engine.dispose()
