"""Mandatory standards of a package's referentiecomponenten: the core service (and its SQL twin), the status box
on the package page and the confirmation step before publishing a package that does not claim them all."""

from __future__ import annotations

import re

import pytest
from sqlalchemy import select

from core.catalogue import standards as std
from core.catalogue.models import Package
from core.extensions import db
from tests.f004.support import classify, make_claim, make_package, make_rc, make_standard, oblige, version_of
from tests.support.actors import csrf_token, login


@pytest.fixture
def gemma(app):
    """Zaak makes StUF-ZKN and ZGW mandatory and recommends CMIS; Dms makes CMIS and ZGW mandatory."""
    zaak, dms, other = make_rc("Zaakregistratiecomponent"), make_rc("Documentbeheercomponent"), make_rc("Ander")
    stuf = make_standard("StUF-ZKN", ("3.10", "3.20"))
    zgw = make_standard("ZGW API's", ("1.0", "1.5"))
    cmis = make_standard("CMIS", ("1.1",))
    elders = make_standard("Elders verplicht", ("1.0",))
    gone = make_standard("Vervallen", ("1.0",), in_release=False)
    oblige(zaak, stuf, "verplicht")
    oblige(zaak, zgw, "verplicht")
    oblige(zaak, cmis, "aanbevolen")
    oblige(zaak, gone, "verplicht")  # the standard left the release: it does not count
    oblige(dms, cmis, "verplicht")
    oblige(dms, zgw, "verplicht")
    oblige(other, elders, "verplicht")  # not a referentiecomponent of the packages below
    db.session.commit()
    return {"zaak": zaak, "dms": dms, "other": other, "stuf": stuf, "zgw": zgw, "cmis": cmis, "elders": elders}


def complete(org, name, status="concept", **fields) -> Package:
    """A package that passes every publishing check once it has a referentiecomponent."""
    return make_package(org, name, status=status, short_description="Zaken voor gemeenten", cloud_models="saas",
                        licence_type="proprietary", **fields)


def _matching(clause) -> set[int]:
    return set(db.session.scalars(select(Package.id).where(clause)))


# --- the service ------------------------------------------------------------------------------------------
def test_mandatory_lists_only_mandatory_standards_of_the_packages_own_referentiecomponenten(world, gemma):
    package = make_package(world.supplier, "Zaakwijzer")
    classify(package, gemma["zaak"], gemma["dms"])
    make_claim(package, version_of(gemma["zgw"], 1))
    make_claim(package, version_of(gemma["elders"]))  # claimed, but not asked for: not in the list
    result = std.standards_for_package(package.id)
    mandatory = result.mandatory
    assert [m.standaard.name for m in mandatory] == ["CMIS", "StUF-ZKN", "ZGW API's"]  # not Elders, not Vervallen
    by_name = {m.standaard.name: m for m in mandatory}
    assert [v.name for v in by_name["ZGW API's"].claimed_versions] == ["ZGW API's 1.5"]
    assert by_name["ZGW API's"].claimed and not by_name["StUF-ZKN"].claimed and not by_name["CMIS"].claimed
    # CMIS is only recommended by Zaak, mandatory by Dms: it is listed once, for Dms
    assert [rc.name for rc in by_name["CMIS"].referentiecomponenten] == ["Documentbeheercomponent"]
    assert [rc.name for rc in by_name["ZGW API's"].referentiecomponenten] == [
        "Documentbeheercomponent", "Zaakregistratiecomponent"]
    assert [s.standaard.name for s in result.missing_mandatory] == ["CMIS", "StUF-ZKN"]
    assert not result.supports_all_mandatory


def test_a_claim_on_any_version_counts_and_then_nothing_is_missing(world, gemma):
    package = make_package(world.supplier, "Zaakwijzer")
    classify(package, gemma["zaak"])
    make_claim(package, version_of(gemma["stuf"], 0))
    make_claim(package, version_of(gemma["zgw"], 0))
    result = std.standards_for_package(package.id)
    assert [m.claimed for m in result.mandatory] == [True, True]
    assert result.missing_mandatory == [] and result.supports_all_mandatory


def test_without_referentiecomponent_or_obligations_nothing_is_mandatory_and_nothing_is_missing(world, gemma):
    bare = make_package(world.supplier, "Kaal")
    free = make_package(world.supplier, "Vrij")
    classify(free, make_rc("Zonder standaarden"))
    for package in (bare, free):
        result = std.standards_for_package(package.id)
        assert result.mandatory == [] and result.supports_all_mandatory


def test_sql_clause_agrees_with_the_service(world, gemma):
    """The catalogue facet counts in SQL; it must match what the pages compute in Python."""
    full = make_package(world.supplier, "Volledig")
    classify(full, gemma["zaak"])
    make_claim(full, version_of(gemma["stuf"]))
    make_claim(full, version_of(gemma["zgw"]))
    half = make_package(world.supplier, "Half")
    classify(half, gemma["zaak"], gemma["dms"])
    make_claim(half, version_of(gemma["stuf"]))
    make_claim(half, version_of(gemma["zgw"]))  # CMIS (mandatory by Dms) is missing
    foreign_claim = make_package(world.other_supplier, "Ander claimt")
    classify(foreign_claim, gemma["dms"])
    make_claim(make_package(world.other_supplier, "Buur"), version_of(gemma["cmis"]))  # another package's claim
    bare = make_package(world.supplier, "Kaal")
    ids = [full.id, half.id, foreign_claim.id, bare.id]
    overview = std.standards_for_packages(ids)
    in_python = {pid for pid in ids if overview[pid].supports_all_mandatory}
    assert in_python == {full.id, bare.id}
    assert _matching(std.supports_all_mandatory_clause()) & set(ids) == in_python
    assert _matching(std.missing_mandatory_clause()) & set(ids) == {half.id, foreign_claim.id}


def test_version_label_does_not_repeat_the_standards_name(gemma):
    assert std.version_label(version_of(gemma["stuf"])) == "StUF-ZKN 3.10"
    version = version_of(gemma["zgw"])
    version.name = "1.0"
    assert std.version_label(version) == "ZGW API's – 1.0"


# --- the status box and the confirmation step ---------------------------------------------------------------
@pytest.fixture
def supplier(app, world):
    client = app.test_client()
    login(client, world.users["aanbod"])
    return client


def _status(pk) -> str:
    db.session.expire_all()
    return db.session.get(Package, pk).status


def _publish(client, pk, **extra):
    data = {"csrf_token": csrf_token(client, f"/pakketten/edit/{pk}"), "next": "show", **extra}
    return client.post(f"/pakketten/action/publish/{pk}", data=data)


def test_status_box_names_the_number_of_missing_mandatory_standards_with_links_to_claim_them(supplier, world,
                                                                                            gemma):
    package = complete(world.supplier, "Zaakwijzer")
    classify(package, gemma["zaak"], gemma["dms"])
    make_claim(package, version_of(gemma["zgw"]))
    page = supplier.get(f"/pakketten/show/{package.id}").get_data(as_text=True)
    box = page[page.index('id="verplichte-standaarden"'):]
    box = box[:box.index("</div>")]
    assert "2 verplichte standaarden nog niet geclaimd." in box
    assert "CMIS" in box and "StUF-ZKN" in box and "ZGW" not in box
    stuf_320 = version_of(gemma["stuf"], 1)  # the newest version is suggested
    assert f"/standaardclaims/add?_flt_0_package={package.id}&amp;standaardversie={stuf_320.id}" in box
    assert f'href="/pakketstandaarden/{package.id}"' in box
    assert "Het pakket is compleet" not in page
    assert "U wordt gevraagd het publiceren te bevestigen." in page


def test_one_missing_standard_is_singular_and_a_complete_package_has_no_box(supplier, world, gemma):
    package = complete(world.supplier, "Zaakwijzer")
    classify(package, gemma["zaak"])
    make_claim(package, version_of(gemma["zgw"]))
    page = supplier.get(f"/pakketten/show/{package.id}").get_data(as_text=True)
    assert "1 verplichte standaard nog niet geclaimd." in page
    make_claim(package, version_of(gemma["stuf"]))
    page = supplier.get(f"/pakketten/show/{package.id}").get_data(as_text=True)
    assert 'id="verplichte-standaarden"' not in page and "Het pakket is compleet en kan worden gepubliceerd." in page


def test_publishing_with_missing_standards_asks_to_confirm_and_publishes_only_after_confirming(supplier, world,
                                                                                               gemma):
    package = complete(world.supplier, "Zaakwijzer")
    classify(package, gemma["zaak"], gemma["dms"])
    resp = _publish(supplier, package.id)
    assert resp.status_code == 302 and "/pakketten/publiceren?" in resp.headers["Location"]
    assert _status(package.id) == "concept"
    page = supplier.get(resp.headers["Location"]).get_data(as_text=True)
    assert "<h1>Zaakwijzer publiceren?</h1>" in page
    assert "Zaakwijzer: 3 verplichte standaarden nog niet geclaimd" in page
    for name in ("CMIS", "StUF-ZKN", "ZGW API&#39;s"):
        assert name in page
    assert page.count(f"/standaardclaims/add?_flt_0_package={package.id}") == 3
    assert 'name="bevestigd" value="ja"' in page and "Toch publiceren" in page
    assert f'href="/pakketten/show/{package.id}">Niet publiceren' in page.replace('class="btn btn-default" ', "")
    resp = _publish(supplier, package.id, bevestigd="ja")
    assert resp.status_code == 302 and resp.headers["Location"].endswith(f"/pakketten/show/{package.id}")
    assert _status(package.id) == "gepubliceerd"
    page = supplier.get(resp.headers["Location"]).get_data(as_text=True)
    assert "Zaakwijzer is gepubliceerd." in page
    assert "Let op, Zaakwijzer: 3 verplichte standaarden nog niet geclaimd." in page
    assert "3 verplichte standaarden nog niet geclaimd." in page  # the status box stays


def test_publishing_a_package_that_claims_every_mandatory_standard_needs_no_confirmation(supplier, world, gemma):
    package = complete(world.supplier, "Zaakwijzer")
    classify(package, gemma["zaak"])
    make_claim(package, version_of(gemma["stuf"]))
    make_claim(package, version_of(gemma["zgw"]))
    resp = _publish(supplier, package.id)
    assert resp.headers["Location"].endswith(f"/pakketten/show/{package.id}")
    assert _status(package.id) == "gepubliceerd"
    bare = complete(world.supplier, "Zonder verplichtingen")
    classify(bare, make_rc("Zonder standaarden"))
    _publish(supplier, bare.id)
    assert _status(bare.id) == "gepubliceerd"


def test_incomplete_package_gets_the_problems_not_the_confirmation(supplier, world, gemma):
    package = make_package(world.supplier, "Half", status="concept")
    classify(package, gemma["zaak"])
    resp = _publish(supplier, package.id)
    assert "/pakketten/publiceren" not in resp.headers["Location"]
    page = supplier.get(resp.headers["Location"]).get_data(as_text=True)
    assert "Half is niet gepubliceerd." in page and _status(package.id) == "concept"


def test_bulk_publish_publishes_the_complete_and_asks_to_confirm_the_rest(supplier, world, gemma):
    ready = complete(world.supplier, "Klaar")
    classify(ready, make_rc("Zonder standaarden"))
    waiting = complete(world.supplier, "Wacht")
    classify(waiting, gemma["dms"])
    also = complete(world.supplier, "Ook")
    classify(also, gemma["zaak"])
    token = csrf_token(supplier, f"/pakketten/edit/{ready.id}")
    resp = supplier.post("/pakketten/action_post", data={
        "action": "publish", "csrf_token": token, "rowid": [str(ready.id), str(waiting.id), str(also.id)]})
    assert [_status(p.id) for p in (ready, waiting, also)] == ["gepubliceerd", "concept", "concept"]
    page = supplier.get(resp.headers["Location"]).get_data(as_text=True)
    assert "Klaar is gepubliceerd." in page and "<h1>Pakketten publiceren?</h1>" in page
    assert "Wacht: 2 verplichte standaarden nog niet geclaimd" in page
    assert "Ook: 2 verplichte standaarden nog niet geclaimd" in page
    form = page[page.index('action="/pakketten/action_post"'):]
    form = form[:form.index("</form>")]
    assert re.findall(r'name="rowid" value="(\d+)"', form) == [str(waiting.id), str(also.id)]
    resp = supplier.post("/pakketten/action_post", data={
        "action": "publish", "csrf_token": token, "rowid": [str(waiting.id), str(also.id)], "bevestigd": "ja"})
    assert resp.headers["Location"].endswith("/pakketten/list/")
    assert [_status(p.id) for p in (waiting, also)] == ["gepubliceerd", "gepubliceerd"]


def test_confirmation_page_shows_no_package_of_another_supplier(supplier, world, gemma):
    foreign = complete(world.other_supplier, "Geheim pakket")
    classify(foreign, gemma["zaak"])
    resp = supplier.get(f"/pakketten/publiceren?pk={foreign.id}&pk=abc")
    assert resp.status_code == 302
    assert "Geheim pakket" not in supplier.get(resp.headers["Location"]).get_data(as_text=True)
    # and the confirmed action does not publish it either
    token = csrf_token(supplier, "/pakketten/add")
    supplier.post("/pakketten/action_post", data={"action": "publish", "csrf_token": token,
                                                  "rowid": [str(foreign.id)], "bevestigd": "ja"})
    assert _status(foreign.id) == "concept"
