"""Login rate limiting, on the login form (every step) and on the API login."""

from __future__ import annotations

from tests.support.actors import PASSWORD, World, csrf_token

LIMITED = {"RATELIMIT_ENABLED": True, "AUTH_RATE_LIMITED": True, "AUTH_RATE_LIMIT": "3 per minute"}


def _app_with_people(make_app, **config):
    app = make_app(**config)
    with app.app_context():
        world = World.build(app)
        people = {k: (u.email, u.id) for k, u in world.users.items()}
    return app, people


def _browser_attempt(client, email, password):
    token = csrf_token(client, "/login/")
    return client.post("/login/", data={"username": email, "password": password, "csrf_token": token})


def test_login_form_is_limited(make_app):
    app, people = _app_with_people(make_app, **LIMITED)
    email = people["aanbod"][0]
    client = app.test_client()
    for _ in range(3):
        assert _browser_attempt(client, email, "fout-wachtwoord").status_code == 200
    resp = _browser_attempt(client, email, PASSWORD)  # even the right password: blocked now
    assert resp.status_code == 429
    assert client.get("/welkom/").status_code == 302
    # another address is not blocked by this one
    other = app.test_client()
    other.environ_base["REMOTE_ADDR"] = "192.0.2.7"
    assert _browser_attempt(other, email, PASSWORD).status_code == 302


def test_api_login_is_limited(make_app):
    app, people = _app_with_people(make_app, **LIMITED)
    email = people["aanbod"][0]
    client = app.test_client()
    for _ in range(3):
        resp = client.post("/api/v1/security/login", json={"username": email, "password": "fout"})
        assert resp.status_code == 401
    resp = client.post("/api/v1/security/login", json={"username": email, "password": PASSWORD})
    assert resp.status_code == 429
    assert "access_token" not in resp.get_data(as_text=True)


def test_no_limit_when_rate_limiting_is_off(make_app):
    app, people = _app_with_people(make_app, RATELIMIT_ENABLED=False, AUTH_RATE_LIMITED=True,
                                   AUTH_RATE_LIMIT="3 per minute")
    email = people["aanbod"][0]
    client = app.test_client()
    for _ in range(5):
        assert _browser_attempt(client, email, "fout-wachtwoord").status_code == 200
        assert client.post("/api/v1/security/login", json={"username": email, "password": "x"}).status_code == 401
    assert _browser_attempt(client, email, PASSWORD).status_code == 302


def test_code_step_is_limited_too(make_app):
    """Guessing the six digits after a stolen password runs into the same limit."""
    import pyotp

    app, people = _app_with_people(make_app, **LIMITED)
    with app.app_context():
        from core.extensions import db
        from core.models import ScgUser

        secret = db.session.get(ScgUser, people["fb"][1]).totp_secret
    client = app.test_client()
    resp = _browser_attempt(client, people["fb"][0], PASSWORD)
    assert resp.status_code == 302 and resp.location.endswith("/login/code/")
    token = csrf_token(client, "/login/code/")
    statuses = [client.post("/login/code/", data={"code": "000000", "csrf_token": token}).status_code
                for _ in range(3)]
    assert statuses == [200, 200, 200]
    resp = client.post("/login/code/", data={"code": pyotp.TOTP(secret).now(), "csrf_token": token})
    assert resp.status_code == 429
    assert client.get("/welkom/").status_code == 302


def test_behind_a_proxy_each_client_is_limited_by_its_own_address(make_app):
    """PROXY_FIX=1: the address the proxy forwards counts, so one client cannot lock out everyone."""
    app, people = _app_with_people(make_app, PROXY_FIX=1, **LIMITED)
    email = people["aanbod"][0]
    attacker, user = app.test_client(), app.test_client()
    for client, address in ((attacker, "203.0.113.9"), (user, "198.51.100.4")):
        client.environ_base.update(REMOTE_ADDR="10.0.0.2", HTTP_X_FORWARDED_FOR=address)  # both via the proxy
    for _ in range(3):
        assert _browser_attempt(attacker, email, "fout-wachtwoord").status_code == 200
    assert _browser_attempt(attacker, email, PASSWORD).status_code == 429
    assert _browser_attempt(user, email, PASSWORD).status_code == 302


def test_without_proxy_fix_a_forged_forwarded_header_changes_nothing(make_app):
    """No trusted proxy: X-Forwarded-For is the client's own claim and is ignored."""
    app, people = _app_with_people(make_app, **LIMITED)
    email = people["aanbod"][0]
    client = app.test_client()
    for attempt in range(3):
        client.environ_base["HTTP_X_FORWARDED_FOR"] = f"203.0.113.{attempt}"
        assert _browser_attempt(client, email, "fout-wachtwoord").status_code == 200
    client.environ_base["HTTP_X_FORWARDED_FOR"] = "203.0.113.200"
    assert _browser_attempt(client, email, PASSWORD).status_code == 429


def test_proxy_fix_is_read_from_the_environment_as_a_count_or_yes(tmp_path):
    from config import from_env, proxy_count

    env = {"INSTANCE_DIR": str(tmp_path), "SECRET_KEY": "x"}
    assert from_env(env)["PROXY_FIX"] == 0
    assert from_env({**env, "PROXY_FIX": "1"})["PROXY_FIX"] == 1
    assert [proxy_count(v) for v in (None, "", "0", "nee", "1", "true", "ja", "2")] == [0, 0, 0, 0, 1, 1, 1, 2]
