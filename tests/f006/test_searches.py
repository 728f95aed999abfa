"""Pt 5: what municipalities look for: search terms and filters of the last weeks, counted per organisation
and day, shown only when used by at least 5 different organisations, with whether they find the supplier's
packages and others on its shelves; the terms that find others but none of mine become a recommendation."""

from __future__ import annotations

import datetime as dt

from sqlalchemy import select

from core.events import CatalogueSearched, emit
from core.extensions import db
from plugins.f006_inzichten.models import SearchDay
from tests.f006.conftest import BROWSER, logged_in, make_package
from tests.f006.test_dashboard_privacy import _shelf
from tests.support.actors import make_org


def test_the_search_page_records_organisation_term_and_day_once(app, world, catalogue):
    gemeente = logged_in(app, world.users["gebruik"])
    for _ in range(2):
        assert gemeente.get("/catalogus/?q=Zaäk%20Wijzer", headers=BROWSER).status_code == 200
    logged_in(app, world.users["aanbod"]).get("/catalogus/?q=leverancier", headers=BROWSER)
    app.test_client().get("/catalogus/?q=anoniem", headers=BROWSER)
    rows = db.session.execute(select(SearchDay.term, SearchDay.kind, SearchDay.viewer_id)).all()
    assert rows == [("zaak wijzer", "zoekterm", world.gemeente.id)]


def _searched(org, query, days_ago=1):
    emit(CatalogueSearched(query=query, filters=(), viewer_organisation_id=org.id, viewer_organisation_type=org.type,
                           viewer_sees_all=False, user_agent="Mozilla/5.0", day=dt.date.today()
                           - dt.timedelta(days=days_ago)))


def test_terms_of_five_organisations_and_what_they_find(app, world, catalogue):
    zaak, other = catalogue["zaak"], catalogue["other"]
    other.long_description = "Belastingen en zaakgericht archiveren."
    db.session.commit()
    third = make_package(world.other_supplier, "Zaken Online")
    _shelf("Zaaksysteem", zaak, other, third)
    gemeenten = [world.gemeente, world.other_gemeente] + [
        make_org(f"Gemeente {i}", "gemeente", cbs_code=f"80{i:02d}") for i in range(4)]
    with app.test_request_context():
        for org in gemeenten:  # six organisations
            _searched(org, "archiveren")
            _searched(org, "zaakwijzer")
        for org in gemeenten[:4]:  # four: not shown
            _searched(org, "geheimzinnig")
        for org in gemeenten:  # too long ago
            _searched(org, "oud", days_ago=60)
        db.session.commit()
    supplier = logged_in(app, world.users["aanbod"])
    page = supplier.get("/inzichten/").get_data(as_text=True)
    section = page[page.index("Waar gemeenten naar zoeken"):page.index("Bekeken door gemeenten")]
    assert "archiveren" in section and "zaakwijzer" in section
    assert "geheimzinnig" not in section and "oud<" not in section
    assert "<th scope=\"row\">archiveren</th><td>6</td>\n        <td>nee</td><td>ja</td>" in section
    assert "<th scope=\"row\">zaakwijzer</th><td>6</td>\n        <td>ja</td><td>nee</td>" in section
    assert "zochten op \u201carchiveren\u201d: dat vindt andere pakketten op uw referentiecomponenten" in page
    for org in gemeenten:
        assert org.name not in section
