"""The catalogue cache (facet counts and anonymous public pages), in-process and in Redis.

What a visitor would notice: a change shows on the very next request (publish, unpublish, a
usage added, a supplier renamed), a logged-in person never gets or leaves a cached page, and
nobody sees a page rendered for somebody else. Each test runs with the in-process store and
with a real Redis (127.0.0.1:6379; skipped with the reason when none runs).
"""

from __future__ import annotations

import re

import pytest
from sqlalchemy import event

from core.extensions import db
from tests.f011 import factory as f
from tests.f011.conftest import facet, results
from tests.support.actors import World, login

REDIS_URL = "redis://127.0.0.1:6379/0"
NONCE_RE = re.compile(r'nonce="([^"]+)"')


def redis_unavailable() -> str | None:
    try:
        import redis

        redis.Redis.from_url(REDIS_URL, socket_connect_timeout=0.5).ping()
    except Exception as exc:  # noqa: BLE001 - any failure means: no Redis here
        return f"no Redis on 127.0.0.1:6379 ({exc.__class__.__name__})"
    return None


@pytest.fixture(params=["in-process", "redis"])
def capp(request, make_app):
    overrides = {"CATALOGUE_CACHE": True}
    if request.param == "redis":
        reason = redis_unavailable()
        if reason:
            pytest.skip(reason)
        overrides["CACHE_REDIS_URL"] = REDIS_URL
    app = make_app(**overrides)
    with app.app_context():
        yield app


@pytest.fixture
def cworld(capp):
    return World.build(capp)


@pytest.fixture
def cshop(capp, cworld):
    zaak = f.rc("Zaakafhandelcomponent")
    a = f.package(cworld.supplier, "e-Suite", rcs=[zaak], cloud_models="saas", licence_type="proprietary")
    b = f.package(cworld.other_supplier, "Archiefkast", rcs=[zaak], cloud_models="paas",
                  licence_type="open_source")
    f.usage(cworld.gemeente, a)
    return a, b, zaak


def statements(client, url: str) -> tuple[int, object]:
    found = []

    def before(conn, cursor, statement, *args):
        found.append(statement)

    event.listen(db.engine, "before_cursor_execute", before)
    try:
        resp = client.get(url)
    finally:
        event.remove(db.engine, "before_cursor_execute", before)
    return len(found), resp


def package_url(pkg) -> str:
    return f"/catalogus/pakketten/{pkg.public_id}"


def municipalities(page: str) -> int:
    return int(re.search(r"<strong>(\d+)</strong> gemeente", page).group(1))


def test_a_second_anonymous_request_is_a_hit_without_sql_and_with_a_fresh_nonce(capp, cshop):
    a, _b, _ = cshop
    client = capp.test_client()
    first = client.get(package_url(a))
    assert first.headers["X-Cache"] == "miss"
    found = []

    def before(conn, cursor, statement, *args):
        found.append(statement)

    event.listen(db.engine, "before_cursor_execute", before)
    try:
        second = client.get(package_url(a))
    finally:
        event.remove(db.engine, "before_cursor_execute", before)
    assert second.headers["X-Cache"] == "hit"
    # nothing for the page itself: only the view is counted (F006's daily rows)
    assert all("f006_view" in statement for statement in found), found
    body1, body2 = first.get_data(as_text=True), second.get_data(as_text=True)
    nonces1, nonces2 = set(NONCE_RE.findall(body1)), set(NONCE_RE.findall(body2))
    assert len(nonces1) == len(nonces2) == 1 and nonces1 != nonces2  # a fresh nonce per response
    (nonce,) = nonces2
    assert f"'nonce-{nonce}'" in second.headers["Content-Security-Policy"]  # header and body agree
    assert NONCE_RE.sub("", body1) == NONCE_RE.sub("", body2)
    assert "Set-Cookie" not in second.headers


def test_changes_show_at_once(capp, cworld, cshop):
    a, b, zaak = cshop
    client = capp.test_client()
    search = f"/catalogus/?rc={zaak.id}"
    assert results(client.get(search).get_data(as_text=True)) == ["Archiefkast", "e-Suite"]
    assert municipalities(client.get(package_url(a)).get_data(as_text=True)) == 1
    assert client.get(package_url(a)).headers["X-Cache"] == "hit"
    assert client.get(search).headers["X-Cache"] == "hit"

    # a usage added: the package page counts it
    f.usage(cworld.other_gemeente, a)
    assert municipalities(client.get(package_url(a)).get_data(as_text=True)) == 2

    # unpublished: gone from the search and the package page
    a.status = "concept"
    db.session.commit()
    assert results(client.get(search).get_data(as_text=True)) == ["Archiefkast"]
    assert client.get(package_url(a)).status_code == 404

    # published again
    a.status = "gepubliceerd"
    db.session.commit()
    assert results(client.get(search).get_data(as_text=True)) == ["Archiefkast", "e-Suite"]

    # a new package published: counted in the facets too
    f.package(cworld.supplier, "Zaakwijzer", rcs=[zaak], cloud_models="saas", licence_type="open_source")
    page = client.get(search).get_data(as_text=True)
    assert results(page) == ["Archiefkast", "e-Suite", "Zaakwijzer"]
    assert facet(page, "licentie") == {"Open source": 2, "Gesloten bron": 1}

    # the supplier renamed: its package page, the search and its supplier page say so
    supplier_page = f"/leveranciers/{cworld.supplier.id}"
    assert "ICT Solutions BV" in client.get(supplier_page).get_data(as_text=True)
    assert client.get(supplier_page).headers["X-Cache"] == "hit"
    cworld.supplier.name = "ICT Oplossingen BV"
    db.session.commit()
    assert "ICT Oplossingen BV" in client.get(package_url(a)).get_data(as_text=True)
    assert "ICT Oplossingen BV" in client.get(supplier_page).get_data(as_text=True)
    assert "ICT Oplossingen BV" in client.get(search).get_data(as_text=True)


def test_facet_counts_are_cached_per_filter_combination_and_follow_changes(capp, cworld, cshop):
    a, b, zaak = cshop
    client = capp.test_client()
    login(client, cworld.users["gebruik"])  # logged in: no page cache, only the facet cache
    url = "/catalogus/?cloud=saas"
    cold, page = statements(client, url)
    warm, page2 = statements(client, url)
    assert cold - warm == 7  # the seven facet aggregates are not run again
    assert facet(page.get_data(as_text=True), "licentie") == facet(page2.get_data(as_text=True), "licentie")
    other, _ = statements(client, "/catalogus/?cloud=paas")
    assert other == cold  # another combination is counted on its own
    b.licence_type = "proprietary"
    db.session.commit()
    assert facet(client.get("/catalogus/?cloud=paas").get_data(as_text=True), "licentie") == {"Gesloten bron": 1}


def test_a_logged_in_user_never_gets_nor_fills_the_page_cache(capp, cworld, cshop):
    a, _b, _ = cshop
    anonymous, jan = capp.test_client(), capp.test_client()
    login(jan, cworld.users["aanbod"])
    # logged in first: nothing is stored
    mine = jan.get(package_url(a))
    assert "X-Cache" not in mine.headers
    assert anonymous.get(package_url(a)).headers["X-Cache"] == "miss"
    # cached for visitors now; the logged-in user still gets a page of their own
    assert anonymous.get(package_url(a)).headers["X-Cache"] == "hit"
    again = jan.get(package_url(a))
    assert "X-Cache" not in again.headers
    assert "Inloggen" not in again.get_data(as_text=True).split("<main", 1)[0]
    assert "Inloggen" in anonymous.get(package_url(a)).get_data(as_text=True)


def test_nobody_sees_a_page_rendered_for_somebody_else(capp, cworld, cshop):
    concept = f.package(cworld.supplier, "Geheim Concept", status="concept")
    owner, rival, anonymous = capp.test_client(), capp.test_client(), capp.test_client()
    login(owner, cworld.users["aanbod"])
    login(rival, cworld.users["aanbod_other"])
    preview = owner.get(package_url(concept))
    assert preview.status_code == 200 and "Niet gepubliceerd" in preview.get_data(as_text=True)
    for _ in range(2):
        assert rival.get(package_url(concept)).status_code == 404
        assert anonymous.get(package_url(concept)).status_code == 404
    assert owner.get(package_url(concept)).status_code == 200


def test_what_is_never_stored(capp, cshop):
    a, _b, _ = cshop
    client = capp.test_client()
    for _ in range(2):  # a refused search (400) is answered afresh every time
        resp = client.get("/catalogus/?rc=abc")
        assert resp.status_code == 400 and resp.headers["X-Cache"] == "miss"
    # a visitor whose session holds a CSRF token (after the login page) is answered without the cache
    client.get(package_url(a))
    client.get("/login/")
    assert client.get_cookie("session") is not None
    assert "X-Cache" not in client.get(package_url(a)).headers
    # other pages than the public catalogue pages are never cached
    fresh = capp.test_client()
    assert "X-Cache" not in fresh.get("/login/").headers


def test_cache_off_serves_every_request_afresh(make_app):
    app = make_app(CATALOGUE_CACHE=False)
    client = app.test_client()
    with app.app_context():
        for _ in range(2):
            assert "X-Cache" not in client.get("/catalogus/").headers


def test_a_cached_package_page_still_counts_its_views_and_the_cache_stays(capp, cshop, cworld):
    """Insights (F006) count a visitor's views in the daily total: a page from the cache counts
    too, and recording the view does not make the page fall out of the cache."""
    from sqlalchemy import func, select

    from plugins.f006_inzichten.models import ViewTotal

    a, _b, _zaak = cshop
    client = capp.test_client()
    url = f"/catalogus/pakketten/{a.public_id}"
    headers = {"User-Agent": "Mozilla/5.0 (X11; Linux x86_64) Firefox/140.0"}
    answers = [client.get(url, headers=headers).headers.get("X-Cache") for _ in range(3)]
    assert answers == ["miss", "hit", "hit"]
    db.session.expire_all()
    hits = db.session.scalar(select(func.sum(ViewTotal.hits)).where(ViewTotal.package_id == a.id))
    assert hits == 3
