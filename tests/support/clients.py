"""The test client every test app uses."""

from __future__ import annotations

from flask.testing import FlaskClient


class IsolatedClient(FlaskClient):
    """A test client whose every request runs in its own app context, as in production.

    Flask reuses an app context that a test pushed, and with it ``g`` (where
    Flask-Login caches the current user and Flask-WTF the CSRF token): without
    this, one client's login would leak into the next client's request.
    """

    def open(self, *args, **kwargs):
        with self.application.app_context():
            return super().open(*args, **kwargs)
