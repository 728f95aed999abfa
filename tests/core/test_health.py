"""/gezond (liveness) and /ready (readiness): JSON, 200 or 503, no login, no rate limit, no caching."""

from __future__ import annotations

import pytest
from sqlalchemy import event, text
from sqlalchemy.engine import make_url

from core.extensions import db
from tests.conftest import S3_TEST_BUCKET
from tests.support.tcp_proxy import TcpProxy


def test_liveness_and_readiness_answer_json_to_anybody(app):
    client = app.test_client()
    live = client.get("/gezond")
    assert live.status_code == 200 and live.json == {"status": "ok"}
    assert live.headers["Cache-Control"] == "no-store"
    ready = client.get("/ready")
    assert ready.status_code == 200 and ready.json["status"] == "ok", ready.json
    checks = ready.json["checks"]
    assert checks["database"] == {"ok": True} and checks["migrations"] == {"ok": True}
    assert checks["storage"] == {"ok": True, "backend": "local"}
    assert ready.headers["Cache-Control"] == "no-store" and ready.mimetype == "application/json"


def test_liveness_touches_no_database(app):
    statements = []

    def count(*args):
        statements.append(args[2])

    event.listen(db.engine, "before_cursor_execute", count)
    try:
        assert app.test_client().get("/gezond").status_code == 200
        assert statements == []
        assert app.test_client().get("/ready").status_code == 200
        assert statements  # (the listener sees what /ready runs)
    finally:
        event.remove(db.engine, "before_cursor_execute", count)


def test_database_behind_the_migrations_is_not_ready(app):
    from alembic.script import ScriptDirectory

    from core.migrations import alembic_config

    script = ScriptDirectory.from_config(alembic_config(app))
    with db.engine.begin() as conn:
        versions = conn.execute(text("SELECT version_num FROM alembic_version")).scalars().all()
        core_head = next(v for v in versions if v[:1].isdigit())  # core's chain (plugins: fNNN_...)
        previous = script.get_revision(core_head).down_revision
        conn.execute(text("UPDATE alembic_version SET version_num = :previous WHERE version_num = :head"),
                     {"previous": previous, "head": core_head})
    resp = app.test_client().get("/ready")
    assert resp.status_code == 503 and resp.json["status"] == "niet gereed"
    migrations = resp.json["checks"]["migrations"]
    assert migrations["ok"] is False and migrations["missing"] == [core_head]
    assert resp.json["checks"]["database"] == {"ok": True}
    assert app.test_client().get("/gezond").status_code == 200


@pytest.mark.postgres
def test_database_that_goes_away_makes_ready_503_and_back(make_app, pg_databases, pg_template):
    url = make_url(pg_databases.create(template=pg_template))
    proxy = TcpProxy((url.host or "127.0.0.1", url.port or 5432)).start()
    try:
        app = make_app(SQLALCHEMY_DATABASE_URI=url.set(host="127.0.0.1", port=proxy.port).render_as_string(False))
        client = app.test_client()
        assert client.get("/ready").status_code == 200
        proxy.cut()  # now a URL to a closed port
        down = client.get("/ready")
        assert down.status_code == 503, down.json
        assert down.json["checks"]["database"]["ok"] is False
        assert "niet bereikbaar" in down.json["checks"]["database"]["error"]
        assert str(proxy.port) not in down.get_data(as_text=True)  # no address or credentials
        assert client.get("/gezond").status_code == 200  # the process itself is fine: no restart
        proxy.restore()
        assert client.get("/ready").status_code == 200
    finally:
        proxy.cut()


def test_configured_redis_is_checked(make_app):
    import redis

    try:
        redis.Redis(host="127.0.0.1", port=6379, socket_connect_timeout=2).ping()
    except redis.RedisError:
        pytest.skip("no Redis on 127.0.0.1:6379")
    app = make_app(REDIS_URL="redis://127.0.0.1:6379/0")
    resp = app.test_client().get("/ready")
    assert resp.status_code == 200 and resp.json["checks"]["redis:REDIS_URL"] == {"ok": True}

    broken = make_app(REDIS_URL="redis://:geheim@127.0.0.1:9/0")
    resp = broken.test_client().get("/ready")
    assert resp.status_code == 503
    assert resp.json["checks"]["redis:REDIS_URL"]["ok"] is False
    assert "geheim" not in resp.get_data(as_text=True)


def test_unusable_storage_is_not_ready(make_app, s3_server):
    app = make_app(STORAGE_BACKEND="s3", S3_BUCKET=f"{S3_TEST_BUCKET}-ontbreekt", S3_ENDPOINT_URL=s3_server,
                   S3_ACCESS_KEY_ID="test", S3_SECRET_ACCESS_KEY="test", S3_REGION="us-east-1")
    resp = app.test_client().get("/ready")
    assert resp.status_code == 503
    assert resp.json["checks"]["storage"]["ok"] is False and resp.json["checks"]["storage"]["backend"] == "s3"
    assert resp.json["checks"]["database"] == {"ok": True}


def test_checks_are_not_rate_limited(make_app):
    app = make_app(RATELIMIT_ENABLED=True, RATELIMIT_DEFAULT="3 per minute")
    client = app.test_client()
    pages = [client.get("/catalogus/").status_code for _ in range(5)]
    assert 429 in pages  # the limit applies to pages...
    assert {client.get("/gezond").status_code for _ in range(10)} == {200}  # ...not to the checks
    assert {client.get("/ready").status_code for _ in range(10)} == {200}
