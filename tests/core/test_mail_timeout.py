"""A mail server that accepts the connection and never answers does not hold the request."""

from __future__ import annotations

import socket
import threading

from tests.f001.conftest import REGISTER, VALID, register

DEADLINE = 20  # seconds the silent server waits for the app to give up (MAIL_TIMEOUT is 1 here)


class SilentSmtp:
    """Accepts one connection, says nothing, and records whether the client gave up first."""

    def __init__(self):
        self.sock = socket.socket()
        self.sock.bind(("127.0.0.1", 0))
        self.sock.listen(1)
        self.port = self.sock.getsockname()[1]
        self.client_gave_up = None
        self.thread = threading.Thread(target=self._serve, daemon=True)
        self.thread.start()

    def _serve(self):
        conn, _ = self.sock.accept()
        conn.settimeout(DEADLINE)
        try:
            self.client_gave_up = conn.recv(1024) == b""  # the app closed the connection
        except socket.timeout:
            self.client_gave_up = False
        finally:
            conn.close()
            self.sock.close()


def test_registration_with_a_silent_mail_server_is_kept_and_answers(make_app):
    silent = SilentSmtp()
    app = make_app(MAIL_SERVER="127.0.0.1", MAIL_PORT=silent.port, MAIL_TIMEOUT=1)
    with app.app_context():
        client = app.test_client()
        client.get(REGISTER)
        resp = register(client)
        assert resp.status_code == 302, resp.get_data(as_text=True)[:500]
        silent.thread.join(DEADLINE + 5)
        assert silent.client_gave_up is True, "the app waited for the mail server until it hung up"
        from core.extensions import db
        from core.models import Organisation

        assert db.session.query(Organisation).filter_by(kvk_number=VALID["kvk_number"]).count() == 1
