"""FAB's permission checks cost one query per request, not one per menu item, link or button.

And they stay right: a right the role loses is gone from the next request on.
"""

from __future__ import annotations

from contextlib import contextmanager

from sqlalchemy import event

from core.extensions import db
from core.roles import AANBOD_BEHEERDER
from tests.support.actors import login


@contextmanager
def permission_queries():
    seen = []

    def count(conn, cursor, statement, params, context, executemany):
        if "ab_permission_view" in statement:
            seen.append(statement)

    event.listen(db.engine, "before_cursor_execute", count)
    try:
        yield seen
    finally:
        event.remove(db.engine, "before_cursor_execute", count)


def test_a_public_page_checks_its_permissions_with_one_query(app, world):
    client = app.test_client()
    client.get("/catalogus/")
    with permission_queries() as seen:
        page = client.get("/catalogus/")
    assert page.status_code == 200
    assert len(seen) == 1, seen


def test_a_supplier_page_with_its_menu_checks_permissions_with_one_query(app, world):
    client = app.test_client()
    login(client, world.users["aanbod"])
    with permission_queries() as seen:
        page = client.get("/pakketten/list/").get_data(as_text=True)
    assert "Pakketten" in page and 'href="/uitwisseling/"' in page  # the menu is there, each item checked
    assert len(seen) == 1, seen


def test_a_withdrawn_right_is_gone_from_the_next_request(app, world):
    client = app.test_client()
    login(client, world.users["aanbod"])
    assert client.get("/pakketten/list/").status_code == 200
    sm = app.appbuilder.sm
    role = sm.find_role(AANBOD_BEHEERDER)
    pv = sm.find_permission_view_menu("can_list", "Package")
    sm.del_permission_role(role, pv)
    db.session.commit()
    resp = client.get("/pakketten/list/")
    assert resp.status_code in (302, 403)
