"""Tenancy of the klantoverzicht, its export, asking a reference, the reference form and the package page section.

These are not model views, so the shared matrix's model operations do not apply; this
module uses its environment (the World's people logged in, including a user whose
membership ended after login) and checks every role x every way in x own/other:

- ``/klanten/`` and its export: the supplier's Aanbod-beheerder reads the customers of
  its own packages only; the Functioneel beheerder reads any supplier's (he chooses
  one); nobody else reads any; nobody ever reads a usage's note.
- ``/klanten/referentie/<usage>`` (ask): only the Aanbod-beheerder of the package's
  supplier, for a usage of its own package (the Functioneel beheerder does not ask in a
  supplier's name); never over GET.
- ``/gebruik/referentie/<usage>``: only the Gebruik-beheerder of the usage's own
  organisation reads and sets it (a reference is the municipality's own word: not the
  raadpleger, not VNG, not a supplier).
- the package page: visitors and suppliers see the reference's name, never its contact;
  signed-in gemeente users and VNG see the contact.
"""

from __future__ import annotations

import pytest
from sqlalchemy import select

from core.catalogue.models import Package, Usage
from core.extensions import db
from plugins.f013_gebruik.models import Proposal, Reference
from tests.support import tenancy_matrix as tm

matrix_env = tm.environment()
ACTORS = list(tm.ACTORS)
OWN_PACKAGE, OTHER_PACKAGE = "KlantpakketEigen", "KlantpakketAnder"
OWN_NOTE, OTHER_NOTE = "NotitieEigenGebruik", "NotitieAnderGebruik"
OWN_REASON, OTHER_REASON = "RedenEigenAfwijzing", "RedenAndereAfwijzing"
CONTACT = "ContactpersoonMarker"
SECRETS = (OWN_NOTE, OTHER_NOTE)


@pytest.fixture(scope="module")
def env(matrix_env):
    """Own: the supplier's package used by the gemeente; other: the other supplier's used by the other gemeente."""
    with matrix_env.app.app_context():
        ids = matrix_env.org_ids
        own = Package(organisation_id=ids["supplier"], name=OWN_PACKAGE, status="gepubliceerd")
        other = Package(organisation_id=ids["other_supplier"], name=OTHER_PACKAGE, status="gepubliceerd")
        db.session.add_all([own, other])
        db.session.flush()
        own_usage = Usage(organisation_id=ids["gemeente"], package_id=own.id, status="in_productie",
                          description=OWN_NOTE)
        other_usage = Usage(organisation_id=ids["other_gemeente"], package_id=other.id, status="in_productie",
                            description=OTHER_NOTE)
        db.session.add_all([own_usage, other_usage])
        db.session.add_all([
            Proposal(organisation_id=ids["other_gemeente"], supplier_id=ids["supplier"], package_id=own.id,
                     state="afgewezen", reason=OWN_REASON),
            Proposal(organisation_id=ids["gemeente"], supplier_id=ids["other_supplier"], package_id=other.id,
                     state="afgewezen", reason=OTHER_REASON)])
        db.session.flush()
        # The own usage is a reference with a contact (the package page shows it).
        db.session.add(Reference(usage_id=own_usage.id, organisation_id=ids["gemeente"], package_id=own.id,
                                 opted_in=True, contact_name=CONTACT, contact_email="contact@voorbeeldstad.example"))
        db.session.commit()
        matrix_env.usages = {"own": own_usage.id, "other": other_usage.id}
        matrix_env.packages = {"own": own.public_id, "other": other.public_id}
        matrix_env._take_snapshot()
    return matrix_env


def references(env):
    with env.app.app_context():
        db.session.remove()
        return sorted((r.usage_id, r.opted_in, r.contact_name, r.asked_on is not None)
                      for r in db.session.scalars(select(Reference)))


def _no_secrets(resp):
    body = resp.get_data(as_text=True)
    for secret in SECRETS:
        assert secret not in body, f"a usage's note leaked: {secret}"


# --- the klantoverzicht page ------------------------------------------------------------
@pytest.mark.parametrize("actor", ACTORS)
def test_klantoverzicht_page(env, actor):
    env.reset()
    client = env.client(actor)
    resp = client.get("/klanten/")
    assert resp.status_code < 500
    body = resp.get_data(as_text=True)
    _no_secrets(resp)
    assert OTHER_PACKAGE not in body and OTHER_REASON not in body
    if actor == tm.AANBOD_BEHEERDER:
        assert resp.status_code == 200 and OWN_PACKAGE in body and OWN_REASON in body and "Voorbeeldstad" in body
        # asking for another supplier's id changes nothing: the own organisation is shown
        other = client.get(f"/klanten/?leverancier={env.org_ids['other_supplier']}").get_data(as_text=True)
        assert OWN_PACKAGE in other and OTHER_PACKAGE not in other and OTHER_REASON not in other
    elif actor == tm.FUNCTIONEEL_BEHEERDER:
        assert resp.status_code == 200 and OWN_PACKAGE not in body  # chooses first
        other = client.get(f"/klanten/?leverancier={env.org_ids['other_supplier']}")
        assert OTHER_PACKAGE in other.get_data(as_text=True) and OTHER_REASON in other.get_data(as_text=True)
        _no_secrets(other)
    else:
        assert resp.status_code in (302, 401, 403) or OWN_PACKAGE not in body
        assert OWN_PACKAGE not in body and OWN_REASON not in body
        other = client.get(f"/klanten/?leverancier={env.org_ids['other_supplier']}")
        assert other.status_code < 500 and OTHER_PACKAGE not in other.get_data(as_text=True)


# --- the export -------------------------------------------------------------------------
@pytest.mark.parametrize("target", ["own", "other"])
@pytest.mark.parametrize("fmt", ["csv", "xlsx"])
@pytest.mark.parametrize("actor", ACTORS)
def test_klantoverzicht_export(env, actor, fmt, target):
    env.reset()
    client = env.client(actor)
    key = "supplier" if target == "own" else "other_supplier"
    resp = client.post("/klanten/exporteren", data={"csrf_token": env.csrf[actor], "formaat": fmt,
                                                    "leverancier": str(env.org_ids[key])})
    assert resp.status_code < 500
    data = resp.get_data()
    if fmt == "xlsx" and resp.status_code == 200:
        import io

        from openpyxl import load_workbook

        book = load_workbook(io.BytesIO(data), read_only=True)
        data = " ".join(str(v) for row in book["Klanten"].iter_rows(values_only=True) for v in row).encode()
    for secret in SECRETS:
        assert secret.encode() not in data
    if actor == tm.AANBOD_BEHEERDER:  # always its own, whatever it asks for
        assert resp.status_code == 200 and OWN_PACKAGE.encode() in data and OWN_REASON.encode() in data
        assert OTHER_PACKAGE.encode() not in data
    elif actor == tm.FUNCTIONEEL_BEHEERDER:  # the supplier he chose
        wanted, unwanted = (OWN_PACKAGE, OTHER_PACKAGE) if target == "own" else (OTHER_PACKAGE, OWN_PACKAGE)
        assert resp.status_code == 200 and wanted.encode() in data and unwanted.encode() not in data
    else:
        assert resp.status_code in (302, 400, 401, 403)
        assert OWN_PACKAGE.encode() not in data and OTHER_PACKAGE.encode() not in data


@pytest.mark.parametrize("actor", ACTORS)
def test_export_over_get_is_refused(env, actor):
    env.reset()
    resp = env.client(actor).get("/klanten/exporteren?formaat=csv")
    assert resp.status_code in (302, 401, 403, 405)
    assert OWN_PACKAGE.encode() not in resp.get_data()


# --- asking a reference ------------------------------------------------------------------
@pytest.mark.parametrize("target", ["own", "other"])
@pytest.mark.parametrize("actor", ACTORS)
def test_ask_reference(env, actor, target):
    env.reset()
    # The own usage is already a reference; ask for a fresh one: drop its opt-in first.
    with env.app.app_context():
        ref = db.session.scalar(select(Reference))
        db.session.delete(ref)
        db.session.commit()
    before = references(env)
    pk = env.usages[target]
    resp = env.client(actor).post(f"/klanten/referentie/{pk}", data={"csrf_token": env.csrf[actor]})
    assert resp.status_code < 500
    _no_secrets(resp)
    after = references(env)
    if actor == tm.AANBOD_BEHEERDER and target == "own":
        assert resp.status_code == 302 and after == [(pk, False, None, True)]
    if resp.status_code == 302:
        env.client(actor).get(resp.location)  # show the flash message, so it does not show on the next cell's page
    else:
        assert resp.status_code in (302, 401, 403, 404) and after == before


@pytest.mark.parametrize("target", ["own", "other"])
@pytest.mark.parametrize("actor", ACTORS)
def test_ask_reference_over_get_is_refused(env, actor, target):
    env.reset()
    before = references(env)
    resp = env.client(actor).get(f"/klanten/referentie/{env.usages[target]}")
    assert resp.status_code in (302, 401, 403, 404, 405) and references(env) == before


# --- the municipality's reference form ------------------------------------------------------
def _gemeente_target(target):
    """For the reference form "own" is the gemeente's usage, "other" the other gemeente's."""
    return "own" if target == "own" else "other"


@pytest.mark.parametrize("target", ["own", "other"])
@pytest.mark.parametrize("actor", ACTORS)
def test_reference_form(env, actor, target):
    env.reset()
    pk = env.usages[_gemeente_target(target)]
    client = env.client(actor)
    page = client.get(f"/gebruik/referentie/{pk}")
    assert page.status_code < 500
    _no_secrets(page)
    before = references(env)
    resp = client.post(f"/gebruik/referentie/{pk}", data={
        "csrf_token": env.csrf[actor], "opted_in": "ja", "contact": "0", "contact_name": "NieuweContactMarker",
        "contact_email": "nieuw@example.org"})
    assert resp.status_code < 500
    _no_secrets(resp)
    after = references(env)
    if actor == tm.GEBRUIK_BEHEERDER and target == "own":
        assert page.status_code == 200 and OWN_PACKAGE in page.get_data(as_text=True)
        assert resp.status_code == 302 and (pk, True, "NieuweContactMarker", False) in after
    if resp.status_code == 302:
        client.get(resp.location)  # show the flash message, so it does not show on the next cell's page
    else:
        assert page.status_code in (302, 401, 403, 404)
        assert OWN_PACKAGE not in page.get_data(as_text=True) and OTHER_PACKAGE not in page.get_data(as_text=True)
        assert resp.status_code in (302, 400, 401, 403, 404) and after == before


# --- the public package page -----------------------------------------------------------------
CONTACT_READERS = {tm.GEBRUIK_BEHEERDER, tm.GEBRUIK_RAADPLEGER, tm.VNG_RAADPLEGER, tm.FUNCTIONEEL_BEHEERDER}


@pytest.mark.parametrize("actor", ACTORS)
def test_package_page_references(env, actor):
    env.reset()
    resp = env.client(actor).get(f"/catalogus/pakketten/{env.packages['own']}")
    body = resp.get_data(as_text=True)
    assert resp.status_code == 200 and "Referenties" in body and "Voorbeeldstad" in body
    assert (CONTACT in body) == (actor in CONTACT_READERS)
    assert "<strong>1</strong> gemeente gebruikt dit pakket." in body
    _no_secrets(resp)
