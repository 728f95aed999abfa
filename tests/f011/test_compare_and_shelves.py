"""F011 comparing 2 to 4 packages, the GEMMA shelf and the supplier's packages on its public page."""

from __future__ import annotations

import pytest

from tests.f011 import factory as f
from tests.f011.conftest import results


def compare(client, *ids, status: int = 200) -> str:
    query = "&".join(f"p={i}" for i in ids)
    resp = client.get(f"/catalogus/vergelijken?{query}")
    assert resp.status_code == status
    return resp.get_data(as_text=True)


def row(page: str, header: str) -> str:
    start = page.index(f'<th scope="row">{header}</th>')
    return page[start:page.index("</tr>", start)]


def test_compare_two_packages_side_by_side(client, shop):
    page = compare(client, shop.a.public_id, shop.b.public_id)
    assert page.count("<h1") == 1
    head = page[page.index("<thead>"):page.index("</thead>")]
    assert head.index("e-Suite") < head.index("Café Archief")  # in the order chosen
    assert "<td>ICT Solutions BV</td>" not in page and "ICT Solutions BV" in row(page, "Leverancier")
    assert row(page, "Aantal gemeenten").endswith("<td>2</td><td>1</td>")
    assert "Zaakafhandelcomponent" in row(page, "Referentiecomponenten")
    assert "ZGW API&#39;s 1.0" in row(page, "Standaarden") and "StUF-ZKN 3.10" in row(page, "Standaarden")
    assert "SaaS" in row(page, "Cloudmodel") and "Hybride" in row(page, "Cloudmodel")
    assert "Gesloten bron" in row(page, "Licentie") and "Open source (EUPL-1.2)" in row(page, "Licentie")
    assert "Technisch beheer / hosting door Concurrent BV" in row(page, "Diensten")
    assert "Dienst van onbekende" not in page and "applicatiebeheer" not in row(page, "Diensten").lower()


def test_compare_up_to_four_and_versions(client, shop, world):
    f.version(shop.c, "2.1", status="einde_ondersteuning")
    d = f.package(world.other_supplier, "Vierde Pakket")
    page = compare(client, shop.a.public_id, shop.b.public_id, shop.c.public_id, d.public_id)
    assert "2.1 (Einde ondersteuning)" in row(page, "Versies")
    assert row(page, "Aantal gemeenten").endswith("<td>2</td><td>1</td><td>0</td><td>0</td>")


@pytest.mark.parametrize("choice, message", [
    ((), "Kies minstens twee pakketten"),
    (("a",), "Kies minstens twee pakketten"),
    (("a", "a"), "Kies minstens twee pakketten"),  # the same package twice is one package
    (("a", "b", "c", "x1", "x2"), "hoogstens 4 pakketten"),
    (("a", "concept"), "bestaan niet (meer) of zijn niet openbaar"),
    (("a", "pending"), "bestaan niet (meer) of zijn niet openbaar"),
    (("a", "x<y>"), "bestaan niet (meer) of zijn niet openbaar"),
])
def test_compare_refuses_with_a_dutch_message(client, shop, world, choice, message):
    ids = {"a": shop.a.public_id, "b": shop.b.public_id, "c": shop.c.public_id, "concept": shop.concept.public_id,
           "pending": shop.pending.public_id}
    extra = {f"x{n}": f.package(world.supplier, f"Extra {n}").public_id for n in (1, 2) if f"x{n}" in choice}
    ids.update(extra)
    page = compare(client, *(ids.get(c, c) for c in choice), status=400)
    assert message in page and "Geheim Concept" not in page and "Verborgen Pakket" not in page


def test_search_results_offer_a_compare_checkbox_that_leads_to_the_comparison(client, shop):
    page = client.get("/catalogus/").get_data(as_text=True)
    assert 'action="/catalogus/vergelijken"' in page
    assert f'name="p" value="{shop.a.public_id}"> Vergelijk e-Suite' in page
    assert len(results(page)) == 3 and page.count('name="p" value=') == 3


def test_gemma_shelf_lists_public_packages_with_supplier(client, shop, world):
    page = client.get(f"/gemma/referentiecomponenten/{shop.zaak.object_id}").get_data(as_text=True)
    shelf = page[page.index("Pakketten op deze plank"):]
    assert f'<a href="/catalogus/pakketten/{shop.a.public_id}">e-Suite</a>' in shelf
    assert f'<a href="/catalogus/pakketten/{shop.c.public_id}">Zaakwijzer Open</a>' in shelf
    assert f'<a href="/leveranciers/{world.supplier.id}">ICT Solutions BV</a>' in shelf
    assert "Café Archief" not in shelf and "Geheim Concept" not in shelf and "Verborgen Pakket" not in shelf
    assert f'href="/catalogus/?rc={shop.zaak.id}"' in shelf
    empty = f.rc("Lege plank")
    page = client.get(f"/gemma/referentiecomponenten/{empty.object_id}").get_data(as_text=True)
    assert "Er zijn nog geen gepubliceerde pakketten op deze referentiecomponent ingedeeld." in page


def test_supplier_page_lists_its_public_packages(client, shop, world):
    page = client.get(f"/leveranciers/{world.supplier.id}").get_data(as_text=True)
    section = page[page.index("<h2>Pakketten</h2>"):page.index("<h2>Contactgegevens</h2>")]
    assert f'href="/catalogus/pakketten/{shop.a.public_id}">e-Suite</a>' in section
    assert "Zaakwijzer Open" in section and "Zaakafhandelcomponent" in section
    assert "Geheim Concept" not in section and "Café Archief" not in section
    page = client.get(f"/leveranciers/{world.other_supplier.id}").get_data(as_text=True)
    assert "Café Archief" in page
    from tests.support.actors import make_org

    page = client.get(f"/leveranciers/{make_org('Lege Leverancier BV').id}").get_data(as_text=True)
    assert "Deze leverancier heeft nog geen gepubliceerde pakketten." in page


def test_catalogue_is_in_the_menu_and_on_the_start_page(client, shop):
    page = client.get("/").get_data(as_text=True)
    assert 'href="/catalogus/"' in page and "Zoek in de catalogus" in page
    menu = client.get("/leveranciers/").get_data(as_text=True)
    assert 'href="/catalogus/"' in menu and "Catalogus</a>" in menu
