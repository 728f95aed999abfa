"""Usage proposals through the shared tenancy matrix, plus the decisions (accept, reject, withdraw) per role.

Sent proposals (``/voorstellen``, ``/api/v1/voorstellen``, tenant column ``supplier_id``): the
Aanbod-beheerder reads and makes its own organisation's, for its own published packages only; a
forged package of another supplier is refused in Dutch and makes no row. Incoming proposals
(``/gebruik/voorstellen``, ``/api/v1/ontvangen-voorstellen``): the gemeente's Gebruik-beheerder and
Gebruik-raadpleger read their own, never another gemeente's. The Functioneel beheerder reads all.
Nobody edits or deletes a proposal; the decisions are checked per role below.
"""

from __future__ import annotations

import itertools

import pytest
from sqlalchemy import select

from core.catalogue.models import Package, Usage
from core.extensions import db
from plugins.f013_gebruik.models import Proposal, UsageChange
from tests.support import tenancy_matrix as tm

PLUGIN = "plugins.f013_gebruik.hooks"
_numbers = itertools.count(1)


def _package(org, status="gepubliceerd") -> Package:
    package = Package(organisation_id=org.id, name=f"Voorstelpakket {next(_numbers)}", status=status)
    db.session.add(package)
    db.session.flush()
    return package


def _org(name):
    return db.session.scalar(select(tm.Organisation).filter_by(name=name))


def sent_row(supplier, marker):
    """A proposal of ``supplier`` (its note is the marker) to Voorbeeldstad."""
    row = Proposal(organisation_id=_org("Voorbeeldstad").id, supplier_id=supplier.id,
                   package_id=_package(supplier).id, status="in_productie", state="open", note=marker)
    db.session.add(row)
    return row


def incoming_row(gemeente, marker):
    """A proposal of ICT Solutions BV to ``gemeente`` (its note is the marker)."""
    supplier = _org("ICT Solutions BV")
    row = Proposal(organisation_id=gemeente.id, supplier_id=supplier.id, package_id=_package(supplier).id,
                   status="in_productie", state="open", note=marker)
    db.session.add(row)
    return row


def add_form(supplier, marker):
    """Claims a proposal of ``supplier``: a package of that supplier (another supplier's is forged)."""
    package = _package(supplier)
    db.session.commit()
    return {"organisation": str(_org("Voorbeeldstad").id), "package": str(package.id), "version": "",
            "status": "in_productie", "status_date": "", "note": marker}


def api_add(supplier, marker):
    package = _package(supplier)
    db.session.commit()
    return {"organisation": _org("Voorbeeldstad").id, "package": package.id, "status": "in_productie",
            "note": marker}


WATCH = (Usage, UsageChange)

SENT = tm.TenancySpec(
    name="voorstellen",
    model=Proposal,
    view="/voorstellen",
    api="/api/v1/voorstellen",
    tenant_column="supplier_id",
    marker_field="note",
    make_row=sent_row,
    add_form=add_form,
    api_add=api_add,
    rights={
        tm.AANBOD_BEHEERDER: tm.Rights(read=tm.OWN, add=tm.OWN),
        tm.FUNCTIONEEL_BEHEERDER: tm.Rights(read=tm.ALL),
    },
    owner_types=("leverancier",),
    watch=WATCH,
)

INCOMING = tm.TenancySpec(
    name="ontvangen-voorstellen",
    model=Proposal,
    view="/gebruik/voorstellen",
    api="/api/v1/ontvangen-voorstellen",
    marker_field="note",
    make_row=incoming_row,
    rights={
        tm.GEBRUIK_BEHEERDER: tm.Rights(read=tm.OWN),
        tm.GEBRUIK_RAADPLEGER: tm.Rights(read=tm.OWN),
        tm.FUNCTIONEEL_BEHEERDER: tm.Rights(read=tm.ALL),
    },
    owner_types=("gemeente",),
    watch=WATCH,
)

matrix_env = tm.environment(plugins=[PLUGIN])


@pytest.mark.parametrize("cell", SENT.cells())
def test_sent_proposals_tenancy(matrix_env, cell):
    tm.check(matrix_env, SENT, cell)


@pytest.mark.parametrize("cell", INCOMING.cells())
def test_incoming_proposals_tenancy(matrix_env, cell):
    tm.check(matrix_env, INCOMING, cell)


# --- the decisions: who may accept, reject and withdraw which proposal -----------------------------

ACTORS = [tm.AANBOD_BEHEERDER, tm.GEBRUIK_BEHEERDER, tm.GEBRUIK_RAADPLEGER, tm.VNG_RAADPLEGER,
          tm.FUNCTIONEEL_BEHEERDER, tm.ANONYMOUS, tm.NO_ORGANISATION]
#: (actor, the proposal's owner) -> may decide (accept/reject) / may withdraw.
DECIDERS = {(tm.GEBRUIK_BEHEERDER, "own"), (tm.FUNCTIONEEL_BEHEERDER, "own"), (tm.FUNCTIONEEL_BEHEERDER, "other")}
#: (the Functioneel beheerder holds every permission: he may withdraw for a supplier too)
WITHDRAWERS = {(tm.AANBOD_BEHEERDER, "own"), (tm.FUNCTIONEEL_BEHEERDER, "own"), (tm.FUNCTIONEEL_BEHEERDER, "other")}


def _proposal(env, gemeente_key, supplier_key):
    with env.app.app_context():
        marker = tm.new_marker()
        supplier = db.session.get(tm.Organisation, env.org_ids[supplier_key])
        row = Proposal(organisation_id=env.org_ids[gemeente_key], supplier_id=supplier.id,
                       package_id=_package(supplier).id, status="in_productie", state="open", note=marker)
        db.session.add(row)
        db.session.commit()
        return row.id, marker


def _state(env, pk):
    with env.app.app_context():
        db.session.remove()
        return db.session.get(Proposal, pk).state, db.session.query(Usage).count()


def _target(actor, whose):
    """The proposal an actor tries: "own" is to its own gemeente / from its own supplier, "other" not."""
    if actor == tm.AANBOD_BEHEERDER:
        return ("gemeente", "supplier") if whose == "own" else ("gemeente", "other_supplier")
    return ("gemeente", "supplier") if whose == "own" else ("other_gemeente", "supplier")


DECISIONS = [
    ("page-accept", "post", "/gebruik/voorstellen/besluit/{pk}", {"besluit": "accepteren"}, "geaccepteerd"),
    ("page-correct", "post", "/gebruik/voorstellen/besluit/{pk}",
     {"besluit": "corrigeren", "status": "gepland", "version": ""}, "geaccepteerd"),
    ("page-reject", "post", "/gebruik/voorstellen/besluit/{pk}", {"besluit": "afwijzen", "reason": "nee"},
     "afgewezen"),
    ("api-accept", "api", "/api/v1/ontvangen-voorstellen/{pk}/accepteren", {}, "geaccepteerd"),
    ("api-reject", "api", "/api/v1/ontvangen-voorstellen/{pk}/afwijzen", {"reason": "nee"}, "afgewezen"),
    ("page-withdraw", "post", "/voorstellen/intrekken/{pk}", {}, "ingetrokken"),
    ("api-withdraw", "api", "/api/v1/voorstellen/{pk}/intrekken", {}, "ingetrokken"),
]


@pytest.mark.parametrize("actor", ACTORS, ids=[tm.ACTORS[a].slug for a in ACTORS])
@pytest.mark.parametrize("whose", ["own", "other"])
@pytest.mark.parametrize("decision", DECISIONS, ids=[d[0] for d in DECISIONS])
def test_who_decides_and_withdraws(matrix_env, actor, whose, decision):
    name, how, path, data, final = decision
    env = matrix_env
    env.reset()
    if actor in (tm.ANONYMOUS, tm.NO_ORGANISATION, tm.VNG_RAADPLEGER) and whose == "other":
        pytest.skip("no own organisation to tell apart")
    pk, marker = _proposal(env, *_target(actor, whose))
    client = env.client(actor)
    url = path.format(pk=pk)
    if how == "api":
        resp = client.post(url, json=data, headers=env.api_headers(actor))
    else:
        resp = client.post(url, data=dict(data, csrf_token=env.csrf[actor]))
    assert resp.status_code < 500
    allowed = (actor, whose) in (WITHDRAWERS if "withdraw" in name else DECIDERS)
    state, usages = _state(env, pk)
    if allowed:
        assert state == final, f"{name} by {actor} on {whose}: {resp.status_code}"
        assert usages == (1 if final == "geaccepteerd" else 0)
    else:
        assert (state, usages) == ("open", 0), f"{name} by {actor} on {whose} changed the proposal"
        assert marker not in resp.get_data(as_text=True)


def test_a_supplier_reads_no_landscape_and_no_incoming_proposals(matrix_env):
    env = matrix_env
    env.reset()
    pk, marker = _proposal(env, "gemeente", "supplier")
    client = env.client(tm.AANBOD_BEHEERDER)
    for path in ("/gebruik/list/", "/gebruik/voorstellen/list/", f"/gebruik/voorstellen/show/{pk}"):
        resp = client.get(path, follow_redirects=True)
        assert resp.status_code < 500 and marker not in resp.get_data(as_text=True), path
    resp = client.get("/api/v1/ontvangen-voorstellen/", headers=env.api_headers(tm.AANBOD_BEHEERDER))
    assert resp.status_code in (401, 403) and marker not in resp.get_data(as_text=True)
    resp = client.get("/api/v1/gebruik/", headers=env.api_headers(tm.AANBOD_BEHEERDER))
    assert resp.status_code in (401, 403)


@pytest.mark.parametrize("via", ["page", "api"])
def test_a_forged_concept_package_is_refused_in_dutch_and_makes_no_row(matrix_env, via):
    env = matrix_env
    env.reset()
    with env.app.app_context():
        supplier = db.session.get(tm.Organisation, env.org_ids["supplier"])
        concept = _package(supplier, status="concept")
        db.session.commit()
        concept_id = concept.id
    client = env.client(tm.AANBOD_BEHEERDER)
    if via == "api":
        resp = client.post("/api/v1/voorstellen/", headers=env.api_headers(tm.AANBOD_BEHEERDER),
                           json={"organisation": env.org_ids["gemeente"], "package": concept_id})
        message = resp.json["message"]
    else:
        resp = client.post("/voorstellen/add", data={
            "organisation": str(env.org_ids["gemeente"]), "package": str(concept_id), "status": "in_productie",
            "csrf_token": env.csrf[tm.AANBOD_BEHEERDER]})
        message = resp.get_data(as_text=True)
    assert resp.status_code == 400
    assert "gepubliceerd pakket van uw eigen organisatie" in message
    with env.app.app_context():
        assert db.session.query(Proposal).count() == 0
