"""Test databases: a SQLite file per app, or a fresh PostgreSQL database per app.

Set SCG_TEST_DB=postgres to run the suite on the local PostgreSQL server
(TEST_PG_URL, default postgresql+psycopg://postgres@127.0.0.1:5432/postgres).
"""

from __future__ import annotations

import os
import uuid

import pytest

PG_ADMIN_URL = os.environ.get("TEST_PG_URL", "postgresql+psycopg://postgres@127.0.0.1:5432/postgres")


def backend() -> str:
    return os.environ.get("SCG_TEST_DB", "sqlite")


def postgres_available() -> str | None:
    """None when PostgreSQL answers, else the reason it does not."""
    try:
        import psycopg

        url = PG_ADMIN_URL.replace("postgresql+psycopg://", "postgresql://")
        with psycopg.connect(url, connect_timeout=3) as conn:
            conn.execute("SELECT 1")
        return None
    except Exception as exc:  # pragma: no cover - depends on the machine
        return f"PostgreSQL not reachable at {PG_ADMIN_URL}: {exc}"


class PostgresDatabases:
    """Creates throw-away databases and drops them at the end."""

    def __init__(self):
        import psycopg

        self.psycopg = psycopg
        self.admin = PG_ADMIN_URL.replace("postgresql+psycopg://", "postgresql://")
        self.created: list[str] = []

    def create(self, template: str | None = None) -> str:
        """A new database, empty or a copy of ``template`` (a URL made by ``create``)."""
        name = f"scg_test_{uuid.uuid4().hex[:12]}"
        clause = f' TEMPLATE "{template.rsplit("/", 1)[1]}"' if template else ""
        with self.psycopg.connect(self.admin, autocommit=True) as conn:
            conn.execute(f'CREATE DATABASE "{name}"{clause}')
        self.created.append(name)
        base = PG_ADMIN_URL.rsplit("/", 1)[0]
        return f"{base}/{name}"

    def recreate(self, url: str, template: str) -> None:
        """Drop the database at ``url`` and create it again as a copy of ``template``."""
        name = url.rsplit("/", 1)[1]
        with self.psycopg.connect(self.admin, autocommit=True) as conn:
            conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
            conn.execute(f'CREATE DATABASE "{name}" TEMPLATE "{template.rsplit("/", 1)[1]}"')

    def drop_all(self):
        with self.psycopg.connect(self.admin, autocommit=True) as conn:
            for name in self.created:
                conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


def require_postgres():
    reason = postgres_available()
    if reason:
        pytest.skip(reason)
