"""Session cookie settings and a fresh session at login."""

from __future__ import annotations

from tests.support.actors import PASSWORD, World, csrf_token, login, unused_code


def _session_cookie_header(resp) -> str:
    cookies = [h for h in resp.headers.getlist("Set-Cookie") if h.startswith("session=")]
    assert cookies, "no session cookie set"
    return cookies[-1]


def test_session_cookie_is_httponly_and_samesite_lax(client, world):
    resp = login(client, world.users["aanbod"])
    header = _session_cookie_header(resp)
    assert "HttpOnly" in header
    assert "SameSite=Lax" in header
    assert "Secure" not in header  # BASE_URL is http in tests


def test_session_cookie_is_secure_when_base_url_is_https(make_app):
    app = make_app(BASE_URL="https://softwarecatalogus.example")
    assert app.config["SESSION_COOKIE_SECURE"] is True
    with app.app_context():
        world = World.build(app)
        client = app.test_client()
        client.environ_base["wsgi.url_scheme"] = "https"
        header = _session_cookie_header(login(client, world.users["aanbod"]))
    assert "Secure" in header and "HttpOnly" in header


def test_login_starts_a_new_session(client, world):
    """What was in the session before login (e.g. planted by an attacker) is gone after it."""
    token_before = csrf_token(client, "/login/")
    with client.session_transaction() as sess:
        sess["geplant"] = "door een aanvaller"
        raw_before = sess["csrf_token"]
    user = world.users["aanbod"]
    resp = client.post("/login/", data={"username": user.email, "password": PASSWORD, "csrf_token": token_before})
    assert resp.status_code == 302 and resp.location.endswith("/login/code/")  # a beheerder: two-factor
    resp = client.post("/login/code/", data={"code": unused_code(client, user), "csrf_token": token_before})
    assert resp.status_code == 302 and resp.location.endswith("/welkom/")
    with client.session_transaction() as sess:
        assert "geplant" not in sess
        assert sess.get("csrf_token") != raw_before
        assert sess.get("_user_id") == str(user.id)
    # a CSRF token known before login is worthless after it
    resp = client.post(f"/organisaties/edit/{world.supplier.id}", data={"name": "Gekaapt BV",
                                                                       "csrf_token": token_before})
    assert resp.status_code == 400


def test_logout_ends_the_session(client, world):
    login(client, world.users["aanbod"])
    assert client.get("/welkom/").status_code == 200
    client.get("/logout/")
    assert client.get("/welkom/").status_code == 302
