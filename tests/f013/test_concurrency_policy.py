"""Two workers expire overdue proposals at the same moment: each proposal expires once (PostgreSQL)."""

from __future__ import annotations

import datetime as dt
import threading
import time

import pytest

from core.events import ProposalDecided
from core.extensions import db
from core.models import utcnow
from core.plugins import hookimpl
from plugins.f013_gebruik.models import Proposal
from plugins.f013_gebruik.proposal_policy import expire_overdue
from tests.f013.conftest import make_package
from tests.support.actors import World

pytestmark = pytest.mark.postgres


class SlowExpiry:
    """Counts the expiries and keeps the first transaction open a moment, so the other worker must wait."""

    def __init__(self):
        self.outcomes = []

    @hookimpl
    def on_event(self, event):
        if isinstance(event, ProposalDecided):
            self.outcomes.append(event.proposal_id)
            time.sleep(0.5)


def test_two_workers_expire_an_overdue_proposal_once(make_app, pg_databases):
    url = pg_databases.create()
    slow = SlowExpiry()
    apps = [make_app(plugins=[slow], SQLALCHEMY_DATABASE_URI=url) for _ in range(2)]
    with apps[0].app_context():
        world = World.build(apps[0])
        package = make_package(world.supplier, "Zaakwijzer")
        db.session.add(Proposal(organisation_id=world.gemeente.id, supplier_id=world.supplier.id,
                                package_id=package.id, proposed_on=utcnow() - dt.timedelta(days=61)))
        db.session.commit()

    barrier = threading.Barrier(2)
    counts = [None, None]

    def expire(index):
        with apps[index].app_context():
            barrier.wait()
            counts[index] = expire_overdue()

    threads = [threading.Thread(target=expire, args=(i,)) for i in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)

    assert sorted(counts) == [0, 1]
    assert len(slow.outcomes) == 1, "the proposal expired twice: two events, two e-mails"
