"""Security headers (core.headers) and the local server's Server header (core.run)."""

from __future__ import annotations

import re
import threading
import urllib.request

from werkzeug.serving import make_server

from core.run import QuietRequestHandler

NONCE_RE = re.compile(r"'nonce-([^']+)'")


def test_inline_scripts_and_styles_carry_the_nonce_of_their_own_response(client):
    first, second = client.get("/login/"), client.get("/login/")
    nonces = []
    for resp in (first, second):
        csp = resp.headers["Content-Security-Policy"]
        nonce = NONCE_RE.search(csp).group(1)
        html = resp.get_data(as_text=True)
        tags = re.findall(r"<(?:script|style)\b[^>]*>", html)
        assert tags, "the login page has script and style elements"
        assert all(f'nonce="{nonce}"' in tag for tag in tags), [t for t in tags if nonce not in t]
        nonces.append(nonce)
    assert nonces[0] != nonces[1], "a nonce is used for one response only"


def test_the_policy_allows_only_this_site(client):
    csp = client.get("/").headers["Content-Security-Policy"]
    directives = dict(d.strip().split(" ", 1) for d in csp.split(";"))
    assert directives["default-src"] == "'self'"
    assert directives["object-src"] == "'none'"
    assert directives["frame-ancestors"] == "'none'"
    assert directives["form-action"] == "'self'"
    assert directives["base-uri"] == "'self'"
    assert "unsafe" not in directives["script-src"] and "unsafe" not in directives["style-src-elem"]


def test_api_answers_and_errors_carry_the_headers(client):
    for resp in (client.get("/api/v1/security/login"), client.post("/api/v1/security/login", json={}),
                 client.get("/bestaat-niet/")):
        assert resp.headers["X-Content-Type-Options"] == "nosniff"
        assert resp.headers["X-Frame-Options"] == "DENY"
        assert resp.headers["Referrer-Policy"] == "strict-origin-when-cross-origin"
        assert "frame-ancestors 'none'" in resp.headers["Content-Security-Policy"]


def test_hsts_only_when_the_site_is_served_over_https(make_app):
    plain = make_app()
    assert "Strict-Transport-Security" not in plain.test_client().get("/").headers
    secure = make_app(BASE_URL="https://softwarecatalogus.example")
    assert secure.test_client().get("/").headers["Strict-Transport-Security"].startswith("max-age=")


def test_the_local_server_does_not_announce_werkzeug_or_python(make_app):
    app = make_app()
    server = make_server("127.0.0.1", 0, app, request_handler=QuietRequestHandler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        with urllib.request.urlopen(f"http://127.0.0.1:{server.server_port}/login/") as resp:
            banner = resp.headers["Server"]
            assert resp.headers["X-Frame-Options"] == "DENY"
    finally:
        server.shutdown()
    assert "Werkzeug" not in banner and "Python" not in banner
