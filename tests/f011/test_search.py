"""F011 search: free text (case, accents, punctuation, several words), facets with counts,
combined filters, sort orders, pagination, shareable URLs, hidden packages and bad input."""

from __future__ import annotations

import datetime as dt
from urllib.parse import parse_qsl, urlencode

import pytest
from sqlalchemy import select

from core.catalogue.models import Package
from core.extensions import db
from core.models import Organisation
from tests.f011 import factory as f
from tests.f011.conftest import checked, facet, results

ALL = ["Café Archief", "e-Suite", "Zaakwijzer Open"]


def search(client, **params) -> str:
    resp = client.get("/catalogus/?" + urlencode(params, doseq=True))
    assert resp.status_code == 200, resp.get_data(as_text=True)[:500]
    return resp.get_data(as_text=True)


# --------------------------------------------------------------------------- search text upkeep
def test_search_text_is_normalised_and_follows_changes_of_package_and_supplier(app, world, shop):
    assert shop.a.search_text == "esuite zaakgericht werken voor gemeenten ict solutions bv"
    assert "cafe archief" in shop.b.search_text and "zaakdossiers" in shop.b.search_text
    shop.a.short_description = "Nieuwe omschrijving"
    db.session.commit()
    assert db.session.scalar(select(Package.search_text).filter_by(id=shop.a.id)).endswith(
        "nieuwe omschrijving ict solutions bv")

    before = db.session.scalar(select(Package.changed_on).filter_by(id=shop.c.id))
    org = db.session.get(Organisation, world.supplier.id)
    org.name = "Gemeentelijke Sóftware Groep"
    db.session.commit()
    db.session.expire_all()
    texts = db.session.scalars(select(Package.search_text).filter_by(organisation_id=world.supplier.id)).all()
    assert texts and all(t.endswith("gemeentelijke software groep") for t in texts)
    # a supplier's new name is no change of its packages ("last changed" stays)
    assert db.session.scalar(select(Package.changed_on).filter_by(id=shop.c.id)) == before


def test_search_by_new_supplier_name_after_rename(app, world, shop, client):
    db.session.get(Organisation, world.other_supplier.id).name = "Archiefmeesters"
    db.session.commit()
    assert results(search(client, q="archiefmeesters")) == ["Café Archief"]
    assert results(search(client, q="concurrent")) == []


# --------------------------------------------------------------------------- free text
@pytest.mark.parametrize("query, expected", [
    ("e-Suite", ["e-Suite"]),
    ("esuite", ["e-Suite"]),
    ("E-SUITE", ["e-Suite"]),
    ("cafe", ["Café Archief"]),
    ("CAFÉ", ["Café Archief"]),
    ("zaakafhandelcomponent", []),  # a shelf is a filter, not text of the package
    ("zaak", ALL),  # name, description (long or short) or supplier
    ("zaak archief", ["Café Archief"]),  # every word must match
    ("zaak open", ["Zaakwijzer Open"]),
    ("archief zaakdossiers", ["Café Archief"]),  # long description
    ("Concurrent", ["Café Archief"]),  # supplier name
    ("ict solutions", ["e-Suite", "Zaakwijzer Open"]),
    ("zaakwijzer onbekendwoord", []),
    ("100%", []),  # LIKE wildcards are no wildcards
    ("_", ALL),  # nothing left to search for
])
def test_free_text_ignores_case_accents_and_punctuation_and_needs_every_word(client, shop, query, expected):
    assert results(search(client, q=query)) == expected


def test_hidden_packages_are_never_found_or_counted(client, shop, world):
    page = search(client)
    assert results(page) == ALL
    for q in ("geheim", "verborgen", "nieuw aangemeld"):
        assert results(search(client, q=q)) == []
    assert "Nieuw Aangemeld BV" not in page and facet(page, "rc")["Zaakafhandelcomponent"] == 2
    # not even by forcing the supplier filter of an unapproved supplier
    page = search(client, leverancier=shop.pending_org.id)
    assert results(page) == [] and "Nieuw Aangemeld BV" not in page
    # the owner and VNG do not see concepts in the public search either
    from tests.support.actors import login

    login(client, world.users["aanbod"])
    assert "Geheim Concept" not in search(client)


def test_empty_result_says_so_clearly(client, shop):
    page = search(client, q="bestaatnietxyz")
    assert results(page) == []
    assert "Geen pakketten gevonden voor “bestaatnietxyz”." in page
    assert "0 pakketten gevonden" in page


# --------------------------------------------------------------------------- facets
def test_every_facet_counts_the_public_packages(client, shop):
    page = search(client)
    assert facet(page, "rc") == {"Archiefcomponent": 2, "Zaakafhandelcomponent": 2}
    assert facet(page, "standaard") == {"StUF-ZKN": 2, "ZGW API's": 2}
    assert facet(page, "cloud") == {"On-premises": 1, "SaaS": 2, "Hybride": 1}
    assert facet(page, "licentie") == {"Open source": 2, "Gesloten bron": 1}
    assert facet(page, "leverancier") == {"Concurrent BV": 1, "ICT Solutions BV": 2}
    # the service of an unapproved supplier does not count
    assert facet(page, "dienst") == {"Technisch beheer / hosting": 1, "Opleidingen": 1}


@pytest.mark.parametrize("name, value, expected", [
    ("rc", "zaak", ["e-Suite", "Zaakwijzer Open"]),
    ("rc", "archief", ["Café Archief", "Zaakwijzer Open"]),
    ("standaard", "zgw", ["e-Suite", "Zaakwijzer Open"]),
    ("standaard", "stuf", ["Café Archief", "Zaakwijzer Open"]),
    ("cloud", "saas", ["e-Suite", "Zaakwijzer Open"]),
    ("cloud", "hybride", ["Café Archief"]),
    ("licentie", "open_source", ["Café Archief", "Zaakwijzer Open"]),
    ("licentie", "proprietary", ["e-Suite"]),
    ("leverancier", "other", ["Café Archief"]),
    ("dienst", "technisch_beheer", ["e-Suite"]),
    ("dienst", "opleidingen", ["Zaakwijzer Open"]),
    ("dienst", "applicatiebeheer", []),  # offered only by an unapproved supplier
])
def test_each_facet_filters(client, shop, world, name, value, expected):
    ids = {"zaak": shop.zaak.id, "archief": shop.archief.id, "zgw": shop.zgw.standaard_id,
           "stuf": shop.stuf.standaard_id, "other": world.other_supplier.id}
    page = search(client, **{name: ids.get(value, value)})
    assert results(page) == expected
    assert checked(page, name) == [str(ids.get(value, value))]


def test_counts_reflect_the_other_active_filters(client, shop):
    page = search(client, rc=shop.zaak.id)
    assert results(page) == ["e-Suite", "Zaakwijzer Open"]
    # the own facet keeps its counts, so the other choice stays visible
    assert facet(page, "rc") == {"Archiefcomponent": 2, "Zaakafhandelcomponent": 2}
    assert facet(page, "standaard") == {"StUF-ZKN": 1, "ZGW API's": 2}
    assert facet(page, "licentie") == {"Open source": 1, "Gesloten bron": 1}
    assert facet(page, "leverancier") == {"ICT Solutions BV": 2}

    page = search(client, rc=shop.zaak.id, licentie="open_source")
    assert results(page) == ["Zaakwijzer Open"]
    assert facet(page, "rc") == {"Archiefcomponent": 2, "Zaakafhandelcomponent": 1}
    assert facet(page, "licentie") == {"Open source": 1, "Gesloten bron": 1}
    assert facet(page, "cloud") == {"SaaS": 1}

    page = search(client, q="zaakgericht")
    assert facet(page, "leverancier") == {"ICT Solutions BV": 1}


def test_filters_combine_and_values_of_one_facet_are_alternatives(client, shop, world):
    assert results(search(client, cloud=["saas", "hybride"])) == ALL
    assert results(search(client, cloud="saas", licentie="open_source")) == ["Zaakwijzer Open"]
    assert results(search(client, q="zaak", rc=shop.archief.id, leverancier=world.supplier.id)) == [
        "Zaakwijzer Open"]
    page = search(client, rc=shop.archief.id, dienst="technisch_beheer")
    assert results(page) == []
    # a selected value without matches stays visible (with 0), so it can be unselected
    assert facet(page, "dienst")["Technisch beheer / hosting"] == 0
    assert checked(page, "dienst") == ["technisch_beheer"]


def test_active_filter_chip_removes_just_that_filter(client, shop):
    page = search(client, q="zaak", rc=shop.zaak.id, licentie="open_source")
    chip = f'href="/catalogus/?q=zaak&amp;rc={shop.zaak.id}"'
    assert chip in page  # the licence chip keeps text and shelf
    assert results(search(client, q="zaak", rc=shop.zaak.id)) == ["e-Suite", "Zaakwijzer Open"]


# --------------------------------------------------------------------------- sort and pages
def test_sort_by_name_municipalities_and_last_change(client, shop):
    assert results(search(client)) == ALL
    assert results(search(client, sort="naam")) == ALL
    # e-Suite: 2 municipalities (one planned), Café Archief: 1 (the phased-out one does not count),
    # Zaakwijzer Open: 0 (a samenwerking is no municipality)
    page = search(client, sort="gemeenten")
    assert results(page) == ["e-Suite", "Café Archief", "Zaakwijzer Open"]
    assert "gebruikt door 2 gemeenten" in page and "gebruikt door 1 gemeente" in page
    for days, package in ((3, shop.a), (1, shop.b), (2, shop.c)):
        db.session.execute(Package.__table__.update().where(Package.id == package.id)
                           .values(changed_on=dt.datetime(2026, 1, 1) + dt.timedelta(days=days)))
    db.session.commit()
    assert results(search(client, sort="gewijzigd")) == ["e-Suite", "Zaakwijzer Open", "Café Archief"]


def test_pagination_keeps_the_search_and_clamps_bad_page_numbers(client, world, shop):
    for n in range(45):
        f.package(world.supplier, f"Pakket {n:02d}", licence_type="proprietary", commit=False)
    db.session.commit()
    first = search(client, licentie="proprietary")
    assert results(first)[:2] == ["e-Suite", "Pakket 00"] and len(results(first)) == 20
    assert "46 pakketten gevonden" in first and "Pagina 1 van 3" in first
    assert 'href="/catalogus/?licentie=proprietary&amp;pagina=2" rel="next"' in first
    second = search(client, licentie="proprietary", pagina=2)
    assert results(second)[0] == "Pakket 19" and "Pagina 2 van 3" in second
    last = search(client, licentie="proprietary", pagina=3)
    assert results(last) == ["Pakket 39", "Pakket 40", "Pakket 41", "Pakket 42", "Pakket 43", "Pakket 44"]
    assert "Resultaat 41 tot en met 46 van 46" in last
    assert results(search(client, licentie="proprietary", pagina=999999999)) == results(last)
    assert results(search(client, licentie="proprietary", pagina="10" * 40)) == results(first)
    for bad in ("-1", "0", "abc", "", "1.5"):
        assert results(search(client, licentie="proprietary", pagina=bad)) == results(first)


def test_every_state_is_in_a_shareable_url(client, shop, world):
    """Following the next-page link of a filtered, sorted search gives the same search on page 2."""
    for n in range(25):
        f.package(world.supplier, f"Extra {n:02d}", cloud_models="saas", commit=False)
    db.session.commit()
    page = search(client, q="ict", cloud="saas", sort="gewijzigd")
    import re

    link = re.search(r'href="(/catalogus/\?[^"]+)" rel="next"', page).group(1).replace("&amp;", "&")
    assert dict(parse_qsl(link.split("?", 1)[1])) == {"q": "ict", "cloud": "saas", "sort": "gewijzigd",
                                                       "pagina": "2"}
    again = client.get(link).get_data(as_text=True)
    assert 'value="ict"' in again and checked(again, "cloud") == ["saas"]
    assert '<option value="gewijzigd" selected>' in again and "Pagina 2 van 2" in again
    # a fresh visitor with the same URL sees exactly the same page of results
    assert results(client.application.test_client().get(link).get_data(as_text=True)) == results(again)


# --------------------------------------------------------------------------- bad input
@pytest.mark.parametrize("query", ["rc=abc", "standaard=1%3B+drop+table", "leverancier=-1",
                                   "rc=" + "9" * 30])
def test_text_where_an_id_belongs_gives_a_dutch_400(client, shop, query):
    resp = client.get("/catalogus/?" + query)
    assert resp.status_code == 400
    assert "is geen geldig nummer" in resp.get_data(as_text=True)


@pytest.mark.parametrize("query", ["sort=drop", "sort=", "cloud=mainframe", "licentie=gratis", "dienst=x",
                                   "q=" + "zaak+" * 300, "rc=999999", "q=%3Cscript%3Ealert(1)%3C/script%3E",
                                   "pagina=-1", "onbekend=1"])
def test_other_odd_parameters_give_a_normal_page(client, shop, query):
    resp = client.get("/catalogus/?" + query)
    assert resp.status_code == 200
    assert "<script>alert(1)</script>" not in resp.get_data(as_text=True)


def test_search_is_get_only(client, shop):
    assert client.post("/catalogus/", data={"q": "zaak"}).status_code in (400, 405)
