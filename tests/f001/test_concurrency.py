"""Two functioneel beheerders approve the same registration at the same moment (PostgreSQL)."""

from __future__ import annotations

import threading
import time
from types import SimpleNamespace

import pytest

from core.events import OrganisationApproved
from core.extensions import db
from core.models import AuditLog, Organisation
from core.plugins import hookimpl
from core.roles import FUNCTIONEEL_BEHEERDER
from plugins.f001_toegang.models import Registration
from tests.f001.conftest import VALID, confirm, register
from tests.support.actors import csrf_token, login, make_org, make_user

pytestmark = pytest.mark.postgres


class SlowApproval:
    """Holds the winner's transaction open a moment after its UPDATE, so the other request must wait
    for the row lock and then see the new status. A read-then-write approval would approve twice."""

    def __init__(self):
        self.approvals = 0

    @hookimpl
    def on_event(self, event):
        if isinstance(event, OrganisationApproved):
            self.approvals += 1
            time.sleep(0.5)


def test_two_beheerders_approve_at_once_one_approval_one_email(make_app, pg_databases, mailbox):
    url = pg_databases.create()
    slow = SlowApproval()
    first_app = make_app(plugins=[slow], SQLALCHEMY_DATABASE_URI=url)
    second_app = make_app(plugins=[slow], SQLALCHEMY_DATABASE_URI=url)

    with first_app.app_context():
        assert db.engine.dialect.name == "postgresql"
        make_org("VNG Realisatie", "vng")
        beheerders = [SimpleNamespace(id=u.id, email=u.email, totp_secret=u.totp_secret)
                      for u in (make_user(f"fb{i}@vng.example", FUNCTIONEEL_BEHEERDER, None) for i in (1, 2))]
        supplier = first_app.test_client()
        register(supplier)
        confirm(supplier, mailbox.last_to(VALID["email"]).links[0])
        registration_id = db.session.query(Registration.id).scalar()

    clients = []
    for app, user in zip((first_app, second_app), beheerders, strict=False):
        client = app.test_client()
        with app.app_context():
            login(client, user)
            token = csrf_token(client, f"/beheer/aanmeldingen/show/{registration_id}")
        clients.append((app, client, token))
    mailbox.clear()

    barrier = threading.Barrier(2)
    results = [None, None]

    def approve(index):
        app, client, token = clients[index]
        barrier.wait()
        resp = client.post(f"/beheer/aanmeldingen/goedkeuren/{registration_id}", data={"csrf_token": token})
        with app.app_context():
            results[index] = (resp.status_code, client.get(resp.location).get_data(as_text=True))

    threads = [threading.Thread(target=approve, args=(i,)) for i in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)

    assert [code for code, _html in results] == [302, 302]
    pages = [html for _code, html in results]
    assert sum("is goedgekeurd" in html for html in pages) == 1
    assert sum("kon niet worden beoordeeld" in html for html in pages) == 1
    assert slow.approvals == 1
    assert [m.recipients for m in mailbox.messages] == [[VALID["email"]]]
    with second_app.app_context():
        org = db.session.query(Organisation).filter_by(kvk_number=VALID["kvk_number"]).one()
        assert org.status == "goedgekeurd"
        assert org.reviewed_by_id in {u.id for u in beheerders}
        assert db.session.query(AuditLog).filter_by(action="goedkeuren").count() == 1
