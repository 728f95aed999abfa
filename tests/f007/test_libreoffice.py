"""Round trip through a file LibreOffice really saved (soffice --headless --convert-to xlsx)."""

from __future__ import annotations

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


def libreoffice_saved(data: bytes, tmp_path, name="aanbod.xlsx") -> bytes:
    """The workbook opened and saved again by LibreOffice Calc."""
    source, out = tmp_path / "in" / name, tmp_path / "out"
    source.parent.mkdir(exist_ok=True)
    out.mkdir(exist_ok=True)
    source.write_bytes(data)
    profile = (tmp_path / "lo-profile").as_uri()
    subprocess.run([SOFFICE, f"-env:UserInstallation={profile}", "--headless", "--norestore",
                    "--convert-to", "xlsx:Calc MS Excel 2007 XML", "--outdir", str(out), str(source)],
                   check=True, capture_output=True, timeout=180)
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
