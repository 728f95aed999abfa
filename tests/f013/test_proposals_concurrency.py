"""The municipality accepts a proposal at the moment the supplier withdraws it: exactly one outcome (PostgreSQL)."""

from __future__ import annotations

import threading
import time
from types import SimpleNamespace

import pytest

from core.catalogue.models import Usage
from core.events import ProposalDecided, ProposalWithdrawn
from core.extensions import db
from core.models import AuditLog
from core.plugins import hookimpl
from plugins.f013_gebruik.models import Proposal, UsageChange
from tests.f013.conftest import make_package
from tests.support.actors import World, csrf_token, login

pytestmark = pytest.mark.postgres


class SlowTransition:
    """Holds the winner's transaction open a moment after its UPDATE, so the other request has to wait for
    the row lock and then finds the proposal closed. A read-then-write transition would do both."""

    def __init__(self):
        self.outcomes = []

    @hookimpl
    def on_event(self, event):
        if isinstance(event, (ProposalDecided, ProposalWithdrawn)):
            self.outcomes.append(type(event).__name__)
            time.sleep(0.5)


def test_accept_and_withdraw_at_once_give_exactly_one_outcome(make_app, pg_databases, mailbox):
    url = pg_databases.create()
    slow = SlowTransition()
    first_app = make_app(plugins=[slow], SQLALCHEMY_DATABASE_URI=url)
    second_app = make_app(plugins=[slow], SQLALCHEMY_DATABASE_URI=url)

    with first_app.app_context():
        assert db.engine.dialect.name == "postgresql"
        world = World.build(first_app)
        package = make_package(world.supplier, "Zaakwijzer")
        proposal = Proposal(organisation_id=world.gemeente.id, supplier_id=world.supplier.id, package_id=package.id,
                            status="in_productie", state="open")
        db.session.add(proposal)
        db.session.commit()
        proposal_id = proposal.id
        people = [SimpleNamespace(id=u.id, email=u.email, totp_secret=u.totp_secret)
                  for u in (world.users["gebruik"], world.users["aanbod"])]

    requests = []
    for app, user, (form_page, path, data) in zip(
            (first_app, second_app), people,
            (("/gebruik/add", f"/gebruik/voorstellen/besluit/{proposal_id}", {"besluit": "accepteren"}),
             ("/voorstellen/add", f"/voorstellen/intrekken/{proposal_id}", {})), strict=True):
        client = app.test_client()
        with app.app_context():
            login(client, user)
            token = csrf_token(client, form_page)
        requests.append((app, client, path, dict(data, csrf_token=token)))
    mailbox.clear()

    barrier = threading.Barrier(2)
    pages = [None, None]

    def act(index):
        app, client, path, data = requests[index]
        barrier.wait()
        resp = client.post(path, data=data)
        with app.app_context():
            pages[index] = (resp.status_code, client.get(resp.location).get_data(as_text=True))

    threads = [threading.Thread(target=act, args=(i,)) for i in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)

    assert [code for code, _html in pages] == [302, 302]
    accepted = "Het voorstel is geaccepteerd" in pages[0][1]
    withdrawn = "Uw voorstel is ingetrokken" in pages[1][1]
    assert accepted != withdrawn, "exactly one of the two requests may win"
    loser_says = pages[1][1] if accepted else pages[0][1]
    assert ("al geaccepteerd" if accepted else "ingetrokken door de leverancier") in loser_says
    assert len(slow.outcomes) == 1
    with second_app.app_context():
        row = db.session.get(Proposal, proposal_id)
        assert row.state == ("geaccepteerd" if accepted else "ingetrokken")
        assert db.session.query(Usage).count() == (1 if accepted else 0)
        assert db.session.query(UsageChange).count() == (1 if accepted else 0)
        actions = {a for (a,) in db.session.query(AuditLog.action).filter(AuditLog.action.like("voorstel_%"))}
        assert actions == {"voorstel_accepteren" if accepted else "voorstel_intrekken"}
    assert len(mailbox.messages) == (1 if accepted else 0)
