"""Shared fixtures: apps on SQLite or PostgreSQL, a real SMTP server, people and organisations."""

from __future__ import annotations

import os
import shutil
import sqlite3
import tempfile
from pathlib import Path

import pytest
from sqlalchemy import event
from sqlalchemy.engine import Engine
from sqlalchemy.pool import NullPool

_INSTANCE = tempfile.mkdtemp(prefix="scg-test-instance-")
os.environ["INSTANCE_DIR"] = _INSTANCE
os.environ.setdefault("SECRET_KEY", "test-secret-key-not-for-production")

from tests.support.browser import browser_page  # noqa: E402,F401  (the Playwright page fixture, for every test)
from tests.support.clients import IsolatedClient  # noqa: E402
from tests.support.databases import PostgresDatabases, backend, postgres_available  # noqa: E402
from tests.support.mailbox import Mailbox  # noqa: E402


@event.listens_for(Engine, "connect")
def _sqlite_without_fsync(dbapi_connection, connection_record):
    """Test databases are throw-away: skip SQLite's fsync on every commit."""
    if isinstance(dbapi_connection, sqlite3.Connection):
        dbapi_connection.execute("PRAGMA synchronous=OFF")


ARTIFACTS = Path(os.environ.get("TEST_ARTIFACTS", Path(__file__).resolve().parent.parent / "test-artifacts"))


def pytest_report_header(config):
    return f"softwarecatalogus test database backend: {backend()}"


@pytest.fixture(scope="session")
def smtp():
    box = Mailbox()
    box.start()
    yield box
    box.stop()


@pytest.fixture
def mailbox(smtp):
    smtp.clear()
    return smtp


@pytest.fixture(scope="session")
def s3_server():
    """A local S3-compatible server (moto in server mode) on 127.0.0.1, for this test process."""
    from moto.server import ThreadedMotoServer

    server = ThreadedMotoServer(ip_address="127.0.0.1", port=0, verbose=False)
    server.start()
    host, port = server.get_host_and_port()
    yield f"http://{host}:{port}"
    server.stop()


S3_TEST_BUCKET = "scg-test-bestanden"


@pytest.fixture(params=["local", "s3"])
def storage_settings(request):
    """App overrides for each file-storage backend: the local folder, and a bucket on the local S3
    server, emptied before the test (the settings stay the same, so the app may be reused)."""
    if request.param == "local":
        return {"STORAGE_BACKEND": "local"}
    import boto3

    endpoint = request.getfixturevalue("s3_server")
    settings = {"STORAGE_BACKEND": "s3", "S3_BUCKET": S3_TEST_BUCKET, "S3_ENDPOINT_URL": endpoint,
                "S3_ACCESS_KEY_ID": "test", "S3_SECRET_ACCESS_KEY": "test", "S3_REGION": "us-east-1"}
    bucket = boto3.resource("s3", endpoint_url=endpoint, aws_access_key_id="test", aws_secret_access_key="test",
                            region_name="us-east-1").Bucket(S3_TEST_BUCKET)
    if bucket.creation_date is None:
        bucket.create()
    bucket.objects.all().delete()
    return settings


@pytest.fixture(scope="session")
def pg_databases():
    reason = postgres_available()
    if reason:
        pytest.skip(reason)
    dbs = PostgresDatabases()
    yield dbs
    dbs.drop_all()


@pytest.fixture(scope="session")
def sqlite_template(tmp_path_factory):
    """A SQLite database migrated and with roles synced once; each test gets a copy."""
    from core.app import create_app

    path = tmp_path_factory.mktemp("template") / "template.db"
    create_app({"SQLALCHEMY_DATABASE_URI": f"sqlite:///{path}", "SECRET_KEY": "template"})
    return path


@pytest.fixture(scope="session")
def pg_template(pg_databases):
    """A PostgreSQL database migrated and with roles synced once; each test gets a copy."""
    from core.app import create_app
    from core.extensions import db

    url = pg_databases.create()
    app = create_app({"SQLALCHEMY_DATABASE_URI": url, "SECRET_KEY": "template"})
    with app.app_context():
        db.engine.dispose()  # CREATE DATABASE ... TEMPLATE needs it without connections
    return url


@pytest.fixture
def database_url(request, tmp_path):
    """A fresh database for one app: a copy of the migrated SQLite template, or a copy of the
    migrated PostgreSQL template if SCG_TEST_DB=postgres."""
    if backend() == "postgres":
        return request.getfixturevalue("pg_databases").create(template=request.getfixturevalue("pg_template"))
    target = tmp_path / "test.db"
    shutil.copyfile(request.getfixturevalue("sqlite_template"), target)
    return f"sqlite:///{target}"


#: Apps built in this worker process, reused by later tests with the same plugins and
#: overrides. Building an app costs about a second (routes, permissions); resetting its
#: database to the template costs a few milliseconds. Key -> (app, database url, config, plugins).
_APP_CACHE: dict = {}


def _cache_key(plugins, overrides):
    if "SQLALCHEMY_DATABASE_URI" in overrides or plugins:
        # A test that brings its own database gets its own app; so does one with extra
        # plugins, whose permissions are written at start into a database the reset drops.
        return None
    try:
        key = (tuple(plugins), tuple(sorted(overrides.items())))
        hash(key)
    except TypeError:
        return None
    return key


def _reset_database(app, url, request):
    """Give a reused app's database the template's content again."""
    from core.extensions import db

    with app.app_context():
        db.session.remove()
        db.engine.dispose()
    if backend() == "postgres":
        request.getfixturevalue("pg_databases").recreate(url, template=request.getfixturevalue("pg_template"))
    else:
        shutil.copyfile(request.getfixturevalue("sqlite_template"), url.removeprefix("sqlite:///"))
    from core.catalogue import cache as catalogue_cache

    with app.app_context():
        catalogue_cache.invalidate()  # a restored database: nothing cached before it may be served


@pytest.fixture
def make_app(request, smtp, tmp_path):
    """Build an app; keyword arguments override config. Each call gets the same fresh database.

    The first app a test asks for may be one an earlier test in this worker built with the
    same plugins and overrides: its database is reset to the template and its config
    restored, so the test cannot tell. Further apps in the same test are new and share
    that database (two apps = two workers on one database).
    """
    from core.app import create_app

    state = {"url": None}

    def _config(overrides, url):
        config = {
            "SQLALCHEMY_DATABASE_URI": url,
            "SECRET_KEY": "test-secret-key-not-for-production",
            "MAIL_SERVER": "127.0.0.1",
            "MAIL_PORT": smtp.port,
            "MAIL_OUTBOX_DIR": str(tmp_path / "outbox"),
            "BASE_URL": "http://localhost",
            "RATELIMIT_ENABLED": False,
            "AUTH_RATE_LIMITED": False,
            "TESTING": True,
            "WTF_CSRF_ENABLED": True,
            "SERVER_NAME": None,
            # Real SMTP delivery to the test server (Flask-Mail suppresses it under TESTING).
            "MAIL_SUPPRESS_SEND": False,
            # Jobs (and so mail delivery) run in-process at once, right after the commit; the job
            # queue tests (tests/core/test_jobs.py) ask for Redis themselves.
            "JOBS_REDIS_URL": "",
            "JOBS_INPROCESS": "sync",
            # A fast hash: scrypt costs ~0.2 s per user and login; the method is config, not logic.
            "FAB_PASSWORD_HASH_METHOD": "pbkdf2:sha256:1000",
            # The catalogue cache (facets, anonymous pages) is tested in tests/f011/test_catalogue_cache.py;
            # elsewhere every request runs its SQL (statement counts). SCG_TEST_CATALOGUE_CACHE=1 turns it on.
            "CATALOGUE_CACHE": os.environ.get("SCG_TEST_CATALOGUE_CACHE") == "1",
        }
        if backend() == "postgres":
            # Hundreds of test apps each keep a pool; without pooling no test can exhaust
            # the server's max_connections ("too many clients already").
            config["SQLALCHEMY_ENGINE_OPTIONS"] = {"poolclass": NullPool}
        config.update(overrides)
        return config

    def _build(plugins, overrides, url):
        # The template database already holds the permissions of the default plugins.
        overrides = {"FAB_UPDATE_PERMS": bool(plugins), **overrides}
        app = create_app(_config(overrides, url), plugins=plugins)
        app.test_client_class = IsolatedClient
        return app

    def _make(plugins=(), **overrides):
        key = _cache_key(plugins, overrides)
        if state["url"] is None and key is not None:
            cached = _APP_CACHE.get(key)
            if cached is not None:
                app, url, config, plugins_at_start = cached
                _reset_database(app, url, request)
                app.config.clear()
                app.config.update(config)
                pm = app.extensions["scg_plugins"]
                for plugin in pm.get_plugins() - plugins_at_start:
                    pm.unregister(plugin)  # listeners an earlier test registered
                app.config["MAIL_OUTBOX_DIR"] = str(tmp_path / "outbox")
                limiter = getattr(app.appbuilder.sm, "limiter", None)
                if limiter is not None and getattr(limiter, "_storage", None) is not None:
                    limiter.reset()  # no rate-limit counts from an earlier test
            else:
                url = request.getfixturevalue("database_url")
                app = _build(plugins, overrides, url)
                _APP_CACHE[key] = (app, url, dict(app.config), set(app.extensions["scg_plugins"].get_plugins()))
            state["url"] = url
            return app
        if state["url"] is None and "SQLALCHEMY_DATABASE_URI" not in overrides:
            state["url"] = request.getfixturevalue("database_url")
        return _build(plugins, overrides, overrides.get("SQLALCHEMY_DATABASE_URI") or state["url"])

    return _make


@pytest.fixture
def app(make_app):
    app = make_app()
    with app.app_context():
        yield app


@pytest.fixture
def client(app):
    return app.test_client()


@pytest.fixture
def world(app):
    """Organisations and people for most tests (see tests/support/actors.py)."""
    from tests.support.actors import World

    return World.build(app)
