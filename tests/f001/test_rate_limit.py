"""Rate limits on the public forms: a Dutch 429 page, per IP address, POST only."""

from __future__ import annotations

import pytest

from tests.f001.conftest import REGISTER, VALID, counts, register
from tests.support.actors import csrf_token


@pytest.fixture
def limited(make_app):
    app = make_app(RATELIMIT_ENABLED=True, REGISTRATION_RATE_LIMIT="2 per hour")
    with app.app_context():
        yield app


def test_registration_is_limited_with_a_dutch_page(limited, mailbox):
    client = limited.test_client()
    assert register(client, kvk_number="").status_code == 200  # refused input counts too
    assert register(client).status_code == 302
    before = counts()
    resp = register(client, kvk_number="99887766", email="ander@gemeentesoft.example")
    html = resp.get_data(as_text=True)
    assert resp.status_code == 429
    assert 'lang="nl"' in html
    assert "Te veel verzoeken" in html
    assert limited.config["VNG_CONTACT_EMAIL"] in html
    assert counts() == before
    assert len(mailbox.to("ander@gemeentesoft.example")) == 0
    # Reading the form is not limited; another address is not hindered.
    assert client.get(REGISTER).status_code == 200
    other = limited.test_client()
    resp = other.post(REGISTER, data={**VALID, "kvk_number": "99887766", "email": "ander@gemeentesoft.example",
                                      "csrf_token": csrf_token(other, REGISTER)},
                      environ_base={"REMOTE_ADDR": "192.0.2.10"})
    assert resp.status_code == 302


def test_password_reset_is_limited(limited, mailbox):
    client = limited.test_client()
    for _ in range(2):
        token = csrf_token(client, "/wachtwoord-vergeten/")
        assert client.post("/wachtwoord-vergeten/", data={"email": "x@example.nl", "csrf_token": token}
                           ).status_code == 302
    token = csrf_token(client, "/wachtwoord-vergeten/")
    resp = client.post("/wachtwoord-vergeten/", data={"email": "x@example.nl", "csrf_token": token})
    assert resp.status_code == 429
    assert "Te veel verzoeken" in resp.get_data(as_text=True)


def test_no_limit_when_rate_limiting_is_off(client, app):
    for _ in range(7):
        assert register(client, kvk_number="").status_code == 200
