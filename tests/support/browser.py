"""A live server and the system's Chromium driven by Playwright, for end-to-end journeys.

Browser tests skip with the reason when Chromium or Playwright is missing.
Screenshots go to ``$TEST_ARTIFACTS/<test name>/NN-step.png``.
"""

from __future__ import annotations

import os
import re
import shutil
import threading
from pathlib import Path

import pytest
from werkzeug.serving import make_server

CHROMIUM = os.environ.get("CHROMIUM_PATH", "/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--headless=new", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
    "--disable-background-networking", "--disable-component-update", "--disable-sync",
    "--disable-dev-shm-usage",
]


def browser_unavailable() -> str | None:
    if not (Path(CHROMIUM).exists() or shutil.which(CHROMIUM)):
        return f"Chromium not found at {CHROMIUM} (apt-get install chromium)"
    try:
        import playwright.sync_api  # noqa: F401
    except ImportError:
        return "playwright is not installed (pip install -e '.[test]')"
    return None


class LiveServer:
    def __init__(self, app):
        self.app = app
        self.server = make_server("127.0.0.1", 0, app, threaded=True)
        self.port = self.server.server_port
        self.url = f"http://127.0.0.1:{self.port}"
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)

    def start(self):
        self.thread.start()
        return self

    def stop(self):
        self.server.shutdown()


class Shots:
    """Numbered screenshots of one journey."""

    def __init__(self, folder: Path):
        self.folder = folder
        self.folder.mkdir(parents=True, exist_ok=True)
        self.n = 0

    def __call__(self, page, name: str) -> Path:
        self.n += 1
        path = self.folder / f"{self.n:02d}-{re.sub(r'[^a-z0-9]+', '-', name.lower()).strip('-')}.png"
        page.screenshot(path=str(path), full_page=True)
        return path


def serious_violations(page) -> list[str]:
    """axe-core violations of impact serious or critical on the current page."""
    from axe_playwright_python.sync_playwright import Axe

    results = Axe().run(page)
    found = []
    for v in results.response.get("violations", []):
        if v.get("impact") in ("serious", "critical"):
            targets = [n.get("target") for n in v.get("nodes", [])][:5]
            found.append(f"{v['id']} ({v['impact']}): {v.get('help')} at {targets}")
    return found


@pytest.fixture
def browser_page():
    reason = browser_unavailable()
    if reason:
        pytest.skip(reason)
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        context = browser.new_context(locale="nl-NL", viewport={"width": 1280, "height": 900})
        page = context.new_page()
        page.set_default_timeout(15000)
        yield page
        context.close()
        browser.close()


def browser_login(page, server: "LiveServer", email: str, password: str | None = None,
                  expect: str = "**/welkom/") -> None:
    """Log in through the login form, and the code step when the account has two-factor.

    The code comes from the account's secret in the server's database (as an authenticator
    app would make it); the record of the last used code is cleared first, so the same
    person can log in twice within 30 seconds (see ``actors.unused_code``).
    """
    import pyotp
    from sqlalchemy import update

    from core.extensions import db
    from core.models import ScgUser
    from tests.support.actors import PASSWORD

    page.goto(server.url + "/login/")
    page.get_by_label("E-mailadres of gebruikersnaam").fill(email)
    page.get_by_label("Wachtwoord").fill(password or PASSWORD)
    page.get_by_role("button", name="Inloggen").click()
    page.wait_for_load_state("load")
    if "/login/code/" in page.url:
        with server.app.app_context():
            db.session.execute(update(ScgUser.__table__).where(ScgUser.__table__.c.email == email.lower())
                               .values(totp_last_step=None))
            db.session.commit()
            secret = db.session.query(ScgUser.totp_secret).filter(ScgUser.email == email.lower()).scalar()
            db.session.remove()
        page.get_by_label("Code uit uw authenticator-app").fill(pyotp.TOTP(secret).now())
        page.get_by_role("button", name="Bevestigen").click()
    page.wait_for_url(expect)


def enrol_two_factor(page) -> str:
    """On a two-factor set-up page: scan (read) the key, enter its code, pass the recovery codes.

    Returns the key, as the person's authenticator app would now hold it.
    """
    import pyotp

    secret = page.locator("#totp-secret").inner_text().strip()
    page.get_by_label("Code uit uw authenticator-app").fill(pyotp.TOTP(secret).now())
    page.locator("main form button[type=submit]").last.click()
    page.get_by_role("heading", name="Uw herstelcodes").wait_for()
    assert page.locator("#herstelcodes li").count() == 10
    page.get_by_role("link", name="Ik heb de codes bewaard").click()
    return secret
