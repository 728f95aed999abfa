"""Pt 7: the public statistics page: suppliers, packages, gemeenten with a landscape; market share per
referentiecomponent (counts, never which gemeente); adoption of standards; charts with tables and CSV."""

from __future__ import annotations

from tests.f006.conftest import make_package, make_usage
from tests.f006.test_dashboard_privacy import _shelf


def test_statistics_are_public_and_count_without_naming_municipalities(app, world, catalogue, client):
    zaak, other = catalogue["zaak"], catalogue["other"]
    third = make_package(world.other_supplier, "Zaken Online")
    make_package(world.other_supplier, "Zaken Concept", status="concept")
    rc = _shelf("Zaaksysteem", zaak, other, third)
    make_usage(world.gemeente, other)
    make_usage(world.other_gemeente, other)
    make_usage(world.gemeente, zaak)
    resp = client.get("/statistiek/")
    body = resp.get_data(as_text=True)
    assert resp.status_code == 200
    assert "<strong>2</strong> leveranciers" in body and "<strong>3</strong> gepubliceerde pakketten" in body
    assert "<strong>2</strong> van de 2 gemeenten hebben een applicatielandschap" in body
    assert "Marktaandeel bij Zaaksysteem" in body and 'class="scg-chart"' in body
    assert "Voorbeeldstad" not in body and "Andersdorp" not in body and "Zaken Concept" not in body
    csv_text = client.get(f"/statistiek/csv/marktaandeel-{rc.id}").get_data(as_text=True).lstrip("\ufeff")
    assert csv_text.splitlines() == ["Pakket;Gemeenten en samenwerkingen die het gebruiken", "Belastingen Plus;2",
                                     "Zaakwijzer;1", "Zaken Online;0"]
    assert client.get("/statistiek/csv/niets").status_code == 404
    assert "De catalogus in cijfers" in client.get("/").get_data(as_text=True)
