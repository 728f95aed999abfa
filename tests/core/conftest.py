"""Fixtures for the core tests."""

from __future__ import annotations

import pytest


@pytest.fixture
def new_client(app):
    """Make another browser (each request in its own app context, see tests/support/clients.py)."""
    return app.test_client
