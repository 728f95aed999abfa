"""The Content-Security-Policy in a real browser: the main pages break none of it.

Chromium reports every blocked script, style, image or font as a console error
("Refused to ... because it violates the following Content Security Policy directive")
and as a ``securitypolicyviolation`` event; both are collected on each page.
"""

from __future__ import annotations

import pytest

from tests.support.browser import LiveServer, browser_login

pytestmark = pytest.mark.browser

LISTEN = """() => { window.__csp = [];
  document.addEventListener('securitypolicyviolation',
    e => window.__csp.push(e.violatedDirective + ' ' + e.blockedURI)); }"""


def test_main_pages_show_no_csp_violations(make_app, browser_page):
    from core.extensions import db
    from tests.f011 import factory
    from tests.support.actors import World

    app = make_app()
    with app.app_context():
        world = World.build(app)
        package = factory.package(world.supplier, "Zaakcafé Online", short_description="Zaken online")
        public_id = package.public_id
        fb = world.users["fb"]
        fb_email = fb.email
        db.session.remove()
    server = LiveServer(app).start()
    page = browser_page
    console: list[str] = []
    page.on("console", lambda msg: console.append(f"{page.url}: {msg.text}") if msg.type == "error" else None)
    page.add_init_script(LISTEN)
    violations: list[str] = []

    def check(path: str | None = None):
        if path:
            page.goto(server.url + path)
        page.wait_for_load_state("load")
        violations.extend(f"{page.url}: {v}" for v in page.evaluate("window.__csp || []"))

    try:
        check("/login/")
        check("/")
        check("/catalogus/")
        check(f"/catalogus/pakketten/{public_id}")
        browser_login(page, server, fb_email)
        check()
        check("/organisaties/list/")
        check("/gebruikers/list/")
        assert page.locator("table").count() >= 1  # FAB's list widget, with its inline script
        check("/account/twee-factor/")
        check("/swagger/v1")
        page.locator(".swagger-ui .info").wait_for()  # Swagger UI ran
    finally:
        server.stop()
    assert violations == []
    assert [c for c in console if "Content Security Policy" in c] == []
