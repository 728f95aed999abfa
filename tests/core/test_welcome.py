"""Core's own task on the welcome page: two-factor authentication, done or still to do."""

from __future__ import annotations

from tests.support.actors import login
from tests.support.welcome import tasks


def test_the_two_factor_task_shows_whether_it_is_on(app, world):
    without = app.test_client()
    login(without, world.users["raadpleger"])  # a raadpleger need not use two-factor
    page = without.get("/welkom/").get_data(as_text=True)
    assert tasks(page)["Beveilig uw account"] == ("Nog te doen", "Twee-factorauthenticatie staat uit")
    with_code = app.test_client()
    login(with_code, world.users["gebruik"])  # a beheerder has it on
    page = with_code.get("/welkom/").get_data(as_text=True)
    assert tasks(page)["Beveilig uw account"] == ("Gedaan", "Twee-factorauthenticatie staat aan")


def test_the_welcome_page_asks_visitors_to_log_in(client):
    resp = client.get("/welkom/")
    assert resp.status_code == 302 and "/login/" in resp.location
