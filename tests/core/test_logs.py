"""Logs: a request id per request (taken from X-Request-ID when safe), JSON lines with LOG_FORMAT=json,
readable plain lines by default without FAB's INFO chatter."""

from __future__ import annotations

import json
import logging
import os
import shutil
import subprocess
import sys
import uuid
from pathlib import Path

import pytest

from core import logs
from tests.support.actors import login

ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture
def json_logs():
    """Undo the process-wide JSON handler after the test."""
    yield
    root = logging.getLogger()
    for handler in [h for h in root.handlers if getattr(h, "scg_handler", False)]:
        root.removeHandler(handler)


def _json_lines(text: str) -> list[dict]:
    return [json.loads(line) for line in text.splitlines() if line.strip()]


@pytest.mark.parametrize("sent,kept", [
    ("abc-123_DEF.4", True),
    ("a" * 64, True),
    ("a" * 65, False),
    ("<script>alert(1)</script>", False),
    ("id met spaties", False),
    ("", False),
])
def test_request_id_is_taken_when_safe_else_generated(app, sent, kept):
    resp = app.test_client().get("/gezond", headers={"X-Request-ID": sent})
    got = resp.headers["X-Request-ID"]
    if kept:
        assert got == sent
    else:
        assert got != sent and len(got) == 32 and int(got, 16) >= 0


def test_every_request_gets_its_own_id(app):
    client = app.test_client()
    ids = {client.get("/catalogus/").headers["X-Request-ID"] for _ in range(3)}
    assert len(ids) == 3


def test_json_request_line_with_id_status_duration_and_user_id_not_email(make_app, world_users, capsys,
                                                                        json_logs):
    app, world = world_users(LOG_FORMAT="json")
    client = app.test_client()
    login(client, world.users["aanbod"])
    capsys.readouterr()
    resp = client.get("/catalogus/", headers={"X-Request-ID": "proxy-id-1"})
    assert resp.status_code == 200 and resp.headers["X-Request-ID"] == "proxy-id-1"
    client.get("/gezond")  # health checks stay out of the log
    lines = _json_lines(capsys.readouterr().err)
    [line] = [entry for entry in lines if entry["logger"] == logs.REQUEST_LOGGER]
    user = world.users["aanbod"]
    assert line["request_id"] == "proxy-id-1" and line["method"] == "GET" and line["path"] == "/catalogus/"
    assert line["status"] == 200 and isinstance(line["duration_ms"], float) and line["user_id"] == user.id
    assert line["level"] == "INFO" and line["time"].endswith("+00:00")
    assert user.email not in json.dumps(lines)
    anonymous = app.test_client()
    anonymous.get("/bestaat-niet")
    [line] = [e for e in _json_lines(capsys.readouterr().err) if e["logger"] == logs.REQUEST_LOGGER]
    assert line["status"] == 404 and "user_id" not in line and len(line["request_id"]) == 32


def test_json_error_is_one_line_with_the_request_id_and_the_traceback(make_app, capsys, json_logs):
    app = make_app(LOG_FORMAT="json", PROPAGATE_EXCEPTIONS=False, SCG_TEST_KEY=uuid.uuid4().hex)

    def broken():
        raise RuntimeError("kapot in de test")

    app.add_url_rule("/test-kapot", "test_kapot", broken)
    capsys.readouterr()
    resp = app.test_client().get("/test-kapot", headers={"X-Request-ID": "fout-1"})
    assert resp.status_code == 500
    err = capsys.readouterr().err
    lines = _json_lines(err)  # every line is a JSON object, the traceback inside one of them
    [error] = [e for e in lines if e["level"] == "ERROR"]
    assert error["request_id"] == "fout-1" and error["path"] == "/test-kapot"
    assert "RuntimeError: kapot in de test" in error["exception"]
    assert [e["status"] for e in lines if e["logger"] == logs.REQUEST_LOGGER] == [500]


@pytest.fixture
def world_users(make_app):
    def build(**overrides):
        from tests.support.actors import World

        app = make_app(**overrides)
        ctx = app.app_context()
        ctx.push()
        request_cleanup.append(ctx)
        return app, World.build(app)

    request_cleanup: list = []
    yield build
    for ctx in request_cleanup:
        ctx.pop()


SCRIPT = """
from core.app import create_app
app = create_app({"TESTING": True})
client = app.test_client()
for path in ("/", "/catalogus/", "/gezond", "/ready", "/bestaat-niet"):
    client.get(path, headers={"X-Request-ID": "sub-1"})
"""


def _run(tmp_path, sqlite_template, **env):
    db = tmp_path / "scg.db"
    shutil.copyfile(sqlite_template, db)
    environ = {k: v for k, v in os.environ.items() if not k.startswith(("LOG_", "SCG_"))}
    environ.update(INSTANCE_DIR=str(tmp_path / "instance"), DATABASE_URL=f"sqlite:///{db}", SECRET_KEY="x",
                   RATELIMIT_ENABLED="0", FAB_UPDATE_PERMS="1", **env)
    done = subprocess.run([sys.executable, "-c", SCRIPT], cwd=ROOT, env=environ, capture_output=True, text=True,
                          timeout=120)
    assert done.returncode == 0, done.stderr[-3000:]
    return done.stderr


def test_plain_default_is_readable_and_quiet(tmp_path, sqlite_template):
    err = _run(tmp_path, sqlite_template)
    lines = [line for line in err.splitlines() if line.strip()]
    assert not [line for line in lines if " INFO " in line or line.startswith("INFO")], lines[:5]
    assert not [line for line in lines if line.startswith("{")]
    assert len(lines) <= 5, lines  # a start without a wall of lines (FAB may warn once: no user yet)


def test_json_format_writes_only_json_lines_also_for_libraries(tmp_path, sqlite_template):
    err = _run(tmp_path, sqlite_template, LOG_FORMAT="json", LOG_LEVEL="INFO")
    lines = _json_lines(err)  # json.loads fails on any line that is not one JSON object
    assert {"flask_appbuilder", logs.REQUEST_LOGGER} <= {e["logger"].split(".")[0] if e["logger"].startswith(
        "flask_appbuilder") else e["logger"] for e in lines}
    requests = [e for e in lines if e["logger"] == logs.REQUEST_LOGGER]
    assert [e["path"] for e in requests] == ["/", "/catalogus/", "/bestaat-niet"]  # not the health checks
    assert {e["request_id"] for e in requests} == {"sub-1"}
