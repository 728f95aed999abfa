"""The look on a phone (390 x 844) and a laptop (1366 x 768), for a visitor, a supplier, a municipality
and the functional administrator: no page scrolls sideways, axe-core finds nothing serious, the
navigation bar is one row wide on the laptop, and the catalogue puts its results first on a phone
with the facets behind a "Filters (N)" toggle.
(tests/core/test_static_nlds.py: the NL Design System files come from this site.)
"""

from __future__ import annotations

import re

import pytest

from tests.conftest import ARTIFACTS
from tests.support.browser import LiveServer, Shots, browser_login, serious_violations

pytestmark = pytest.mark.browser

PHONE = {"width": 390, "height": 844}
LAPTOP = {"width": 1366, "height": 768}

# what sticks out of the page (outside the boxes that scroll on their own), to say why it scrolls sideways
WIDEST = """() => { const vw = document.documentElement.clientWidth; const out = [];
  for (const el of document.querySelectorAll('body *')) { const r = el.getBoundingClientRect();
    if (r.width > 0 && r.right > vw + 1 && !(el.parentElement && el.parentElement.closest('.scg-scroll'))) {
      const cls = typeof el.className === 'string' ? el.className.trim().split(/\\s+/).join('.') : '';
      out.push([Math.round(r.right), el.tagName.toLowerCase() + (el.id ? '#' + el.id : '') + (cls ? '.' + cls : '')]);
    } }
  out.sort((a, b) => b[0] - a[0]); return out.slice(0, 5); }"""

# the top of each entry of the navigation bar (brand, menus, user menu) relative to the bar
NAV_ROWS = """() => { const bar = document.querySelector('.navbar').getBoundingClientRect();
  return [...document.querySelectorAll('.navbar-brand, #scg-navbar > ul > li')]
    .map(e => Math.round(e.getBoundingClientRect().top - bar.top)); }"""


def build(app):
    """The demo catalogue, plus the test world's supplier with a package that has a wide versions table."""
    from core.extensions import db
    from tests.f011 import factory
    from tests.support.actors import World

    world = World.build(app)
    app.extensions["scg_plugins"].hook.seed_data(app=app, demo=True)
    versie = factory.standard("Zaakgericht Werken API-standaarden", "1.5.0-rc.2")
    package = factory.package(world.supplier, "Zaakafhandelplatform Gemeentebreed", standards=[versie],
                              short_description="Zaken behandelen, van aanvraag tot archief",
                              website="https://www.ictsolutions.example/producten/zaakafhandelplatform-gemeentebreed")
    for name in ("2026.1-langetermijnondersteuning", "2026.2"):
        factory.version(package, name)
    from sqlalchemy import select

    from core.catalogue.models import Package

    demo = db.session.scalar(select(Package.public_id).filter_by(name="Zaakwijzer (demo)"))
    ids = {"package": package.id, "public_id": package.public_id, "demo_public_id": demo, "supplier": world.supplier.id,
           "emails": {role: world.users[role].email for role in ("aanbod", "gebruik", "fb")}}
    db.session.remove()
    return ids


def pages_of(actor: str, ids: dict) -> list[str]:
    public = ["/", "/catalogus/", f"/catalogus/pakketten/{ids['public_id']}", f"/leveranciers/{ids['supplier']}",
              f"/catalogus/vergelijken?p={ids['public_id']}&p={ids['demo_public_id']}", "/aanmelden/", "/login/"]
    return {
        "bezoeker": public,
        "aanbod": ["/welkom/", "/pakketten/list/", f"/pakketten/show/{ids['package']}", "/pakketstandaarden/",
                   f"/pakketstandaarden/{ids['package']}", f"/pakketten/edit/{ids['package']}",
                   f"/catalogus/pakketten/{ids['public_id']}", "/profiel/mijn"],
        "gebruik": ["/welkom/", "/gebruik/list/", "/catalogus/", f"/catalogus/pakketten/{ids['public_id']}"],
        "fb": ["/welkom/", "/organisaties/list/", f"/organisaties/edit/{ids['supplier']}", "/gebruikers/list/",
               "/beheer/rollen/", "/beheer/aanmeldingen/list/"],
    }[actor]


def check_page(page, server, path: str, shots: Shots, size: dict) -> None:
    page.set_viewport_size(size)
    response = page.goto(server.url + path)
    assert response.status == 200, path
    page.wait_for_load_state("load")
    width = page.evaluate("document.documentElement.scrollWidth")
    assert width <= size["width"], f"{path} is {width} px wide at {size['width']}: {page.evaluate(WIDEST)}"
    name = re.sub(r"[0-9a-f]{8}-[0-9a-f-]{27}", "id", path).strip("/").replace("/", "-") or "start"
    shots(page, f"{size['width']}-{name}")
    if size is LAPTOP:
        tops = page.evaluate(NAV_ROWS)
        assert max(tops) - min(tops) < 10, f"the navigation bar wraps on {path}: {tops}"
        assert page.locator(".navbar").bounding_box()["height"] < 70, path
    assert serious_violations(page) == [], f"{path} at {size['width']} px"


@pytest.mark.parametrize("actor", ["bezoeker", "aanbod", "gebruik", "fb"])
def test_every_page_fits_a_phone_and_a_laptop(make_app, browser_page, actor):
    app = make_app()
    with app.app_context():
        ids = build(app)
    server = LiveServer(app).start()
    shots = Shots(ARTIFACTS / f"look-{actor}")
    page = browser_page
    try:
        if actor != "bezoeker":
            browser_login(page, server, ids["emails"][actor])
        for path in pages_of(actor, ids):
            for size in (PHONE, LAPTOP):
                check_page(page, server, path, shots, size)
    finally:
        server.stop()


def test_catalogue_on_a_phone_shows_results_first_and_folds_the_filters(make_app, browser_page):
    app = make_app()
    with app.app_context():
        build(app)
    server = LiveServer(app).start()
    shots = Shots(ARTIFACTS / "look-catalogus-telefoon")
    page = browser_page
    try:
        page.set_viewport_size(PHONE)
        page.goto(server.url + "/catalogus/")
        toggle = page.locator("summary", has_text="Filters (0)")
        results = page.get_by_role("heading", name="5 pakketten gevonden")
        option = page.get_by_role("checkbox", name="Technisch beheer / hosting (2)")
        assert toggle.is_visible() and results.is_visible() and not option.is_visible()
        # the results start on the first screen; no facet option stands before them
        assert results.bounding_box()["y"] < PHONE["height"]
        assert page.locator(".scg-facet fieldset").first.is_hidden()
        shots(page, "gevouwen")
        assert serious_violations(page) == []

        toggle.click()
        assert option.is_visible()
        shots(page, "filters-open")
        assert serious_violations(page) == []
        option.check()
        page.get_by_role("button", name="Filters toepassen").click()
        page.wait_for_url("**dienst=technisch_beheer*")
        assert page.get_by_role("heading", name="2 pakketten gevonden").is_visible()
        assert page.locator("summary", has_text="Filters (1)").is_visible()
        assert not option.is_visible()  # folded again on the new page; the active filter shows as a chip
        remove = "Diensten aangeboden: Technisch beheer / hosting (filter verwijderen)"
        assert page.get_by_role("link", name=remove).is_visible()
        assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]
        shots(page, "gefilterd")

        # on a laptop the filters stand open beside the results
        page.set_viewport_size(LAPTOP)
        page.goto(server.url + "/catalogus/")
        assert page.get_by_role("checkbox", name="Technisch beheer / hosting (2)").is_visible()
        box_filters = page.locator(".scg-facet").bounding_box()
        box_results = page.get_by_role("heading", name="5 pakketten gevonden").bounding_box()
        assert box_filters["x"] < box_results["x"]
        shots(page, "laptop")
    finally:
        server.stop()

