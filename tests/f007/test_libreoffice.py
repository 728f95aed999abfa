"""Round trips through files LibreOffice really saved (soffice --headless --convert-to xlsx or csv)."""

from __future__ import annotations

import csv
import io
import shutil
import subprocess

import pytest

from core.catalogue.models import Package, Version
from core.extensions import db
from plugins.f007_export import exchange
from tests.f007.conftest import column_of, save, workbook
from tests.f007.test_offering_io import export_bytes, snapshot

SOFFICE = shutil.which("soffice") or shutil.which("libreoffice")
pytestmark = pytest.mark.skipif(SOFFICE is None, reason="LibreOffice (soffice) is not installed: "
                                "apt-get install libreoffice-calc")


# CSV as Calc opens and saves the export: ";" separated, '"' quoted, UTF-8 (76), from line 1, numbers recognised
CSV_OPTIONS = "59,34,76,1"


def libreoffice_saved(data: bytes, tmp_path, name="aanbod.xlsx") -> bytes:
    """The workbook (or CSV) opened and saved again by LibreOffice Calc."""
    source, out = tmp_path / "in" / name, tmp_path / "out"
    source.parent.mkdir(exist_ok=True)
    out.mkdir(exist_ok=True)
    source.write_bytes(data)
    profile = (tmp_path / "lo-profile").as_uri()
    if name.endswith(".csv"):
        how = [f"--infilter=CSV:{CSV_OPTIONS}", "--convert-to", f"csv:Text - txt - csv (StarCalc):{CSV_OPTIONS}"]
    else:
        how = ["--convert-to", "xlsx:Calc MS Excel 2007 XML"]
    subprocess.run([SOFFICE, f"-env:UserInstallation={profile}", "--headless", "--norestore", *how,
                    "--outdir", str(out), str(source)], check=True, capture_output=True, timeout=180)
    saved = (out / name).read_bytes()
    assert saved != data  # really rewritten by LibreOffice
    return saved


def test_libreoffice_saved_export_imports_as_no_changes_and_edits_apply_exactly(world, suppliers, tmp_path):
    user = world.users["aanbod"]
    mine = suppliers["mine"]
    before = snapshot()
    untouched = libreoffice_saved(export_bytes(user, "xlsx"), tmp_path)
    _, outcome = exchange.run(user, untouched, apply=False)
    assert outcome.errors == [] and outcome.no_changes, outcome.changes

    book = workbook(export_bytes(user, "xlsx"))
    packages = book["Pakketten"]
    packages.cell(2, column_of(packages, "URL productpagina")).value = "https://zaak.example/nieuw"
    versions = book["Pakketversies"]
    versions.cell(3, column_of(versions, "Start test")).value = "2026-02-01"
    versions.append([None, mine["package"].public_id, "Zaaksysteem", "2.1", "In ontwikkeling", None, None, None,
                     None, None])
    edited = libreoffice_saved(save(book), tmp_path, "bewerkt.xlsx")
    _, outcome = exchange.run(user, edited, apply=True)
    assert (outcome.created, outcome.changed, len(outcome.errors)) == (1, 2, 0), outcome.changes
    db.session.expire_all()
    after = snapshot()
    package = db.session.get(Package, mine["package"].id)
    assert package.website == "https://zaak.example/nieuw"
    assert str(db.session.get(Version, mine["v2"].id).start_test) == "2026-02-01"
    assert sorted(v.name for v in package.versions) == ["1.0", "2.0", "2.1"]
    # nothing else changed
    assert [p for p in after["packages"] if p[0] != package.public_id] == \
        [p for p in before["packages"] if p[0] != package.public_id]
    assert after["modules"] == before["modules"] and after["claims"] == before["claims"]
    assert after["links"] == before["links"] and after["services"] == before["services"]


def test_libreoffice_saved_csv_keeps_version_labels_and_warns_about_a_dropped_zero(world, suppliers, tmp_path):
    """Calc saves the labels 1.0 and 2.0 as 1 and 2 (unchanged) and 2.10 as 2.1 (a warning), 2.0.1 as it is."""
    user = world.users["aanbod"]
    package = suppliers["mine"]["package"]
    db.session.add_all([Version(organisation_id=package.organisation_id, package_id=package.id, name=name,
                                status="in_ontwikkeling") for name in ("2.10", "2.0.1")])
    db.session.commit()
    saved = libreoffice_saved(export_bytes(user, "csv"), tmp_path, "aanbod.csv")
    rows = list(csv.DictReader(io.StringIO(saved.decode("utf-8-sig")), delimiter=";"))
    labels = [r["Pakketversie Naam"] for r in rows]
    assert labels == ["1", "2", "2.0.1", "2.1"]  # what LibreOffice really made of 1.0, 2.0, 2.0.1, 2.10

    _, outcome = exchange.run(user, saved, apply=False)
    assert outcome.errors == []
    assert (outcome.created, outcome.changed, outcome.unchanged) == (0, 1, 3), outcome.changes
    assert [(row, what, detail) for _, row, what, detail in outcome.changes] == [
        (5, "gewijzigd", "Zaaksysteem 2.1: Pakketversie Naam")]
    assert [(w.row, w.column) for w in outcome.warnings] == [(5, "Pakketversie Naam")]
    assert "'2.10' wordt '2.1'" in outcome.warnings[0].message

    _, applied = exchange.run(user, saved, apply=True)
    assert applied.applied
    db.session.expire_all()
    assert sorted(v.name for v in db.session.get(Package, package.id).versions) == ["1.0", "2.0", "2.0.1", "2.1"]


def test_libreoffice_saved_workbook_keeps_multi_line_descriptions(world, suppliers, tmp_path):
    user = world.users["aanbod"]
    package = suppliers["mine"]["package"]
    package.long_description = "Eerste regel.\r\nTweede regel."
    db.session.commit()
    saved = libreoffice_saved(export_bytes(user, "xlsx"), tmp_path)
    sheet = workbook(saved)["Pakketten"]
    assert sheet.cell(2, column_of(sheet, "Uitgebreide beschrijving")).value == "Eerste regel.\nTweede regel."
    _, outcome = exchange.run(user, saved, apply=False)
    assert outcome.errors == [] and outcome.no_changes, outcome.changes
