"""Two beheerders deactivate each other at the same moment: one beheerder stays (PostgreSQL)."""

from __future__ import annotations

import threading
import time
from types import SimpleNamespace

import pytest

from core.events import UserDeactivated
from core.extensions import db
from core.models import Membership
from core.plugins import hookimpl
from core.roles import AANBOD_BEHEERDER
from tests.support.actors import csrf_token, login, make_org, make_user

pytestmark = pytest.mark.postgres


class SlowDeactivation:
    """Keeps the first deactivation's transaction open a moment, so the other request must wait."""

    @hookimpl
    def on_event(self, event):
        if isinstance(event, UserDeactivated):
            time.sleep(0.5)


def test_two_beheerders_deactivating_each_other_leave_one(make_app, pg_databases):
    url = pg_databases.create()
    slow = SlowDeactivation()
    apps = [make_app(plugins=[slow], SQLALCHEMY_DATABASE_URI=url) for _ in range(2)]
    with apps[0].app_context():
        supplier = make_org("Tweemans BV", kvk_number="55554444")
        users = [make_user(f"beheerder{i}@tweemans.example", AANBOD_BEHEERDER, supplier) for i in (1, 2)]
        people = [SimpleNamespace(id=u.id, email=u.email, totp_enabled=False) for u in users]
        memberships = [m.id for m in db.session.query(Membership).order_by(Membership.user_id)]
    clients = []
    for app, person in zip(apps, people, strict=False):
        client = app.test_client()
        with app.app_context():
            login(client, person)
            clients.append((client, csrf_token(client, "/uitnodigingen/add")))

    barrier = threading.Barrier(2)
    results = [None, None]

    def deactivate_the_other(index):
        client, token = clients[index]
        other = memberships[1 - index]
        barrier.wait()
        results[index] = client.post("/gebruikers/action_post",
                                     data={"action": "deactivate", "rowid": str(other), "csrf_token": token})

    threads = [threading.Thread(target=deactivate_the_other, args=(i,)) for i in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)

    assert [r.status_code for r in results] == [302, 302]
    with apps[0].app_context():
        db.session.expire_all()
        active = db.session.query(Membership).filter(Membership.active.is_(True)).count()
    assert active == 1, "both beheerders were deactivated: nobody can manage the organisation any more"
