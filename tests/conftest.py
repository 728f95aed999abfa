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

from tests.support.databases import PostgresDatabases, backend, postgres_available  # noqa: E402
from tests.support.clients import IsolatedClient  # noqa: E402
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
    """A fresh database for one app: a copy of the migrated SQLite template, or a of the migrated PostgreSQL template if SCG_TEST_DB=postgres."""
    if backend() == "postgres":
        return request.getfixturevalue("pg_databases").create(template=request.getfixturevalue("pg_template"))
    target = tmp_path / "test.db"
    shutil.copyfile(request.getfixturevalue("sqlite_template"), target)
    return f"sqlite:///{target}"


@pytest.fixture
def make_app(database_url, smtp, tmp_path):
    """Build an app; keyword arguments override config. Each call gets the same fresh database."""
    from core.app import create_app

    def _make(plugins=(), **overrides):
        config = {
            "SQLALCHEMY_DATABASE_URI": database_url,
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
            # A fast hash: scrypt costs ~0.2 s per user and login; the method is config, not logic.
            "FAB_PASSWORD_HASH_METHOD": "pbkdf2:sha256:1000",
            # The template database already holds the permissions of the default plugins.
            "FAB_UPDATE_PERMS": bool(plugins),
        }
        if backend() == "postgres":
            # Hundreds of test apps each keep a pool; without pooling no test can exhaust
            # the server's max_connections ("too many clients already").
            config["SQLALCHEMY_ENGINE_OPTIONS"] = {"poolclass": NullPool}
        config.update(overrides)
        app = create_app(config, plugins=plugins)
        app.test_client_class = IsolatedClient
        return app

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
