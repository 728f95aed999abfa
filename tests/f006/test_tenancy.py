"""F006 through the shared tenancy matrix (docs/plugins.md, Tenancy).

- ``/inzichten/interesse`` (InterestView): a gemeente's Gebruik-beheerder shows (adds) and withdraws
  (deletes) its own organisation's interest, on public packages of any supplier; the raadpleger reads it.
- ``/inzichten/ontvangen-interesse`` (ReceivedInterestView, tenant column ``supplier_id``): the
  supplier's Aanbod-beheerder reads the interest in its own packages only.
- Notifications and the dashboard are not plain organisation views (a notification is one person's;
  the dashboard is figures): they are checked per actor of the matrix below, own and other.
"""

from __future__ import annotations

import itertools

import pytest
from sqlalchemy import select

from core.catalogue.models import Package
from core.extensions import db
from core.models import Membership
from plugins.f006_inzichten.models import Interest, Notification, ViewDay
from tests.support import tenancy_matrix as tm

PLUGIN = "plugins.f006_inzichten.hooks"
_numbers = itertools.count(1)


def _org(name):
    return db.session.scalar(select(tm.Organisation).filter_by(name=name))


def _package(supplier, status="gepubliceerd") -> Package:
    package = Package(organisation_id=supplier.id, name=f"Interessepakket {next(_numbers)}", status=status)
    db.session.add(package)
    db.session.flush()
    return package


def interest_row(gemeente, marker):
    """Interest of ``gemeente`` in a package of ICT Solutions BV (its message is the marker)."""
    supplier = _org("ICT Solutions BV")
    row = Interest(organisation_id=gemeente.id, package_id=_package(supplier).id, supplier_id=supplier.id,
                   message=marker)
    db.session.add(row)
    return row


def received_row(supplier, marker):
    """Interest of Voorbeeldstad in a package of ``supplier``."""
    row = Interest(organisation_id=_org("Voorbeeldstad").id, package_id=_package(supplier).id,
                   supplier_id=supplier.id, message=marker)
    db.session.add(row)
    return row


def interest_form(gemeente, marker):
    package = _package(_org("Concurrent BV"))
    db.session.commit()
    return {"package": str(package.id), "message": marker, "organisation": str(gemeente.id)}


INTEREST = tm.TenancySpec(
    name="interesse", model=Interest, view="/inzichten/interesse", marker_field="message",
    make_row=interest_row, add_form=interest_form, owner_types=("gemeente",),
    rights={tm.GEBRUIK_BEHEERDER: tm.Rights(read=tm.OWN, add=tm.OWN, delete=tm.OWN),
            tm.GEBRUIK_RAADPLEGER: tm.Rights(read=tm.OWN),
            # interest is a gemeente's own voice: the Functioneel beheerder reads and removes it, never adds
            tm.FUNCTIONEEL_BEHEERDER: tm.Rights(read=tm.ALL, delete=tm.ALL)},
    watch=(Notification,),
)

RECEIVED = tm.TenancySpec(
    name="ontvangen-interesse", model=Interest, view="/inzichten/ontvangen-interesse", tenant_column="supplier_id",
    marker_field="message", make_row=received_row, owner_types=("leverancier",),
    rights={tm.AANBOD_BEHEERDER: tm.Rights(read=tm.OWN), tm.FUNCTIONEEL_BEHEERDER: tm.Rights(read=tm.ALL)},
)

SPECS: list[tm.TenancySpec] = [INTEREST, RECEIVED]

matrix_env = tm.environment(plugins=[PLUGIN])  # (the plugin is in DEFAULT_PLUGINS too)


@pytest.mark.parametrize("spec, cell", [pytest.param(s, c.values[0], id=s.name + "-" + c.id)
                                        for s in SPECS for c in s.cells()])
def test_f006_tenancy(matrix_env, spec, cell):
    tm.check(matrix_env, spec, cell)


# --- notifications: one person's own -------------------------------------------------------
ACTORS = list(tm.ACTORS)


def _members(org_id):
    return db.session.scalars(select(Membership.user_id).where(Membership.organisation_id == org_id,
                                                               Membership.active.is_(True))).all()


@pytest.mark.parametrize("actor", ACTORS)
def test_notifications_are_the_persons_own(matrix_env, actor):
    """Each person lists, opens and marks read only its own notifications: not a colleague's, not another
    organisation's; the Functioneel beheerder and visitors none."""
    env = matrix_env
    env.reset()
    client = env.client(actor)
    with env.app.app_context():
        user_id = env.user_ids.get(actor)
        rows = {}
        for org_key, org_id in env.org_ids.items():
            for member in _members(org_id):
                note = Notification(user_id=member, organisation_id=org_id, kind="interesse",
                                    text=f"Melding-{org_key}-{member}", url="/inzichten/")
                db.session.add(note)
                db.session.flush()
                rows[note.id] = (member, note.text)
        db.session.commit()
    listing = client.get("/inzichten/meldingen/list/")
    body = listing.get_data(as_text=True)
    # people of suppliers and gemeenten have notifications; VNG's read-only role and visitors none
    has_them = actor in (tm.AANBOD_BEHEERDER, tm.GEBRUIK_BEHEERDER, tm.GEBRUIK_RAADPLEGER)
    own = [pk for pk, (member, _) in rows.items() if member == user_id and has_them]
    for pk, (_member, text) in rows.items():
        if pk in own:
            assert listing.status_code == 200 and text in body
            continue
        assert text not in body, f"{actor} sees {text}"
        assert text not in client.get(f"/inzichten/meldingen/show/{pk}").get_data(as_text=True)
        client.post(f"/inzichten/meldingen/action/mark_read/{pk}", data={"csrf_token": env.csrf[actor]})
        client.post(f"/inzichten/meldingen/open/{pk}", data={"csrf_token": env.csrf[actor]})
    client.post("/inzichten/meldingen/action_post",
                data={"action": "mark_read", "rowid": [str(pk) for pk in rows], "csrf_token": env.csrf[actor]})
    client.post("/inzichten/meldingen/alles-gelezen", data={"csrf_token": env.csrf[actor]})
    with env.app.app_context():
        read = {n.id for n in db.session.scalars(select(Notification).where(Notification.read_on.isnot(None)))}
    assert read == set(own), f"{actor} marked {read - set(own)} as read"


# --- the dashboard: own packages only --------------------------------------------------------
@pytest.mark.parametrize("actor", ACTORS)
def test_dashboard_shows_own_packages_only(matrix_env, actor):
    env = matrix_env
    env.reset()
    client = env.client(actor)
    with env.app.app_context():
        own = _package(env.org("supplier"))
        own.name = "EigenDashboardPakket"
        other = _package(env.org("other_supplier"))
        other.name = "AnderDashboardPakket"
        db.session.flush()
        import datetime as dt

        today = dt.date.today()
        db.session.add_all([ViewDay(package_id=own.id, viewer_id=env.org_ids["gemeente"], day=today),
                            ViewDay(package_id=other.id, viewer_id=env.org_ids["other_gemeente"], day=today)])
        db.session.commit()
        own_id, other_id = own.public_id, other.public_id
    index = client.get("/inzichten/")
    own_page = client.get(f"/inzichten/pakket/{own_id}")
    other_page = client.get(f"/inzichten/pakket/{other_id}")
    other_csv = client.get(f"/inzichten/csv/weergaven?pakket={other_id}")
    for resp in (index, own_page, other_page, other_csv):
        assert resp.status_code < 500
    if actor == tm.AANBOD_BEHEERDER:
        assert index.status_code == 200 and "EigenDashboardPakket" in index.get_data(as_text=True)
        assert "Voorbeeldstad" in own_page.get_data(as_text=True)
        assert other_page.status_code == 404 and other_csv.status_code == 404
    elif actor == tm.FUNCTIONEEL_BEHEERDER:
        assert other_page.status_code == 200 and "Andersdorp" in other_page.get_data(as_text=True)
    else:
        for resp in (index, own_page, other_page, other_csv):
            body = resp.get_data(as_text=True)
            assert resp.status_code in (302, 403, 404), f"{actor}: {resp.status_code}"
            assert "EigenDashboardPakket" not in body and "AnderDashboardPakket" not in body
    for resp in (index, own_page):
        assert "Andersdorp" not in resp.get_data(as_text=True) or actor == tm.FUNCTIONEEL_BEHEERDER
