"""The job queue: RQ on a real Redis (127.0.0.1:6379, skipped when absent) and in-process.

Each test uses a queue of its own, so tests running at once never take each other's jobs.
"""

from __future__ import annotations

import os
import subprocess
import sys
import uuid
from pathlib import Path

import pytest

from core import jobs, mail
from core.extensions import db
from core.models import OutboxMail
from tests.f001.conftest import VALID, confirm, post_action, register, registration
from tests.support.actors import World, login

REDIS_URL = os.environ.get("TEST_REDIS_URL", "redis://127.0.0.1:6379/0")
ROOT = Path(__file__).resolve().parents[2]
APPROVED = "Uw aanmelding bij de Softwarecatalogus is goedgekeurd"


def redis_reason() -> str | None:
    try:
        from redis import Redis

        Redis.from_url(REDIS_URL, socket_connect_timeout=2, socket_timeout=2).ping()
        return None
    except Exception as exc:  # pragma: no cover - depends on the machine
        return f"Redis not reachable at {REDIS_URL}: {exc}"


@pytest.fixture
def redis_queue():
    """A fresh queue name on the real Redis; its keys are removed afterwards."""
    reason = redis_reason()
    if reason:
        pytest.skip(reason)
    from redis import Redis

    name = f"scg-test-{uuid.uuid4().hex[:10]}"
    yield name
    connection = Redis.from_url(REDIS_URL)
    for key in connection.scan_iter(f"*{name}*"):
        connection.delete(key)


@pytest.fixture
def redis_app(make_app, redis_queue):
    return make_app(JOBS_REDIS_URL=REDIS_URL, JOBS_QUEUE=redis_queue)


# --- job functions (module level: a worker imports them by name) --------------------------------

def add_with_progress(a, b):
    jobs.progress(3, 4, "Bijna klaar")
    return a + b


def fails_always():
    raise ValueError("Dit bestand kan niet worden gelezen")


def fails_first_time(key):
    from redis import Redis

    if Redis.from_url(REDIS_URL).incr(key) == 1:
        raise ConnectionError("eerste poging mislukt")
    return "tweede poging gelukt"


def burst(app):
    """Run an RQ worker in this process until the queue is empty (burst mode, real Redis)."""
    with app.app_context():
        jobs.run_worker(app, burst=True, simple=True)


# --- Redis ---------------------------------------------------------------------------------------

def test_a_job_runs_in_the_worker_with_status_progress_and_result(redis_app):
    with redis_app.app_context():
        job_id = jobs.enqueue(add_with_progress, 2, 3)
        waiting = jobs.status(job_id)
        assert waiting.status == jobs.QUEUED and waiting.label == "Wacht op verwerking"
        burst(redis_app)
        done = jobs.status(job_id)
        assert (done.status, done.result, done.done, done.total) == (jobs.FINISHED, 5, 3, 4)
        assert done.message == "Bijna klaar"
        assert done.percent == 100
        assert jobs.status("no-such-job") is None


def test_a_failing_job_is_failed_with_its_message_and_retries_are_run(redis_app, redis_queue):
    with redis_app.app_context():
        failing = jobs.enqueue(fails_always)
        key = f"{redis_queue}:attempts"
        retried = jobs.enqueue_call(fails_first_time, (key,), retry=[0])
        burst(redis_app)
        info = jobs.status(failing)
        assert info.status == jobs.FAILED and "Dit bestand kan niet worden gelezen" in info.error
        again = jobs.status(retried)
        assert (again.status, again.result) == (jobs.FINISHED, "tweede poging gelukt")


def test_with_redis_the_request_only_queues_and_the_worker_delivers_once(redis_app, mailbox):
    with redis_app.app_context():
        world = World.build(redis_app)
        supplier = redis_app.test_client()
        register(supplier)
        assert mailbox.to(VALID["email"]) == []  # the request did not send: the mail waits for the worker
        [row] = db.session.query(OutboxMail).all()
        assert (row.status, row.attempts) == (mail.WAITING, 0)
        burst(redis_app)
        confirm(supplier, mailbox.last_to(VALID["email"]).links[0])
        burst(redis_app)
        fb = redis_app.test_client()
        login(fb, world.users["fb"])
        assert post_action(fb, registration().id, "goedkeuren").status_code == 302
        burst(redis_app)
        burst(redis_app)  # a second run (and its periodic delivery) sends nothing again
        assert len([m for m in mailbox.to(VALID["email"]) if m.subject == APPROVED]) == 1
        db.session.expire_all()
        assert {r.status for r in db.session.query(OutboxMail)} == {mail.SENT}


def test_with_redis_down_the_request_succeeds_and_the_mail_is_delivered_later(make_app, mailbox):
    app = make_app(JOBS_REDIS_URL="redis://127.0.0.1:1/0")  # nothing listens there
    with app.app_context():
        resp = register(app.test_client())
        assert resp.status_code == 302
        assert mailbox.to(VALID["email"]) == []
        result = app.test_cli_runner().invoke(args=["scg", "mail-versturen"])
        assert "Verstuurd: 1" in result.output, result.output
        assert len(mailbox.to(VALID["email"])) == 1


def test_the_worker_command_runs_a_forking_rq_worker(redis_app, redis_queue, mailbox):
    """``flask scg worker --burst`` in its own process: RQ's forking worker on real Redis and the same database."""
    with redis_app.app_context():
        mail.send("worker@example.nl", "Via de worker", "password_reset", user=None, link="http://x", hours=2)
        db.session.commit()
        database = redis_app.config["SQLALCHEMY_DATABASE_URI"]
    env = {**os.environ, "DATABASE_URL": database, "JOBS_REDIS_URL": REDIS_URL, "JOBS_QUEUE": redis_queue,
           "MAIL_SERVER": "127.0.0.1", "MAIL_PORT": str(mailbox.port),
           "SECRET_KEY": "test-secret-key-not-for-production",
           "RATELIMIT_ENABLED": "0", "LOG_LEVEL": "WARNING"}
    result = subprocess.run([sys.executable, "-m", "flask", "--app", "core.app:create_app", "scg", "worker", "--burst"],
                            cwd=ROOT, env=env, capture_output=True, text=True, timeout=180)
    assert result.returncode == 0, result.stdout + result.stderr
    assert [m.subject for m in mailbox.to("worker@example.nl")] == ["Via de worker"]


# --- without Redis ------------------------------------------------------------------------------

def test_without_redis_jobs_run_in_process_with_status(app):
    job_id = jobs.enqueue("tests.core.test_jobs.add_with_progress", 20, 22)
    info = jobs.status(job_id)
    assert (info.status, info.result, info.done, info.total) == (jobs.FINISHED, 42, 3, 4)
    failed = jobs.status(jobs.enqueue(fails_always))
    assert failed.status == jobs.FAILED and "kan niet worden gelezen" in failed.error


def test_without_redis_a_thread_runs_the_job(make_app):
    app = make_app(JOBS_INPROCESS="thread")
    with app.app_context():
        job_id = jobs.enqueue(add_with_progress, 1, 1)
        jobs.wait_local()
        assert jobs.status(job_id).result == 2


def test_a_job_must_be_a_function_a_worker_can_import(app):
    with pytest.raises(ValueError, match="moduleniveau"):
        jobs.enqueue(lambda: None)


def test_the_worker_command_without_redis_says_none_is_needed(app):
    result = app.test_cli_runner().invoke(args=["scg", "worker", "--burst"])
    assert result.exit_code != 0 and "Geen Redis ingesteld" in result.output


def test_jobs_use_the_rate_limit_redis_unless_told_otherwise():
    from config import jobs_redis_url

    assert jobs_redis_url({"RATELIMIT_STORAGE_URI": "redis://r:6379/1"}) == "redis://r:6379/1"
    assert jobs_redis_url({"RATELIMIT_STORAGE_URI": "memory://"}) == ""
    assert jobs_redis_url({"JOBS_REDIS_URL": "redis://q:6379/2", "RATELIMIT_STORAGE_URI": "redis://r/1"}) == \
        "redis://q:6379/2"


# --- the GEMMA import as a job ------------------------------------------------------------------

def test_the_gemma_import_runs_in_the_worker_and_its_page_follows_it(redis_app):
    from core.builtin.gemma import RELEASE_PATH
    from core.gemma.models import Referentiecomponent
    from tests.core.test_gemma_web import _confirm_token, _upload

    with redis_app.app_context():
        world = World.build(redis_app)
        client = redis_app.test_client()
        login(client, world.users["fb"])
        html = _upload(client, RELEASE_PATH.read_bytes()).get_data(as_text=True)
        resp = client.post("/beheer/gemma-import/bevestigen", data={"csrf_token": _confirm_token(html)})
        assert resp.status_code == 302
        page = client.get(resp.location).get_data(as_text=True)
        assert "Wacht op verwerking" in page and 'http-equiv="refresh"' in page  # the page refreshes itself
        assert db.session.query(Referentiecomponent).count() == 0
        burst(redis_app)
        page = client.get(resp.location).get_data(as_text=True)
        assert "GEMMA-release geïmporteerd" in page and 'http-equiv="refresh"' not in page
        assert db.session.query(Referentiecomponent).count() == 171
        assert client.get("/beheer/gemma-import/taak/onbekend").status_code == 404
        other = redis_app.test_client()
        login(other, world.users["aanbod"])
        assert other.get(resp.location).status_code in (302, 403)


def test_a_gemma_job_that_is_refused_tells_why(app, world, client):
    from core.builtin.gemma import import_job

    login(client, world.users["fb"])
    folder = Path(app.instance_path) / "gemma-uploads"
    folder.mkdir(parents=True, exist_ok=True)
    bad = folder / "job-kapot.xml"
    bad.write_text("<niet-archimate/>")
    job_id = jobs.enqueue(import_job, str(bad), None)
    resp = client.get(f"/beheer/gemma-import/taak/{job_id}", follow_redirects=True)
    assert "Import geweigerd, er is niets gewijzigd" in resp.get_data(as_text=True)
    assert not bad.exists()


# --- a large F007 export as a job ---------------------------------------------------------------

def test_with_a_worker_the_export_is_a_job_whose_file_only_its_owner_downloads(redis_app):
    from tests.f007.conftest import offering, sheet_rows, workbook
    from tests.f007.test_pages import XLSX, export

    with redis_app.app_context():
        world = World.build(redis_app)
        offering(world.supplier)
        client = redis_app.test_client()
        login(client, world.users["aanbod"])
        resp = export(client)
        assert resp.status_code == 302 and "/uitwisseling/export-taak/" in resp.location
        page = client.get(resp.location).get_data(as_text=True)
        assert "Wacht op verwerking" in page and 'http-equiv="refresh"' in page
        other = redis_app.test_client()
        login(other, world.users["aanbod_other"])
        assert other.get(resp.location).status_code == 404  # another user's export is not there

        burst(redis_app)
        page = client.get(resp.location).get_data(as_text=True)
        assert "Klaar" in page and "downloaden" in page and 'http-equiv="refresh"' not in page
        download = client.get(resp.location + "/bestand")
        assert download.status_code == 200 and download.mimetype == XLSX
        assert [r["Pakket Naam"] for r in sheet_rows(workbook(download.data), "Pakketten")] == ["Zaaksysteem"]
        again = client.get(resp.location + "/bestand")
        assert again.status_code == 302  # downloaded once: the file is gone
