"""Pt 8: the VNG dashboard: registrations and handling time, open proposals by age, documents waiting,
coverage of the gemeenten' landscapes. Aggregates only; for VNG (raadpleger and Functioneel beheerder)."""

from __future__ import annotations

import datetime as dt

from core.events import ProposalMade, emit
from core.extensions import db
from core.models import utcnow
from tests.f006.conftest import logged_in, make_usage
from tests.support.actors import make_org


def test_vng_sees_the_work_in_numbers_and_nobody_else(app, world, catalogue):
    waiting = make_org("Nieuw Software BV", status="bevestigd", kvk_number="11112222")
    waiting.created_on = utcnow() - dt.timedelta(days=5)
    world.supplier.created_on = utcnow() - dt.timedelta(days=4)
    world.supplier.reviewed_on = utcnow() - dt.timedelta(days=2)
    db.session.commit()
    make_usage(world.gemeente, catalogue["zaak"])
    with app.test_request_context():
        emit(ProposalMade(proposal_id=5, organisation_id=world.other_gemeente.id, supplier_id=world.supplier.id,
                          package_id=catalogue["zaak"].id, day=dt.date.today() - dt.timedelta(days=40)))
        db.session.commit()
    vng = logged_in(app, world.users["vng"])
    body = vng.get("/beheer/inzichten/").get_data(as_text=True)
    assert "<strong>1</strong> aanmeldingen wachten (de oudste 5 dagen)" in body
    assert "Voorbeeldstad" not in body and "Andersdorp" not in body
    csv_text = vng.get("/beheer/inzichten/csv/open-voorstellen").get_data(as_text=True)
    assert "1 tot 3 maanden;1" in csv_text
    coverage = vng.get("/beheer/inzichten/csv/dekking").get_data(as_text=True)
    assert "geen pakketten;1" in coverage and "1 tot 9 pakketten;1" in coverage
    assert logged_in(app, world.users["fb"]).get("/beheer/inzichten/").status_code == 200
    for user in ("aanbod", "gebruik"):
        resp = logged_in(app, world.users[user]).get("/beheer/inzichten/")
        assert resp.status_code in (302, 403)
    assert app.test_client().get("/beheer/inzichten/").status_code == 302
