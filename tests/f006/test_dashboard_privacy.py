"""Pts 3 and 9: the dashboard's figures (views per week, viewers, interest, customers over time, proposal funnel,
versions in use incl. ended support) as SVG with table and CSV; privacy: organisations and days only, a
retention period with a command, a privacy page; a supplier never sees a viewer of another supplier's package,
never another package's customers, never a municipality's other packages; small numbers suppressed."""

from __future__ import annotations

import datetime as dt

from sqlalchemy import func, inspect, select

from core.catalogue.models import Version
from core.events import ProposalDecided, ProposalMade, emit
from core.extensions import db
from plugins.f006_inzichten.models import Interest, ViewDay, ViewTotal
from tests.f006.conftest import logged_in, make_package, make_usage, view


def test_view_tables_hold_organisation_and_day_only():
    for model in (ViewDay, ViewTotal):
        columns = {c.name for c in inspect(model).columns}
        assert not columns & {"user_id", "person", "email", "ip", "ip_address", "user_agent", "session"}
    assert {c.name for c in inspect(ViewDay).columns} == {"id", "package_id", "viewer_id", "day"}


def test_dashboard_figures_of_own_packages_only(app, world, catalogue):
    zaak, other = catalogue["zaak"], catalogue["other"]
    ended = Version(organisation_id=world.supplier.id, package_id=zaak.id, name="2.0",
                    status="in_gebruik", end_support=dt.date.today() - dt.timedelta(days=30))
    db.session.add(ended)
    db.session.commit()
    make_usage(world.gemeente, zaak, version_id=ended.id)
    make_usage(world.other_gemeente, other)  # another package's customer
    third = make_package(world.other_supplier, "Geheim Ander Pakket")
    # Voorbeeldstad views the own package; Andersdorp views only the other supplier's packages
    view(logged_in(app, world.users["gebruik"]), zaak)
    andersdorp = logged_in(app, world.users["gebruik_other"])
    view(andersdorp, other)
    view(andersdorp, third)
    # Voorbeeldstad also views the other supplier's package: that must not show at ICT Solutions
    view(logged_in(app, world.users["gebruik"]), other)
    with app.test_request_context():
        day = dt.date.today()
        for pid, outcome in ((1, "geaccepteerd"), (2, "afgewezen"), (3, None)):
            emit(ProposalMade(proposal_id=pid, organisation_id=world.gemeente.id, supplier_id=world.supplier.id,
                              package_id=zaak.id, day=day))
            if outcome:
                emit(ProposalDecided(proposal_id=pid, organisation_id=world.gemeente.id,
                                     supplier_id=world.supplier.id, package_id=zaak.id, day=day, outcome=outcome))
        db.session.commit()

    supplier = logged_in(app, world.users["aanbod"])
    for url in ("/inzichten/", f"/inzichten/pakket/{zaak.public_id}"):
        page = supplier.get(url).get_data(as_text=True)
        assert "Voorbeeldstad" in page
        assert "Andersdorp" not in page, "a viewer of another supplier's package is named"
        assert "Belastingen Plus" not in page and "Geheim Ander Pakket" not in page, \
            "a municipality's other packages are shown"
        assert page.count('class="scg-chart"') == 4
        assert "Ondersteuning beëindigd" in page
    assert supplier.get(f"/inzichten/pakket/{other.public_id}").status_code == 404

    funnel = supplier.get("/inzichten/csv/voorstellen").get_data(as_text=True)
    assert funnel.splitlines()[1:] == ["Voorgesteld;3", "Geaccepteerd;1", "Afgewezen;1", "Open;1",
                                       "Ingetrokken, verlopen of vervallen;0"]
    customers = supplier.get("/inzichten/csv/klanten").get_data(as_text=True).splitlines()
    assert customers[-1].endswith(";1"), "only the own package's customer counts"
    versions = supplier.get("/inzichten/csv/versies").get_data(as_text=True)
    assert "Zaakwijzer 2.0;1;Ondersteuning beëindigd" in versions and "Belastingen" not in versions
    views = supplier.get("/inzichten/csv/weergaven")
    assert views.headers["Content-Type"].startswith("text/csv")
    assert views.get_data(as_text=True).splitlines()[-1].split(";")[1] == "1"
    assert supplier.get("/inzichten/csv/onbekend").status_code == 404


def test_small_numbers_of_other_visitors_are_suppressed(app, world, catalogue):
    zaak = catalogue["zaak"]
    visitor = app.test_client()
    view(visitor, zaak)
    view(visitor, zaak)
    supplier = logged_in(app, world.users["aanbod"])
    last = supplier.get("/inzichten/csv/weergaven").get_data(as_text=True).splitlines()[-1]
    assert last.endswith(";minder dan 3")
    view(visitor, zaak)
    last = supplier.get("/inzichten/csv/weergaven").get_data(as_text=True).splitlines()[-1]
    assert last.endswith(";3")


def test_retention_command_deletes_older_rows(app, world, catalogue):
    zaak = catalogue["zaak"]
    today = dt.date.today()
    with app.app_context():
        old, recent = today - dt.timedelta(days=800), today - dt.timedelta(days=300)
        db.session.add_all([ViewDay(package_id=zaak.id, viewer_id=world.gemeente.id, day=old),
                            ViewDay(package_id=zaak.id, viewer_id=world.gemeente.id, day=recent),
                            ViewTotal(package_id=zaak.id, day=old, hits=4),
                            ViewTotal(package_id=zaak.id, day=recent, hits=2)])
        db.session.commit()
    result = app.test_cli_runner().invoke(args=["scg", "inzichten-opschonen"])
    assert result.exit_code == 0 and "2 rij(en) ouder dan 24 maanden verwijderd." in result.output
    with app.app_context():
        assert db.session.scalars(select(ViewDay.day)).all() == [recent]
        assert db.session.scalars(select(ViewTotal.day)).all() == [recent]


def test_retention_is_a_setting(make_app):
    app = make_app(INZICHTEN_BEWAARTERMIJN_MAANDEN=6)
    assert app.config["INZICHTEN_BEWAARTERMIJN_MAANDEN"] == 6
    page = app.test_client().get("/inzichten/privacy/").get_data(as_text=True)
    assert "6 maanden" in page


def test_privacy_page_is_public_and_says_what_is_kept(client):
    resp = client.get("/inzichten/privacy/")
    body = resp.get_data(as_text=True)
    assert resp.status_code == 200
    assert "welke organisatie" in body and "24 maanden" in body and "Nooit wie het was" in body


def test_merge_moves_views_and_interest_to_the_survivor(app, world, catalogue):
    from core.catalogue.merge import merge

    zaak = catalogue["zaak"]
    dup = make_package(world.supplier, "Zaakwijzer (dubbel)")
    day = dt.date.today()
    db.session.add_all([ViewDay(package_id=dup.id, viewer_id=world.gemeente.id, day=day),
                        ViewDay(package_id=zaak.id, viewer_id=world.gemeente.id, day=day),
                        ViewDay(package_id=dup.id, viewer_id=world.other_gemeente.id, day=day),
                        Interest(organisation_id=world.gemeente.id, package_id=dup.id,
                                 supplier_id=world.supplier.id)])
    db.session.commit()
    dup_id = dup.id
    with app.test_request_context():
        merge(zaak.id, dup_id)
        db.session.commit()
        assert sorted(db.session.scalars(select(ViewDay.viewer_id).where(ViewDay.package_id == zaak.id))) == sorted(
            [world.gemeente.id, world.other_gemeente.id])
        assert db.session.scalar(select(func.count(Interest.id)).where(Interest.package_id == zaak.id)) == 1


def test_recommendations_link_to_the_fix_and_disappear_when_fixed(app, world, catalogue):
    from core.catalogue.models import Package

    zaak = catalogue["zaak"]
    supplier = logged_in(app, world.users["aanbod"])
    page = supplier.get("/inzichten/").get_data(as_text=True)
    assert "Zaakwijzer heeft geen uitgebreide beschrijving." in page
    assert f'href="/pakketten/edit/{zaak.id}"' in page
    assert "Zaakwijzer heeft geen schermafbeeldingen." in page
    assert "Belastingen Plus" not in page  # another supplier's package gets no advice here
    # a version whose support ended, still used, without a successor in use
    versions = db.session.scalars(select(Version).where(Version.package_id == zaak.id)).all()
    for version in versions:
        version.status = "einde_ondersteuning"
    db.session.commit()
    make_usage(world.gemeente, zaak, version_id=versions[0].id)
    page = supplier.get("/inzichten/").get_data(as_text=True)
    first = page.index("<ol class=\"scg-aanbevelingen\">")
    assert page.index("wordt niet meer ondersteund, maar 1 klant gebruikt haar nog", first) < \
        page.index("heeft geen uitgebreide beschrijving", first), "not ranked by expected effect"

    db.session.get(Package, zaak.id).long_description = "Zaakwijzer ondersteunt zaakgericht werken."
    db.session.commit()
    page = supplier.get(f"/inzichten/pakket/{zaak.public_id}").get_data(as_text=True)
    assert "heeft geen uitgebreide beschrijving" not in page


def test_recommendations_without_f004_keep_no_link(make_app):
    from tests.support.actors import World

    app = make_app(DISABLED_PLUGINS=["plugins.f004_aanbod.hooks"])
    with app.app_context():
        world = World.build(app)
        make_package(world.supplier, "Zaakwijzer")
        client = logged_in(app, world.users["aanbod"])
    resp = client.get("/inzichten/")
    assert resp.status_code == 200
    body = resp.get_data(as_text=True)
    assert "Zaakwijzer heeft geen uitgebreide beschrijving." in body and "/pakketten/edit/" not in body


def _shelf(name, *packages):
    import uuid

    from core.gemma.models import Referentiecomponent

    rc = Referentiecomponent(object_id=str(uuid.uuid4()), name=name, description=name)
    db.session.add(rc)
    db.session.flush()
    for package in packages:
        db.session.get(type(package), package.id).referentiecomponenten.append(rc)
    db.session.commit()
    return rc


def test_position_per_referentiecomponent_names_packages_never_their_customers(app, world, catalogue):
    zaak, other = catalogue["zaak"], catalogue["other"]
    third = make_package(world.other_supplier, "Zaken Online")
    hidden = make_package(world.other_supplier, "Zaken Concept", status="concept")
    _shelf("Zaaksysteem", zaak, other, third, hidden)
    small_shelf = _shelf("Archiefsysteem", zaak, other)
    make_usage(world.gemeente, other)
    make_usage(world.other_gemeente, other)
    make_usage(world.gemeente, zaak)
    supplier = logged_in(app, world.users["aanbod"])
    page = supplier.get("/inzichten/").get_data(as_text=True)
    assert "Positie bij Zaaksysteem" in page
    assert "1. Belastingen Plus" in page and "2. Zaakwijzer (uw pakket)" in page and "3. Zaken Online" in page
    assert "Zaken Concept" not in page  # not public
    assert "Andersdorp" not in page  # another package's customer
    assert "Positie bij Archiefsysteem" not in page  # fewer than 3 packages on the shelf
    csv_text = supplier.get(f"/inzichten/csv/positie-{small_shelf.id}").status_code
    assert csv_text == 404
