"""The real supplier registers after municipalities named it as a concept: approving links the concept.

A municipality registered "Raadsinformatie" for "Gemeentesoft B.V.", which was not in the
catalogue (F004 made a concept organisation). When Gemeentesoft BV registers, the
Functioneel beheerder sees the concept on the registration and approves with it linked: the
package moves to the registered supplier, which can take it over; the concept is gone.
"""

from __future__ import annotations

import pytest

from core.catalogue.models import Package
from core.concepts import link_concept, matching_concepts, name_key
from core.events import ConceptSupplierLinked
from core.extensions import db
from core.models import AuditLog, Organisation
from core.plugins import hookimpl
from tests.f001.conftest import post_action
from tests.support.actors import csrf_token, login


@pytest.mark.parametrize("a, b", [
    ("Gemeentesoft BV", "gemeentesoft b.v."),
    ("Gemeentesoft B.V.", "GEMEENTESOFT"),
    ("Café Soft N.V.", "cafe soft"),
    ("De Vries & Zn.", "de vries zn"),
])
def test_names_match_without_case_accents_punctuation_and_legal_form(a, b):
    assert name_key(a) == name_key(b)


def test_different_names_do_not_match():
    assert name_key("Gemeentesoft BV") != name_key("Gemeentesoft Plus BV")
    assert name_key("B.V.") == ""  # nothing left to compare: matches nothing (see matching_concepts)


def _concept(world, name="Gemeentesoft B.V."):
    concept = Organisation(name=name, type="leverancier", status="concept",
                           created_by_organisation_id=world.gemeente.id)
    db.session.add(concept)
    db.session.flush()
    package = Package(organisation_id=concept.id, name="Raadsinformatie", status="concept",
                      registered_by_id=world.gemeente.id, takeover_pending=True)
    db.session.add(package)
    db.session.commit()
    return concept.id, package.id


def test_the_registration_shows_the_concept_and_approving_links_it(app, world, fb, confirmed):
    concept_id, package_id = _concept(world)
    reg = confirmed
    detail = fb.get(f"/beheer/aanmeldingen/show/{reg.id}").get_data(as_text=True)
    assert "Deze leverancier staat al als concept in de catalogus" in detail
    assert "Koppel Gemeentesoft B.V. (aangemaakt door gemeente Voorbeeldstad," in detail
    assert "1 pakket)" in detail

    resp = fb.post(f"/beheer/aanmeldingen/goedkeuren/{reg.id}",
                   data={"csrf_token": csrf_token(fb, f"/beheer/aanmeldingen/show/{reg.id}"),
                         "concept": str(concept_id)}, follow_redirects=True)
    page = resp.get_data(as_text=True)
    assert "Het concept Gemeentesoft B.V. is gekoppeld: 1 aangemelde pakket staat nu bij Gemeentesoft BV" in page
    db.session.expire_all()
    assert db.session.get(Organisation, concept_id) is None
    package = db.session.get(Package, package_id)
    assert package.organisation_id == reg.organisation_id and package.takeover_pending
    assert package.registered_by_id == world.gemeente.id  # the municipality still hears about the takeover
    [row] = db.session.query(AuditLog).filter_by(action="concept_leverancier_koppelen").all()
    assert row.organisation_id == reg.organisation_id and '"pakketten": 1' in row.details

    # The supplier finds the package among those to take over.
    supplier = app.test_client()
    login(supplier, db.session.query(Organisation).get(reg.organisation_id).memberships[0].user)
    assert "Raadsinformatie" in supplier.get("/over-te-nemen/").get_data(as_text=True)


def test_approving_without_ticking_the_concept_keeps_it(app, world, fb, confirmed):
    concept_id, package_id = _concept(world)
    reg = confirmed
    assert post_action(fb, reg.id, "goedkeuren").status_code == 302
    db.session.expire_all()
    assert db.session.get(Organisation, concept_id).status == "concept"
    assert db.session.get(Package, package_id).organisation_id == concept_id


def test_a_forged_concept_id_links_nothing(app, world, fb, confirmed):
    """Only concepts named like the registration can be linked, whatever the form sends."""
    other_concept = Organisation(name="Heel Andere Leverancier", type="leverancier", status="concept")
    db.session.add(other_concept)
    db.session.commit()
    reg = confirmed
    resp = post_action(fb, reg.id, "goedkeuren", concept=[str(other_concept.id), str(world.supplier.id)])
    assert resp.status_code == 302
    db.session.expire_all()
    assert db.session.get(Organisation, other_concept.id).status == "concept"
    assert db.session.get(Organisation, world.supplier.id).status == "goedgekeurd"
    assert db.session.get(Organisation, reg.organisation_id).status == "goedgekeurd"


def test_a_registration_without_a_concept_shows_no_choice(fb, world, confirmed):
    _concept(world, name="Iemand Anders BV")
    detail = fb.get(f"/beheer/aanmeldingen/show/{confirmed.id}").get_data(as_text=True)
    assert "staat al als concept" not in detail


def test_link_concept_emits_the_event_before_the_concept_goes(make_app):
    seen = []

    class Listener:
        @hookimpl
        def on_event(self, event):
            if isinstance(event, ConceptSupplierLinked):
                seen.append((event.concept_id, event.organisation_id,
                             db.session.get(Organisation, event.concept_id) is not None))

    app = make_app(plugins=[Listener()])
    with app.app_context():
        from tests.support.actors import World

        world = World.build(app)
        concept_id, _ = _concept(world, name="ICT Solutions B.V.")
        assert [c.id for c in matching_concepts(world.supplier)] == [concept_id]
        concept = db.session.get(Organisation, concept_id)
        assert link_concept(concept, world.supplier) == 1
        db.session.commit()
        assert seen == [(concept_id, world.supplier.id, True)]
        assert matching_concepts(world.supplier) == []
        with pytest.raises(ValueError):
            link_concept(world.other_supplier, world.supplier)
