"""The tenancy cells of a samenwerking's Gebruik-beheerder (issue 9, point 8).

Four kinds of rows x every way in (page list/show/edit/action/bulk action, API list/get/put):

- ``own``: the samenwerking's own usage: allowed;
- ``registered``: a usage it registered for a current member: allowed;
- ``member_own``: a usage the member registered itself: denied (the member's landscape
  stays private; the samenwerking sees only what it registered);
- ``former``: a usage it registered for a gemeente whose membership ended: denied (the
  row stays with the gemeente).

Denied means: the row's marker is not in the answer, nothing changed, never a 500.
"""

from __future__ import annotations

import datetime as dt

import pytest

from core.catalogue.models import Usage
from core.extensions import db
from core.roles import GEBRUIK_BEHEERDER
from plugins.f010_lidmaatschap.models import Deelname
from tests.f013.conftest import logged_in, make_package
from tests.support.actors import CSRF_RE, api_token, make_org, make_user

KINDS = ("own", "registered", "member_own", "former")
ALLOWED = {"own", "registered"}
OPERATIONS = ("list", "show", "edit_post", "action_end", "bulk_end", "api_list", "api_get", "api_put")


@pytest.fixture
def setup(app, world):
    group = make_org("Regio Matrix", "samenwerking")
    db.session.add_all([
        Deelname(organisation_id=world.gemeente.id, group_id=group.id, since=dt.date(2025, 1, 1)),
        Deelname(organisation_id=world.other_gemeente.id, group_id=group.id, since=dt.date(2024, 1, 1),
                 ended_on=dt.date(2025, 1, 1)),
    ])
    user = make_user("gb@regiomatrix.example", GEBRUIK_BEHEERDER, group)
    owners = {"own": (group, None), "registered": (world.gemeente, group), "member_own": (world.gemeente, None),
              "former": (world.other_gemeente, group)}
    rows = {}
    for kind, (owner, registrar) in owners.items():
        package = make_package(world.supplier, f"Pakket {kind}")
        usage = Usage(organisation_id=owner.id, package_id=package.id, status="in_productie",
                      description=f"Markering-{kind}", registered_by_id=registrar.id if registrar else None)
        db.session.add(usage)
        db.session.commit()
        rows[kind] = usage.id
    # a second own row, for the bulk action next to the target
    extra = Usage(organisation_id=group.id, package_id=make_package(world.supplier, "Pakket extra").id,
                  status="in_productie", description="Markering-extra")
    db.session.add(extra)
    db.session.commit()
    return user, rows, extra.id


def _token(client) -> str:
    return CSRF_RE.search(client.get("/gebruik/add").get_data(as_text=True)).group(1)


def _status(pk) -> str:
    db.session.expire_all()
    return db.session.get(Usage, pk).status


@pytest.mark.parametrize("operation", OPERATIONS)
@pytest.mark.parametrize("kind", KINDS)
def test_samenwerking_beheerder_cell(app, setup, kind, operation):
    user, rows, extra = setup
    pk = rows[kind]
    marker = f"Markering-{kind}"
    allowed = kind in ALLOWED
    if operation.startswith("api"):
        client = app.test_client()
        headers = {"Authorization": f"Bearer {api_token(client, user)}"}
        if operation == "api_list":
            resp = client.get("/api/v1/gebruik/?page_size=100", headers=headers)
        elif operation == "api_get":
            resp = client.get(f"/api/v1/gebruik/{pk}", headers=headers)
        else:
            resp = client.put(f"/api/v1/gebruik/{pk}", json={"status": "gepland"}, headers=headers)
    else:
        client = logged_in(app, user)
        if operation == "list":
            resp = client.get("/gebruik/list/?psize_UsageView=100")
        elif operation == "show":
            resp = client.get(f"/gebruik/show/{pk}")
        elif operation == "edit_post":
            resp = client.post(f"/gebruik/edit/{pk}", data={"csrf_token": _token(client), "status": "gepland"})
        elif operation == "action_end":
            resp = client.post(f"/gebruik/action/end/{pk}", data={"csrf_token": _token(client)})
        else:  # the bulk route, the target next to an own row ("end" is single-row: FAB refuses or skips)
            resp = client.post("/gebruik/action_post", data={"csrf_token": _token(client), "action": "end",
                                                             "rowid": [str(extra), str(pk)]})
    assert resp.status_code < 500
    body = resp.get_data(as_text=True)
    if operation in ("list", "show", "api_list", "api_get"):
        assert (marker in body) is allowed, body[:300]
        if not allowed:
            assert resp.status_code in (200, 302, 404)
        return
    changed = _status(pk) != "in_productie"
    if operation == "bulk_end":
        # the bulk route never touches a row that is not visible
        assert not changed or allowed
        return
    assert changed is allowed
