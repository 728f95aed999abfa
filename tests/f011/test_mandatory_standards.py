"""Mandatory standards in the public catalogue: the facet "Ondersteunt alle verplichte standaarden", the package
page and the comparison (per package: which standards its referentiecomponenten make mandatory, claimed or not)."""

from __future__ import annotations

import pytest

from core.extensions import db
from core.gemma.models import StandaardVerplichting
from tests.f011 import factory as f
from tests.f011.conftest import checked, facet, results
from tests.f011.test_compare_and_shelves import compare, row

LABEL = "Ondersteunt alle verplichte standaarden"


@pytest.fixture
def rules(shop, world):
    """Zaak makes ZGW and StUF-ZKN mandatory, Archief StUF-ZKN: e-Suite (zaak, claims ZGW) misses StUF-ZKN;
    Café Archief and Zaakwijzer Open claim all; Los Pakket has no referentiecomponent, Vrij Pakket one without
    obligations: they miss nothing, so they match the filter."""
    for rc, versie in ((shop.zaak, shop.zgw), (shop.zaak, shop.stuf), (shop.archief, shop.stuf)):
        db.session.add(StandaardVerplichting(referentiecomponent_id=rc.id, standaard_id=versie.standaard_id,
                                             kind="verplicht"))
    db.session.commit()
    shop.los = f.package(world.other_supplier, "Los Pakket", cloud_models="saas", licence_type="proprietary")
    shop.vrij = f.package(world.other_supplier, "Vrij Pakket", rcs=[f.rc("Zonder standaarden")],
                          cloud_models="saas", licence_type="proprietary")
    return shop


def _page(client, query: str = "") -> str:
    return client.get(f"/catalogus/?{query}").get_data(as_text=True)


def test_facet_counts_the_packages_that_miss_no_mandatory_standard(client, rules):
    page = _page(client)
    assert len(results(page)) == 5
    assert facet(page, "verplicht") == {LABEL: 4}


def test_facet_filters_and_a_package_without_obligations_matches(client, rules):
    page = _page(client, "verplicht=ja")
    assert sorted(results(page)) == ["Café Archief", "Los Pakket", "Vrij Pakket", "Zaakwijzer Open"]
    assert "e-Suite" not in results(page) and checked(page, "verplicht") == ["ja"]
    assert f"Verplichte standaarden: {LABEL}" in page  # the active-filter chip
    assert facet(page, "verplicht") == {LABEL: 4}  # its own selection does not change its count


def test_facet_counts_follow_the_other_filters_and_combine_with_them(client, rules):
    page = _page(client, f"rc={rules.zaak.id}")
    assert sorted(results(page)) == ["Zaakwijzer Open", "e-Suite"]
    assert facet(page, "verplicht") == {LABEL: 1}
    page = _page(client, f"rc={rules.zaak.id}&verplicht=ja&q=zaak")
    assert results(page) == ["Zaakwijzer Open"]
    page = _page(client, "verplicht=ja")
    assert facet(page, "rc") == {"Archiefcomponent": 2, "Zaakafhandelcomponent": 1, "Zonder standaarden": 1}


def test_facet_never_counts_hidden_packages(client, rules):
    # the concept and the package of the unapproved supplier miss StUF-ZKN / nothing alike: never counted
    page = _page(client, "verplicht=ja&q=geheim")
    assert results(page) == [] and facet(page, "verplicht") == {LABEL: 0}


def test_an_unknown_value_is_ignored(client, rules):
    assert len(results(_page(client, "verplicht=nee"))) == 5


def test_package_page_shows_per_mandatory_standard_supported_or_not_claimed(client, rules):
    page = client.get(f"/catalogus/pakketten/{rules.a.public_id}").get_data(as_text=True)
    section = page[page.index('id="kop-verplicht"'):]
    section = section[:section.index("</section>")]
    assert "e-Suite ondersteunt 1 van de 2 standaarden die de referentiecomponenten verplicht maken." in section
    stuf = section[section.index("<td>StUF-ZKN</td>"):]
    assert stuf[:stuf.index("</tr>")].endswith("<td><strong>Niet geclaimd</strong></td>\n          ")
    zgw = section[section.index("<td>ZGW API&#39;s</td>"):]
    zgw = zgw[:zgw.index("</tr>")]
    assert "<td>Zaakafhandelcomponent</td>" in zgw and "Ondersteund (ZGW API&#39;s 1.0)" in zgw


def test_package_page_says_plainly_when_nothing_is_mandatory(client, rules):
    page = client.get(f"/catalogus/pakketten/{rules.los.public_id}").get_data(as_text=True)
    assert "Geen verplichte standaarden: het pakket is niet ingedeeld op een referentiecomponent." in page
    page = client.get(f"/catalogus/pakketten/{rules.vrij.public_id}").get_data(as_text=True)
    assert "Geen verplichte standaarden: de referentiecomponenten van dit pakket maken geen standaard verplicht." \
        in page


def test_compare_has_a_row_per_mandatory_standard_and_a_summary(client, rules):
    page = compare(client, rules.a.public_id, rules.b.public_id, rules.los.public_id)
    assert row(page, "Verplichte standaarden").endswith(
        "<td>1 van 2 ondersteund</td><td>1 van 1 ondersteund</td><td>Geen verplichte standaarden</td>")
    assert row(page, "Verplicht: StUF-ZKN").endswith(
        "<td><strong>Niet geclaimd</strong></td><td>Ondersteund</td><td>Niet verplicht</td>")
    assert row(page, "Verplicht: ZGW API&#39;s").endswith(
        "<td>Ondersteund</td><td>Niet verplicht</td><td>Niet verplicht</td>")
    assert page.index("Verplicht: StUF-ZKN") < page.index("Verplicht: ZGW API&#39;s")


def test_compare_says_when_a_standard_is_claimed_where_it_is_not_mandatory(client, rules, world):
    extra = f.package(world.other_supplier, "Extra", rcs=[rules.archief], standards=[rules.stuf, rules.zgw])
    page = compare(client, rules.a.public_id, extra.public_id)
    assert row(page, "Verplicht: ZGW API&#39;s").endswith(
        "<td>Ondersteund</td><td>Niet verplicht, wel ondersteund</td>")


def test_compare_does_not_repeat_the_standards_name_in_its_version(client, rules):
    page = compare(client, rules.a.public_id, rules.c.public_id)
    standards = row(page, "Standaarden")
    assert "ZGW API&#39;s 1.0" in standards and "StUF-ZKN 3.10" in standards
    assert "ZGW API&#39;s ZGW API&#39;s" not in standards and "StUF-ZKN StUF-ZKN" not in standards
