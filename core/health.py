"""Health and readiness for orchestrators and load balancers: ``/gezond`` and ``/ready``.

- ``/gezond`` (liveness): the process answers. It touches no database or other service, so a
  database outage does not make the orchestrator restart healthy app processes.
- ``/ready`` (readiness): this process can serve users now: the database answers, its
  migrations are at the heads this app knows, every Redis the config names (any setting
  whose value is a ``redis://`` or ``rediss://`` URL: rate limits, cache, job queue) answers
  a PING, and the file storage (``core.storage``) can be used.

Both answer JSON with 200 or 503, need no login, are exempt from rate limits and carry
``Cache-Control: no-store`` (no page cache or proxy keeps them). Failures name the check and
the kind of error, never a URL or password.
"""

from __future__ import annotations

import time

from flask import Blueprint, current_app, jsonify
from sqlalchemy import text

CHECK_TIMEOUT = 3  # seconds per Redis check

blueprint = Blueprint("scg_health", __name__)


def _answer(body: dict, ok: bool):
    response = jsonify(body)
    response.status_code = 200 if ok else 503
    response.headers["Cache-Control"] = "no-store"
    return response


@blueprint.get("/gezond")
def liveness():
    return _answer({"status": "ok"}, True)


def _heads(app) -> set[str]:
    """The migration heads of this app (core's chain and its plugins' branches), read once."""
    heads = app.extensions.get("scg_migration_heads")
    if heads is None:
        from alembic.script import ScriptDirectory

        from core.migrations import alembic_config

        heads = set(ScriptDirectory.from_config(alembic_config(app)).get_heads())
        app.extensions["scg_migration_heads"] = heads
    return heads


def _database_checks() -> dict:
    from core.extensions import db
    from core.migrations import database_revisions

    try:
        with db.engine.connect() as connection:
            connection.execute(text("SELECT 1"))
            revisions = database_revisions(connection)
    except Exception as exc:  # any driver error: the database cannot be used now
        failed = {"ok": False, "error": f"database niet bereikbaar ({type(exc).__name__})"}
        return {"database": failed, "migrations": {"ok": False, "error": "database niet bereikbaar"}}
    heads = _heads(current_app)
    if revisions == heads:
        migrations = {"ok": True}
    else:
        migrations = {"ok": False, "error": "database niet op de laatste migratie",
                      "missing": sorted(heads - revisions), "unknown": sorted(revisions - heads)}
    return {"database": {"ok": True}, "migrations": migrations}


def redis_settings(config) -> dict[str, str]:
    """Setting name -> URL for every setting whose value is a Redis URL (one check per URL)."""
    found: dict[str, str] = {}
    for name, value in config.items():
        if isinstance(value, str) and value.startswith(("redis://", "rediss://")) and value not in found.values():
            found[name] = value
    return dict(sorted(found.items()))


def _redis_check(url: str) -> dict:
    import redis

    try:
        client = redis.Redis.from_url(url, socket_connect_timeout=CHECK_TIMEOUT, socket_timeout=CHECK_TIMEOUT)
        try:
            client.ping()
        finally:
            client.close()
    except Exception as exc:
        return {"ok": False, "error": f"redis niet bereikbaar ({type(exc).__name__})"}
    return {"ok": True}


def _storage_check() -> dict:
    from core.storage import get_storage

    try:
        storage = get_storage()
        problem = storage.check()
    except Exception as exc:
        return {"ok": False, "error": f"opslag niet bruikbaar ({type(exc).__name__}: {exc})"[:300]}
    result = {"ok": problem is None, "backend": storage.name}
    if problem:
        result["error"] = problem
    return result


@blueprint.get("/ready")
def readiness():
    started = time.perf_counter()
    checks = _database_checks()
    for name, url in redis_settings(current_app.config).items():
        checks[f"redis:{name}"] = _redis_check(url)
    checks["storage"] = _storage_check()
    ok = all(check["ok"] for check in checks.values())
    body = {"status": "ok" if ok else "niet gereed", "checks": checks,
            "duration_ms": round((time.perf_counter() - started) * 1000, 1)}
    return _answer(body, ok)


#: Paths of the checks (the request log of core.logs leaves them out: they come every few seconds).
PATHS = ("/gezond", "/ready")


def install(app, appbuilder) -> None:
    """Register the endpoints; no rate limit applies to them."""
    app.register_blueprint(blueprint)
    limiter = getattr(appbuilder.sm, "limiter", None)
    if limiter is not None:
        limiter.exempt(blueprint)
