"""F007 for municipalities: the landscape as CSV/XLSX, and its import (issue 12, points 1 and 2).

Through the pages a Gebruik-beheerder uses: "Landschap exporteren en importeren" (export, upload, preview with
choices, confirm).
"""

from __future__ import annotations

import codecs
import csv
import datetime as dt
import io
import re

import pytest
from openpyxl import load_workbook
from sqlalchemy import select

from core.catalogue.models import Package, Usage
from core.extensions import db
from core.models import Organisation
from plugins.f013_gebruik.landscape_io import COLUMNS
from plugins.f013_gebruik.models import UsageChange
from tests.f013.conftest import logged_in, make_package, make_usage, version_of
from tests.support.actors import csrf_token, make_org, make_user

BASE = "/landschap-uitwisseling"
LEGACY = ("Gemeente ID; Gemeente naam; Gemeente CBS; Gebruik Status; Gebruik omschrijving; Gebruik Datum ingang "
          "status; Leverancier ID; Leverancier Naam; Pakket ID; Pakket Naam; Pakketversie ID; Pakketversie Naam; "
          "Referentiecomponenten ID; Referentiecomponenten naam").split("; ")


def export(client, fmt="csv", organisation=""):
    return client.post(f"{BASE}/exporteren", data={"csrf_token": csrf_token(client, f"{BASE}/"), "formaat": fmt,
                                                   "inhoud": "gebruik-landschap", "organisatie": organisation})


def rows_of(data: bytes) -> list[dict]:
    return list(csv.DictReader(io.StringIO(data.decode("utf-8-sig")), delimiter=";"))


def csv_bytes(rows: list[dict], header=LEGACY) -> bytes:
    out = io.StringIO()
    writer = csv.DictWriter(out, fieldnames=list(header), delimiter=";", extrasaction="ignore")
    writer.writeheader()
    writer.writerows(rows)
    return codecs.BOM_UTF8 + out.getvalue().encode()


def upload(client, data: bytes, name="landschap.csv", remove=False):
    fields = {"csrf_token": csrf_token(client, f"{BASE}/"), "bestand": (io.BytesIO(data), name)}
    if remove:
        fields["verwijderen"] = "y"
    return client.post(f"{BASE}/importeren", data=fields, content_type="multipart/form-data")


def step(client, what, **choices):
    return client.post(f"{BASE}/{what}", data={"csrf_token": csrf_token(client, f"{BASE}/"), **choices})


def count(text: str, what: str) -> int:
    return int(re.search(rf'id="aantal-{what}">(\d+)', text).group(1))


def usages(org):
    db.session.expire_all()
    return {u.package.name: u for u in db.session.scalars(select(Usage).where(Usage.organisation_id == org.id))}


@pytest.fixture
def landscape(app, world):
    zaak = make_package(world.supplier, "Zaakwijzer", versions=("3.1", "4.0"))
    belasting = make_package(world.other_supplier, "Belastingen Plus", versions=("1.0",))
    make_package(world.other_supplier, "Geheim Concept", status="concept")
    make_usage(world.gemeente, zaak, version=version_of(zaak, "4.0"), status_date=dt.date(2025, 2, 1),
               description="Regel één\nregel twee")
    make_usage(world.gemeente, belasting, status="gepland")
    make_usage(world.other_gemeente, belasting, description="Van Andersdorp")
    return {"zaak": zaak, "belasting": belasting}


# --- 1. export ------------------------------------------------------------------------------------------
def test_csv_export_has_the_legacy_columns_and_only_the_own_landscape(app, world, landscape, beheerder):
    resp = export(beheerder)
    assert resp.status_code == 200 and resp.data.startswith(codecs.BOM_UTF8)
    assert resp.data.decode("utf-8-sig").splitlines()[0] == ";".join(LEGACY)
    assert [c.name for c in COLUMNS] == LEGACY
    rows = rows_of(resp.data)
    assert {(r["Gemeente naam"], r["Pakket Naam"], r["Gebruik Status"]) for r in rows} == {
        ("Voorbeeldstad", "Zaakwijzer", "In productie"), ("Voorbeeldstad", "Belastingen Plus", "Gepland")}
    zaak = next(r for r in rows if r["Pakket Naam"] == "Zaakwijzer")
    assert (zaak["Gemeente CBS"], zaak["Leverancier Naam"], zaak["Pakketversie Naam"],
            zaak["Gebruik Datum ingang status"]) == ("9991", "ICT Solutions BV", "4.0", "2025-02-01")
    assert b"Van Andersdorp" not in resp.data


def test_xlsx_export_has_explanation_and_a_status_drop_down(app, world, landscape, beheerder):
    resp = export(beheerder, "xlsx")
    assert resp.status_code == 200
    book = load_workbook(io.BytesIO(resp.data))
    assert "Applicatielandschap" in book.sheetnames and "Toelichting" in book.sheetnames
    sheet = book["Applicatielandschap"]
    assert [c.value for c in sheet[1]] == LEGACY
    status_col = "D"  # Gebruik Status
    validations = [v for v in sheet.data_validations.dataValidation if status_col in str(v.sqref)]
    assert validations and validations[0].type == "list"
    lists = book["Keuzelijsten"]
    assert "In productie" in [c.value for c in next(lists.iter_cols())]


def test_raadpleger_exports_but_may_not_import(app, world, landscape):
    client = logged_in(app, world.users["raadpleger"])
    resp = export(client)
    assert resp.status_code == 200 and b"Zaakwijzer" in resp.data
    assert "Uw rol kan exporteren, niet importeren" in client.get(f"{BASE}/").get_data(as_text=True)
    assert upload(client, resp.data).status_code in (302, 403)


def test_vng_and_the_functioneel_beheerder_export_every_landscape_or_one(app, world, landscape):
    for key in ("vng", "fb"):
        client = logged_in(app, world.users[key])
        every = rows_of(export(client, organisation="0").data)
        assert {r["Gemeente naam"] for r in every} == {"Voorbeeldstad", "Andersdorp"}
        one = rows_of(export(client, organisation=str(world.other_gemeente.id)).data)
        assert {r["Gemeente naam"] for r in one} == {"Andersdorp"}


def test_a_gemeente_cannot_export_another_landscape(app, world, landscape, beheerder):
    resp = export(beheerder, organisation=str(world.other_gemeente.id))
    assert resp.status_code in (400, 403) and b"Van Andersdorp" not in resp.data
    assert b"Van Andersdorp" not in export(beheerder, organisation="0").data


# --- 2. import ------------------------------------------------------------------------------------------
def test_round_trip_export_import_changes_nothing(app, world, landscape, beheerder):
    data = export(beheerder).data
    before = db.session.query(UsageChange).count()
    page = upload(beheerder, data).get_data(as_text=True)
    assert "Geen wijzigingen" in page and count(page, "ongewijzigd") == 2
    xlsx = export(beheerder, "xlsx").data
    page = upload(beheerder, xlsx, "landschap.xlsx").get_data(as_text=True)
    assert "Geen wijzigingen" in page, page
    assert db.session.query(UsageChange).count() == before


def test_import_changes_status_date_and_version_by_label_or_code(app, world, landscape, beheerder):
    rows = rows_of(export(beheerder).data)
    for r in rows:
        if r["Pakket Naam"] == "Zaakwijzer":
            r.update({"Gebruik Status": "uit_te_faseren", "Gebruik Datum ingang status": "01-03-2026",
                      "Pakketversie ID": "", "Pakketversie Naam": "3.1"})
        else:
            r["Gebruik Status"] = "in productie"
    page = upload(beheerder, csv_bytes(rows)).get_data(as_text=True)
    assert count(page, "gewijzigd") == 2 and count(page, "fouten") == 0, page
    step(beheerder, "bevestigen")
    found = usages(world.gemeente)
    assert (found["Zaakwijzer"].status, found["Zaakwijzer"].status_date, found["Zaakwijzer"].version.name) == (
        "uit_te_faseren", dt.date(2026, 3, 1), "3.1")
    assert found["Belastingen Plus"].status == "in_productie"
    assert "import" in db.session.scalars(select(UsageChange.summary).where(
        UsageChange.usage_id == found["Zaakwijzer"].id)).all()[-1]


def test_unknown_version_warns_and_records_the_usage_without_version(app, world, landscape, beheerder):
    rows = [{"Leverancier Naam": "ICT Solutions B.V.", "Pakket Naam": "zaakwijzer", "Pakketversie Naam": "9.9",
             "Gebruik Status": "In productie"}]
    page = upload(beheerder, csv_bytes(rows, ("Leverancier Naam", "Pakket Naam", "Pakketversie Naam",
                                              "Gebruik Status"))).get_data(as_text=True)
    assert "geen versie &#39;9.9&#39;" in page or "geen versie '9.9'" in page
    assert count(page, "gewijzigd") == 1  # the existing usage of Zaakwijzer: its version goes
    step(beheerder, "bevestigen")
    zaak = usages(world.gemeente)["Zaakwijzer"]
    assert zaak.version is None and zaak.description == "Regel één\nregel twee"  # (no column: unchanged)


def test_own_inventory_matches_by_supplier_and_name_ignoring_case_accents_and_legal_form(app, world, landscape,
                                                                                         beheerder):
    header = ("Leverancier Naam", "Pakket Naam", "Gebruik Status", "Gebruik Datum ingang status")
    rows = [{"Leverancier Naam": "ict solutions b.v.", "Pakket Naam": "ZAAKWIJZER", "Gebruik Status": "In productie",
             "Gebruik Datum ingang status": "2025-02-01"},
            {"Leverancier Naam": "Concurrent", "Pakket Naam": "Belastingen-Plus", "Gebruik Status": "gepland"}]
    page = upload(beheerder, csv_bytes(rows, header)).get_data(as_text=True)
    assert "Geen wijzigingen" in page and "Kies per rij" not in page, page


def test_near_match_is_offered_and_the_pick_is_used(app, world, landscape, beheerder):
    make_package(world.supplier, "Zaakwijzer Portaal")
    header = ("Leverancier Naam", "Pakket Naam", "Gebruik Status")
    rows = [{"Leverancier Naam": "ICT Solutions", "Pakket Naam": "Zaakwyzer Portal", "Gebruik Status": "Gepland"}]
    page = upload(beheerder, csv_bytes(rows, header)).get_data(as_text=True)
    assert "Kies per rij" in page and "Zaakwijzer Portaal (ICT Solutions BV)" in page
    portaal = db.session.scalar(select(Package).where(Package.name == "Zaakwijzer Portaal"))
    options = dict(re.findall(r'<option value="([^"]+)"[^>]*>([^<]+)</option>', page))
    assert portaal.public_id in options and "nieuw" in options and "overslaan" in options
    # pick the near match: the preview shows it, the confirm applies it
    page = step(beheerder, "bijwerken", **{"keuze-Applicatielandschap-2": portaal.public_id}).get_data(as_text=True)
    assert count(page, "nieuw") == 1
    resp = step(beheerder, "bevestigen", **{"keuze-Applicatielandschap-2": portaal.public_id})
    assert resp.status_code == 302
    assert usages(world.gemeente)["Zaakwijzer Portaal"].status == "gepland"
    # the same file again: the default is the package now in the landscape: no changes
    page = upload(beheerder, csv_bytes(rows, header)).get_data(as_text=True)
    assert "Geen wijzigingen" in page


def test_unmatched_row_becomes_a_concept_package_reused_by_another_gemeente(app, world, landscape, beheerder):
    header = ("Leverancier Naam", "Pakket Naam", "Gebruik Status")
    rows = [{"Leverancier Naam": "Nieuwsoft B.V.", "Pakket Naam": "Raadsinformatie Pro",
             "Gebruik Status": "In productie"}]
    page = upload(beheerder, csv_bytes(rows, header)).get_data(as_text=True)
    assert "Nieuw conceptpakket" in page and "aangemaakt door gemeente Voorbeeldstad" in page
    assert count(page, "nieuw") == 1
    step(beheerder, "bevestigen")
    package = usages(world.gemeente)["Raadsinformatie Pro"].package
    supplier = db.session.get(Organisation, package.organisation_id)
    assert package.takeover_pending and package.registered_by_id == world.gemeente.id
    assert (supplier.name, supplier.status, supplier.created_by_organisation_id) == (
        "Nieuwsoft B.V.", "concept", world.gemeente.id)
    # re-import: matched now, nothing changes
    assert "Geen wijzigingen" in upload(beheerder, csv_bytes(rows, header)).get_data(as_text=True)
    # another gemeente names the same package (spelled differently): the same concept, no second one
    other = logged_in(app, world.users["gebruik_other"])
    rows2 = [{"Leverancier Naam": "NIEUWSOFT BV", "Pakket Naam": "raadsinformatie pro", "Gebruik Status": "Gepland"}]
    page = upload(other, csv_bytes(rows2, header)).get_data(as_text=True)
    assert "Kies per rij" not in page and count(page, "nieuw") == 1
    step(other, "bevestigen")
    assert usages(world.other_gemeente)["Raadsinformatie Pro"].package_id == package.id
    assert db.session.query(Package).filter(Package.name.ilike("raadsinformatie pro")).count() == 1
    assert db.session.query(Organisation).filter(Organisation.name.ilike("nieuwsoft%")).count() == 1


def test_remove_missing_is_off_by_default_shows_the_count_and_ends_usages(app, world, landscape, beheerder):
    rows = [r for r in rows_of(export(beheerder).data) if r["Pakket Naam"] == "Zaakwijzer"]
    page = upload(beheerder, csv_bytes(rows)).get_data(as_text=True)
    assert "Geen wijzigingen" in page and "1 gebruik staat niet in het bestand" in page
    page = upload(beheerder, csv_bytes(rows), remove=True).get_data(as_text=True)
    assert count(page, "verwijderd") == 1 and "beëindigd" in page
    step(beheerder, "bevestigen")
    found = usages(world.gemeente)
    assert found["Belastingen Plus"].status == "uitgefaseerd" and found["Zaakwijzer"].status == "in_productie"


def test_rows_of_another_gemeente_are_row_errors_and_nothing_is_imported(app, world, landscape, beheerder):
    other_rows = rows_of(export(logged_in(app, world.users["gebruik_other"])).data)
    own_rows = rows_of(export(beheerder).data)
    for r in other_rows:
        r["Gebruik omschrijving"] = "Overschreven"
    page = upload(beheerder, csv_bytes(own_rows + other_rows)).get_data(as_text=True)
    assert count(page, "fouten") == 1 and "deze rij is van Andersdorp" in page.replace("Deze", "deze")
    assert ">Bevestigen<" not in page
    step(beheerder, "bevestigen")
    # by CBS code or name only, too
    rows = [{"Gemeente CBS": "9992", "Leverancier Naam": "Concurrent", "Pakket Naam": "Belastingen Plus",
             "Gebruik Status": "Uitgefaseerd"},
            {"Gemeente naam": "Gemeente Andersdorp", "Leverancier Naam": "Concurrent",
             "Pakket Naam": "Belastingen Plus", "Gebruik Status": "Uitgefaseerd"}]
    page = upload(beheerder, csv_bytes(rows, ("Gemeente naam", "Gemeente CBS", "Leverancier Naam", "Pakket Naam",
                                              "Gebruik Status"))).get_data(as_text=True)
    assert count(page, "fouten") == 2
    andersdorp = usages(world.other_gemeente)["Belastingen Plus"]
    assert (andersdorp.status, andersdorp.description) == ("in_productie", "Van Andersdorp")


def test_a_samenwerking_imports_for_its_current_members_only(app, world, landscape):
    from plugins.f010_lidmaatschap.models import Deelname

    team = make_org("Samenwerking West", "samenwerking")
    db.session.add_all([Deelname(organisation_id=world.gemeente.id, group_id=team.id, since=dt.date(2025, 1, 1)),
                        Deelname(organisation_id=world.other_gemeente.id, group_id=team.id,
                                 since=dt.date(2024, 1, 1), ended_on=dt.date(2025, 1, 1))])
    db.session.commit()
    make_package(world.supplier, "Archiefbeheer")
    client = logged_in(app, make_user("gb@west.example", "Gebruik-beheerder", team))
    header = ("Gemeente naam", "Leverancier Naam", "Pakket Naam", "Gebruik Status")
    member_row = {"Gemeente naam": "Voorbeeldstad", "Leverancier Naam": "ICT Solutions",
                  "Pakket Naam": "Archiefbeheer", "Gebruik Status": "Gepland"}
    former_row = {"Gemeente naam": "Andersdorp", "Leverancier Naam": "ICT Solutions", "Pakket Naam": "Archiefbeheer",
                  "Gebruik Status": "Gepland"}
    page = upload(client, csv_bytes([member_row, former_row], header)).get_data(as_text=True)
    assert count(page, "fouten") == 1 and "huidige deelnemers" in page
    page = upload(client, csv_bytes([member_row], header)).get_data(as_text=True)
    assert count(page, "nieuw") == 1 and count(page, "fouten") == 0
    step(client, "bevestigen")
    usage = usages(world.gemeente)["Archiefbeheer"]
    assert usage.registered_by_id == team.id and "Archiefbeheer" not in usages(world.other_gemeente)
    # the samenwerking's export holds what it registered; importing it again changes nothing
    exported = export(client).data
    assert [r["Gemeente naam"] for r in rows_of(exported)] == ["Voorbeeldstad"]
    assert "Geen wijzigingen" in upload(client, exported).get_data(as_text=True)


def test_the_landscape_page_links_to_export_and_import(app, world, landscape, beheerder):
    page = beheerder.get("/gebruik/list/").get_data(as_text=True)
    assert f'href="{BASE}/"' in page and "Exporteren en importeren" in page
    supplier = logged_in(app, world.users["aanbod"])
    assert supplier.get(f"{BASE}/").status_code in (302, 403)


@pytest.mark.parametrize("fmt", ["csv", "xlsx"])
def test_a_file_libreoffice_saved_again_changes_nothing(app, world, landscape, beheerder, tmp_path, fmt):
    from tests.f007.test_libreoffice import SOFFICE, libreoffice_saved

    if SOFFICE is None:
        pytest.skip("LibreOffice (soffice) is not installed")
    saved = libreoffice_saved(export(beheerder, fmt).data, tmp_path, f"landschap.{fmt}")
    page = upload(beheerder, saved, f"landschap.{fmt}").get_data(as_text=True)
    assert "Geen wijzigingen" in page, page


def test_a_legacy_catalogue_export_with_its_own_ids_matches_by_cbs_code_and_names(app, world, landscape, beheerder):
    rows = rows_of(export(beheerder).data)
    for r in rows:  # the legacy catalogue's UUIDs: unknown here
        for column in ("Gemeente ID", "Leverancier ID", "Pakket ID", "Pakketversie ID"):
            r[column] = "6f1c2a4e-0000-4000-8000-00000000000" + str(len(column) % 10)
    page = upload(beheerder, csv_bytes(rows)).get_data(as_text=True)
    assert "Geen wijzigingen" in page and "Kies per rij" not in page, page


def test_a_forged_choice_counts_as_no_choice(app, world, landscape, beheerder):
    header = ("Leverancier Naam", "Pakket Naam", "Gebruik Status")
    make_package(world.supplier, "Zaakwijzer Portaal")
    rows = [{"Leverancier Naam": "ICT Solutions", "Pakket Naam": "Zaakwyzer Portal", "Gebruik Status": "Gepland"}]
    upload(beheerder, csv_bytes(rows, header))
    secret = db.session.scalar(select(Package.public_id).where(Package.name == "Geheim Concept"))
    step(beheerder, "bevestigen", **{"keuze-Applicatielandschap-2": secret})
    found = usages(world.gemeente)
    assert "Geheim Concept" not in found and found["Zaakwijzer Portaal"].status == "gepland"
