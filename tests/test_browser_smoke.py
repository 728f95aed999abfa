"""The start and login pages in a real browser: Dutch, accessible."""

import pytest

from tests.conftest import ARTIFACTS
from tests.support.browser import LiveServer, Shots, browser_page, serious_violations  # noqa: F401

pytestmark = pytest.mark.browser


def test_start_and_login_pages_are_accessible(make_app, browser_page):
    app = make_app()
    server = LiveServer(app).start()
    shots = Shots(ARTIFACTS / "start-and-login")
    try:
        page = browser_page
        page.goto(server.url + "/")
        assert page.locator("h1").inner_text() == "GEMMA Softwarecatalogus"
        shots(page, "start")
        assert serious_violations(page) == []
        page.get_by_role("link", name="Inloggen").first.click()
        page.wait_for_url("**/login/")
        shots(page, "login")
        assert serious_violations(page) == []
    finally:
        server.stop()
