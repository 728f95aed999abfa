"""A sweep over every route: whatever a person sends, the answer is never a server error.

Every URL rule is requested as a visitor, a supplier and the Functioneel beheerder, with
path arguments that exist, that belong to nobody and that are not numbers, by GET and by
POST with hostile form data (with a valid CSRF token, so the form handling itself runs).
Every answer, whatever its status, also carries the security headers (core.headers).
"""

from __future__ import annotations

import re

import pytest

from tests.support.actors import CSRF_RE, login

HOSTILE = {
    "": "",
    "long": "x" * 5000,
    "script": "<script>alert(1)</script>",
    "unicode": "Zoë 🚀 \u202e ﷽",
    "nul": "a\x00b",
}
SKIP_PREFIXES = ("/static/", "/appbuilder/", "/logout", "/swagger", "/api/v1/_openapi")
ARG_RE = re.compile(r"<(?:(\w+)(?:\([^)]*\))?:)?(\w+)>")
REQUIRED_CSP = ("default-src 'self'", "object-src 'none'", "base-uri 'self'", "form-action 'self'",
                "frame-ancestors 'none'")


def _header_problems(resp) -> list[str]:
    """What is missing or too weak in the security headers of one answer."""
    problems = []
    csp = resp.headers.get("Content-Security-Policy", "")
    problems += [f"CSP without {d}" for d in REQUIRED_CSP if d not in csp]
    script_src = next((d for d in csp.split(";") if d.strip().startswith("script-src ")), "")
    if "'nonce-" not in script_src or "unsafe" in script_src:
        problems.append(f"script-src not nonce-only: {script_src.strip()!r}")
    if re.search(r"https?:|\*", csp):
        problems.append("CSP allows remote hosts")
    for name, value in (("X-Frame-Options", "DENY"), ("X-Content-Type-Options", "nosniff")):
        if resp.headers.get(name) != value:
            problems.append(f"{name}: {resp.headers.get(name)!r}")
    if resp.headers.get("Referrer-Policy") not in ("strict-origin-when-cross-origin", "same-origin"):
        problems.append(f"Referrer-Policy: {resp.headers.get('Referrer-Policy')!r}")
    return problems


def _paths(app, ids):
    for rule in app.url_map.iter_rules():
        if rule.rule.startswith(SKIP_PREFIXES):
            continue
        names = [m.group(2) for m in ARG_RE.finditer(rule.rule)]
        for value in ({"own": ids, "none": "999999", "text": "x<y>"} if names else {"-": None}).values():
            path = rule.rule
            for match in ARG_RE.finditer(rule.rule):
                path = path.replace(match.group(0), str(value), 1)
            yield rule, path


def _token(client) -> str | None:
    for path in ("/account/twee-factor/", "/aansluiten/", "/login/"):
        match = CSRF_RE.search(client.get(path).get_data(as_text=True))
        if match:
            return match.group(1)
    return None


@pytest.fixture
def app(make_app):
    """Errors are answered as in production (Dutch 500 page) instead of raised into the test."""
    app = make_app(TESTING=False, PROPAGATE_EXCEPTIONS=False)
    with app.app_context():
        yield app


@pytest.mark.parametrize("who", ["anoniem", "aanbod", "fb"])
def test_no_route_answers_with_a_server_error(app, world, who):
    client = app.test_client()
    if who != "anoniem":
        login(client, world.users[who])
    token = _token(client)
    failures = []
    for rule, path in _paths(app, world.supplier.id):
        methods = rule.methods & {"GET", "POST"}
        if "GET" in methods:
            resp = client.get(path)
            if resp.status_code >= 500:
                failures.append(f"GET {path}: {resp.status_code}")
            failures += [f"GET {path} ({resp.status_code}): {p}" for p in _header_problems(resp)]
        if "POST" in methods:
            for value in HOSTILE.values():
                data = {"csrf_token": token, "name": value, "email": value, "username": value,
                        "password": value, "code": value, "q": value, "action": value, "rowid": value,
                        "reason": value, "role_name": value, "organisation": value, "file": value}
                resp = client.post(path, data=data)
                if resp.status_code >= 500:
                    failures.append(f"POST {path} ({value[:12]!r}): {resp.status_code}")
                failures += [f"POST {path} ({resp.status_code}): {p}" for p in _header_problems(resp)]
        if who != "anoniem" and client.get("/welkom/").status_code != 200:
            login(client, world.users[who])  # a route logged us out (e.g. a deactivation): go on
            token = _token(client)
    assert failures == [], "\n".join(failures)


def test_nul_characters_are_refused_with_a_dutch_message_and_change_nothing(app, world):
    """PostgreSQL cannot store NUL; the app refuses it in forms, queries and JSON alike."""
    client = app.test_client()
    resp = client.post("/api/v1/security/login", json={"username": "jan\x00@ictsolutions.example",
                                                        "password": "x"})
    assert resp.status_code == 400 and "tekens die niet zijn toegestaan" in resp.json["message"]
    resp = client.get("/gemma/referentiecomponenten/?q=zaak%00")
    assert resp.status_code == 400 and "tekens die niet zijn toegestaan" in resp.get_data(as_text=True)
    login(client, world.users["aanbod"])
    token = _token(client)
    resp = client.post(f"/organisaties/edit/{world.supplier.id}",
                       data={"csrf_token": token, "name": "ICT\x00Solutions", "website": "", "email": "",
                             "phone": "", "description": ""})
    assert resp.status_code == 400
    from core.extensions import db
    from core.models import Organisation

    db.session.expire_all()
    assert db.session.get(Organisation, world.supplier.id).name == "ICT Solutions BV"
