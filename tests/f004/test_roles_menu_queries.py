"""F004 roles, menu, welcome step, and the number of SQL statements on the package list."""

from __future__ import annotations

from flask import current_app
from sqlalchemy import event

from core.extensions import db
from core.roles import AANBOD_BEHEERDER, GEBRUIK_BEHEERDER, GEBRUIK_RAADPLEGER, VNG_RAADPLEGER
from tests.f004.conftest import make_concept, make_module, make_package, make_version
from tests.support.actors import login
from tests.support.welcome import task_link, tasks


def _perms(role_name):
    role = current_app.appbuilder.sm.find_role(role_name)
    return {(p.permission.name, p.view_menu.name) for p in role.permissions}


def test_role_grants_on_the_offering(app):
    supplier, vng = _perms(AANBOD_BEHEERDER), _perms(VNG_RAADPLEGER)
    for view, api in (("Package", "PackageApi"), ("PackageModule", "PackageModuleApi"),
                      ("PackageVersion", "PackageVersionApi")):
        assert {("can_add", view), ("can_edit", view), ("can_delete", view), ("can_post", api),
                ("can_put", api), ("can_delete", api)} <= supplier
        assert {("can_list", view), ("can_show", view), ("can_get", api)} <= vng
        assert not {p for p in vng if p[1] in (view, api) and p[0] not in ("can_list", "can_show", "can_get",
                                                                           "can_info")}
        for role in (GEBRUIK_BEHEERDER, GEBRUIK_RAADPLEGER):
            assert not {p for p in _perms(role) if p[1] in (view, api)}
    assert ("can_unpublish", "Package") not in supplier | vng


def test_menu_is_dutch_and_only_for_who_may_use_it(app, world):
    client = app.test_client()
    login(client, world.users["aanbod"])
    page = client.get("/welkom/").get_data(as_text=True)
    assert "Mijn aanbod" in page and 'href="/pakketten/list/"' in page and 'href="/versies/list/"' in page
    other = app.test_client()
    login(other, world.users["gebruik"])
    page = other.get("/welkom/").get_data(as_text=True)
    assert "Mijn aanbod" not in page and "/pakketten/list/" not in page
    assert other.get("/pakketten/list/").status_code in (302, 403)


def test_welcome_step_until_the_first_package(app, world):
    client = app.test_client()
    login(client, world.users["aanbod"])
    page = client.get("/welkom/").get_data(as_text=True)
    steps = tasks(page)
    assert steps["Zet uw eerste pakket in de etalage"] == ("Nog te doen", "Nog geen pakket")
    assert steps["Publiceer uw pakket"] == ("Nog te doen", "Nog geen gepubliceerd pakket")
    assert steps["Geef aan welke standaarden uw pakketten ondersteunen"] == ("Nog te doen",
                                                                            "Nog geen standaard opgegeven")
    assert task_link(page, "Zet uw eerste pakket in de etalage") == "/pakketten/add"
    make_package(world.supplier)
    page = client.get("/welkom/").get_data(as_text=True)
    assert tasks(page)["Zet uw eerste pakket in de etalage"] == ("Gedaan", "1 pakket")
    assert task_link(page, "Zet uw eerste pakket in de etalage") == "/pakketten/list/"
    gemeente = app.test_client()
    login(gemeente, world.users["gebruik"])
    assert "Zet uw eerste pakket" not in gemeente.get("/welkom/").get_data(as_text=True)


def _statements(client, url) -> tuple[int, str]:
    client.get(url)  # warm up: first-request work is not per page
    seen = []

    def count(conn, cursor, statement, *args):
        seen.append(statement)

    event.listen(db.engine, "before_cursor_execute", count)
    try:
        resp = client.get(url)
    finally:
        event.remove(db.engine, "before_cursor_execute", count)
    assert resp.status_code == 200
    return len(seen), resp.get_data(as_text=True)


def _fill(org, start, n):
    rcs = [make_concept(f"Component {start}-{i}") for i in range(2)]
    for i in range(start, start + n):
        package = make_package(org, name=f"Pakket {i:03d}", short_description="Kort")
        package.referentiecomponenten = rcs
        make_module(package, f"Module {i}")
        make_version(package, f"{i}.0")
    db.session.commit()


def test_list_pages_use_as_many_statements_for_few_and_many_rows(app, world):
    client = app.test_client()
    login(client, world.users["aanbod"])
    urls = ["/pakketten/list/?psize_PackageView=100", "/modules/list/?psize_ModuleView=100",
            "/versies/list/?psize_VersionView=100"]
    _fill(world.supplier, 0, 2)
    few = [_statements(client, url)[0] for url in urls]
    _fill(world.supplier, 2, 60)
    many = []
    for url in urls:
        count, body = _statements(client, url)
        assert "061" in body or "61" in body  # the last of the 62 rows is on the page
        many.append(count)
    print(f"SQL statements per list page (packages, modules, versions): 2 rows {few}, 62 rows {many}")
    assert few == many, f"statements per page with 2 rows {few}, with 62 rows {many}"
