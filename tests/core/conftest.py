"""Fixtures for the core tests: clients whose requests are isolated like in production."""

from __future__ import annotations

import pytest

from tests.support.tenancy_matrix import IsolatedClient


@pytest.fixture
def new_client(app):
    """Make another browser: each request in its own app context (no ``g`` shared)."""
    app.test_client_class = IsolatedClient
    return app.test_client


@pytest.fixture
def client(new_client):
    return new_client()
