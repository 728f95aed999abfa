"""F013 Ons applicatielandschap: a gemeente adds, changes and ends the packages it uses.

From the landscape page and from the public package page; one usage per organisation
and package; every change lands in the status history, which the usage's page shows.
"""

from __future__ import annotations

import datetime as dt

from sqlalchemy import func, select

from core.catalogue.models import Usage
from core.extensions import db
from core.roles import GEBRUIK_BEHEERDER
from plugins.f013_gebruik.models import UsageChange
from tests.f013.conftest import logged_in, make_usage, version_of
from tests.support.actors import csrf_token, make_org, make_user


def _add(client, org, package, **fields):
    data = {"csrf_token": csrf_token(client, "/gebruik/add"), "organisation": str(org.id),
            "package": str(package.id), "status": "in_productie", "status_date": "", "description": ""}
    data.update(fields)
    return client.post("/gebruik/add", data=data)


def _usages():
    db.session.expire_all()
    return db.session.scalar(select(func.count()).select_from(Usage))


def test_add_a_package_from_the_landscape_page(beheerder, world, catalogue):
    page = beheerder.get("/gebruik/add").get_data(as_text=True)
    assert "Zaakwijzer" in page and "Belastingen Plus" in page
    assert "Geheim Concept" not in page  # only published packages are offered
    resp = _add(beheerder, world.gemeente, catalogue["zaak"], version=str(version_of(catalogue["zaak"], "4.0").id),
                status="gepland", status_date="2026-03-01", description="Vervangt het oude systeem.")
    assert resp.status_code == 302 and resp.location.endswith("/gebruik/list/")
    usage = db.session.query(Usage).filter_by(organisation_id=world.gemeente.id).one()
    assert (usage.package.name, usage.version.name, usage.status, usage.status_date) == (
        "Zaakwijzer", "4.0", "gepland", dt.date(2026, 3, 1))
    listing = beheerder.get("/gebruik/list/").get_data(as_text=True)
    assert "Ons applicatielandschap" in listing and "Zaakwijzer" in listing and "Gepland" in listing
    assert "Het pakket staat nu in het applicatielandschap." in listing


def test_a_version_of_another_package_is_refused(beheerder, world, catalogue):
    resp = _add(beheerder, world.gemeente, catalogue["zaak"], version=str(version_of(catalogue["other"], "1.0").id))
    assert _usages() == 0
    page = beheerder.get(resp.location).get_data(as_text=True) if resp.status_code == 302 else resp.get_data(
        as_text=True)
    assert "Kies een versie van Zaakwijzer, of geen versie." in page


def test_an_unknown_status_on_the_form_is_refused_in_dutch(beheerder, world, catalogue):
    resp = _add(beheerder, world.gemeente, catalogue["zaak"], status="in_gebruik_genomen")
    assert resp.status_code == 200 and _usages() == 0
    assert "Kies een status uit de lijst." in resp.get_data(as_text=True)


def test_a_concept_package_is_refused(beheerder, world, catalogue):
    resp = _add(beheerder, world.gemeente, catalogue["concept"])
    assert _usages() == 0
    assert resp.status_code in (200, 302)


def test_adding_a_package_twice_says_so_and_links_to_the_row(beheerder, world, catalogue):
    usage = make_usage(world.gemeente, catalogue["zaak"])
    resp = _add(beheerder, world.gemeente, catalogue["zaak"])
    assert resp.status_code == 200
    page = resp.get_data(as_text=True)
    assert "Niet alle gegevens zijn goed ingevuld." in page
    assert "Zaakwijzer staat al in het applicatielandschap van Voorbeeldstad." in page
    assert f'href="/gebruik/show/{usage.id}"' in page
    assert _usages() == 1


def test_change_status_and_version_then_end_keeps_the_history(beheerder, world, catalogue):
    _add(beheerder, world.gemeente, catalogue["zaak"], status="verwerving")
    usage = db.session.query(Usage).filter_by(organisation_id=world.gemeente.id).one()
    resp = beheerder.post(f"/gebruik/edit/{usage.id}", data={
        "csrf_token": csrf_token(beheerder, f"/gebruik/edit/{usage.id}"), "status": "in_productie",
        "version": str(version_of(catalogue["zaak"], "3.1").id), "status_date": "2026-01-15", "description": ""})
    assert resp.status_code == 302 and resp.location.endswith("/gebruik/list/")
    resp = beheerder.post(f"/gebruik/action/end/{usage.id}",
                          data={"csrf_token": csrf_token(beheerder, f"/gebruik/show/{usage.id}")})
    assert resp.status_code == 302
    db.session.expire_all()
    usage = db.session.get(Usage, usage.id)
    assert usage.status == "uitgefaseerd" and usage.status_date == dt.date.today()
    kinds = [c.kind for c in db.session.scalars(select(UsageChange).where(UsageChange.usage_id == usage.id)
                                               .order_by(UsageChange.id))]
    assert kinds == ["toegevoegd", "gewijzigd", "beeindigd"]
    shown = beheerder.get(f"/gebruik/show/{usage.id}").get_data(as_text=True)
    assert "Geschiedenis" in shown
    assert "Status: Verwerving → In productie" in shown and "Versie: geen → 3.1" in shown
    assert "Status: In productie → Uitgefaseerd" in shown
    assert "Test Gebruiker" in shown  # the municipality sees who changed it


def test_the_functioneel_beheerder_acts_for_a_municipality_without_seeing_names(app, world, catalogue):
    fb = logged_in(app, world.users["fb"])
    page = fb.get("/gebruik/add").get_data(as_text=True)
    assert "Andersdorp" in page and "Voorbeeldstad" in page
    assert "ICT Solutions BV</option>" not in page  # suppliers keep no landscape
    resp = _add(fb, world.other_gemeente, catalogue["other"])
    assert resp.status_code == 302
    usage = db.session.query(Usage).filter_by(organisation_id=world.other_gemeente.id).one()
    shown = fb.get(f"/gebruik/show/{usage.id}").get_data(as_text=True)
    assert "Toegevoegd met status In productie" in shown
    assert "<th scope=\"col\">Door</th>" not in shown  # the person is for the municipality only
    own = logged_in(app, world.users["gebruik_other"]).get(f"/gebruik/show/{usage.id}").get_data(as_text=True)
    assert "<th scope=\"col\">Door</th>" in own


def test_the_raadpleger_reads_but_does_not_change(app, world, catalogue):
    usage = make_usage(world.gemeente, catalogue["zaak"], description="Alleen lezen")
    reader = logged_in(app, world.users["raadpleger"])
    assert "Alleen lezen" in reader.get("/gebruik/list/").get_data(as_text=True)
    assert reader.get("/gebruik/add").status_code in (302, 403)
    assert "Beëindigen</button>" not in reader.get(f"/gebruik/show/{usage.id}").get_data(as_text=True)
    reader.post(f"/gebruik/action/end/{usage.id}", data={"csrf_token": csrf_token(reader, "/account/twee-factor/")})
    db.session.expire_all()
    assert db.session.get(Usage, usage.id).status == "in_productie"


def test_a_community_cannot_register_usage(app, world, catalogue):
    community = make_org("Open Source Community", "community")
    member = make_user("lid@community.example", GEBRUIK_BEHEERDER, community)
    client = logged_in(app, member)
    page = client.get("/gebruik/add").get_data(as_text=True)
    assert "Zaakwijzer" not in page  # no form
    client.post("/gebruik/add", data={"csrf_token": csrf_token(client, "/account/twee-factor/"),
                                      "organisation": str(community.id), "package": str(catalogue["zaak"].id),
                                      "status": "in_productie"})
    assert _usages() == 0
    assert "Alleen een gemeente of samenwerking houdt een applicatielandschap bij." in page


def test_from_the_package_page_and_back(app, beheerder, world, catalogue):
    package = catalogue["zaak"]
    page_url = f"/catalogus/pakketten/{package.public_id}"
    page = beheerder.get(page_url).get_data(as_text=True)
    assert "Wij gebruiken dit pakket" in page
    start = f"/gebruik/add?pakket={package.public_id}&next={page_url}"
    assert f'href="{start.replace("&", "&amp;")}"' in page or "pakket=" + package.public_id in page
    form = beheerder.get(start).get_data(as_text=True)
    assert f'<option selected value="{package.id}"' in form or f'value="{package.id}" selected' in form
    assert ">Belastingen Plus 1.0<" not in form  # only the versions of this package
    assert ">Zaakwijzer 4.0<" in form and "Geen versie" in form
    data = {"csrf_token": csrf_token(beheerder, start), "organisation": str(world.gemeente.id),
            "package": str(package.id), "status": "in_productie"}
    resp = beheerder.post(start, data=data)
    assert resp.status_code == 302 and resp.location.endswith(page_url)
    again = beheerder.get(page_url).get_data(as_text=True)
    assert "Wij gebruiken dit pakket" not in again and "Bekijk ons gebruik van dit pakket" in again


def test_the_package_page_has_no_usage_link_for_suppliers_and_visitors(app, world, catalogue):
    page_url = f"/catalogus/pakketten/{catalogue['zaak'].public_id}"
    assert "Wij gebruiken dit pakket" not in app.test_client().get(page_url).get_data(as_text=True)
    supplier = logged_in(app, world.users["aanbod"])
    assert "Wij gebruiken dit pakket" not in supplier.get(page_url).get_data(as_text=True)
    assert "Wij gebruiken dit pakket" not in logged_in(app, world.users["raadpleger"]).get(page_url).get_data(
        as_text=True)


def test_a_visitor_is_told_to_log_in_as_a_municipality_and_comes_back(app, world, catalogue):
    page_url = f"/catalogus/pakketten/{catalogue['zaak'].public_id}"
    page = app.test_client().get(page_url).get_data(as_text=True)
    assert "Gebruikt uw gemeente dit pakket?" in page
    assert "Log in als gemeente om gebruik vast te leggen" in page
    assert f'href="/login/?next={page_url}"' in page
    logged_in_page = logged_in(app, world.users["aanbod"]).get(page_url).get_data(as_text=True)
    assert "Log in als gemeente om gebruik vast te leggen" not in logged_in_page


def test_logging_in_from_the_package_page_returns_there(app, world, catalogue):
    from tests.support.actors import PASSWORD

    page_url = f"/catalogus/pakketten/{catalogue['zaak'].public_id}"
    client = app.test_client()
    login_url = f"/login/?next={page_url}"
    resp = client.post(login_url, data={"username": world.users["raadpleger"].email, "password": PASSWORD,
                                        "csrf_token": csrf_token(client, login_url)})
    assert resp.status_code == 302 and resp.location.endswith(page_url)


def test_a_next_address_of_another_site_is_ignored(beheerder, world, catalogue):
    start = "/gebruik/add?next=//kwaad.example/"
    data = {"csrf_token": csrf_token(beheerder, start), "organisation": str(world.gemeente.id),
            "package": str(catalogue["zaak"].id), "status": "in_productie"}
    resp = beheerder.post(start, data=data)
    assert resp.status_code == 302 and resp.location.endswith("/gebruik/list/")


def test_the_demo_gemeente_shows_a_landscape(app):
    from core.accounts import find_user_by_email
    from core.builtin.demo import DEMO_PASSWORD
    from plugins.f013_gebruik.demo import DEMO_USER
    from tests.support.actors import login

    seed = app.extensions["scg_plugins"].hook.seed_data
    seed(app=app, demo=True)
    seed(app=app, demo=True)  # idempotent
    user = find_user_by_email(DEMO_USER)
    # three of its own, one the demo samenwerking registered for it (tests/f013/test_samenwerking.py)
    assert db.session.query(Usage).filter_by(organisation_id=user.organisation.id).count() == 4
    client = app.test_client()
    login(client, user, password=DEMO_PASSWORD)
    listing = client.get("/gebruik/list/").get_data(as_text=True)
    assert "Zaakwijzer (demo)" in listing and "In productie" in listing and "Uitgefaseerd" in listing
    usage = db.session.query(Usage).filter_by(organisation_id=user.organisation.id, status="in_productie").one()
    assert "Toegevoegd (demogegevens)" in client.get(f"/gebruik/show/{usage.id}").get_data(as_text=True)
