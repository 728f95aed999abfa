"""Version labels a spreadsheet program took for numbers ("1.0" saved as "1"): unchanged, or a warning."""

from __future__ import annotations

import html
import io

import pytest

from core.catalogue.models import Version
from core.extensions import db
from core.io_sync import version_label
from plugins.f007_export import exchange
from tests.f007.conftest import column_of, save, workbook
from tests.f007.test_offering_io import export_bytes
from tests.f007.test_pages import upload
from tests.support.actors import api_token, login


class Collect:
    """Collects what ``version_label`` reports (the part of ``core.io.Sync`` it uses)."""

    def __init__(self):
        self.warnings = []

    def warning(self, row, column, message):
        self.warnings.append((row, column, message))


@pytest.mark.parametrize("stored, imported, kept, warned", [
    ("1.0", "1", "1.0", False),  # LibreOffice and Excel save 1.0 as 1: the same version
    ("2.00", "2", "2.00", False),
    ("10.0", "10", "10.0", False),
    ("1.0", "1.0", "1.0", False),
    ("2.10", "2.1", "2.1", True),  # numerically equal, another version: imported, with a warning
    ("1.50", "1.5", "1.5", True),
    ("2.1", "2.10", "2.10", False),  # a spreadsheet never adds a zero: an edit
    ("1", "1.0", "1.0", False),
    ("1.0", "2", "2", False),
    ("2.0.1", "2", "2", False),  # "2.0.1" is text to a spreadsheet program, never shown as 2
    ("4.2-beta", "4.2", "4.2", False),
    ("1.0", None, None, False),
])
def test_version_label(stored, imported, kept, warned):
    sync = Collect()
    assert version_label(sync, 7, "Pakketversie Naam", stored, imported) == kept
    assert bool(sync.warnings) == warned
    if warned:
        row, column, message = sync.warnings[0]
        assert (row, column) == (7, "Pakketversie Naam") and f"'{stored}' wordt '{imported}'" in message


def test_numbers_in_the_versions_sheet_are_the_same_versions(world, suppliers):
    """Excel makes a retyped 1.0 the number 1: the workbook's Pakketversies sheet shows no change."""
    user = world.users["aanbod"]
    book = workbook(export_bytes(user, "xlsx"))
    sheet = book["Pakketversies"]
    name = column_of(sheet, "Pakketversie Naam")
    assert [sheet.cell(r, name).value for r in (2, 3)] == ["1.0", "2.0"]
    sheet.cell(2, name).value, sheet.cell(3, name).value = 1.0, 2
    _, outcome = exchange.run(user, save(book), apply=False)
    assert outcome.no_changes and outcome.warnings == [], outcome.changes


def test_the_preview_and_the_cli_show_the_warning(app, client, world, suppliers, tmp_path):
    user = world.users["aanbod"]
    v2 = suppliers["mine"]["v2"]
    v2.name = "2.10"
    db.session.commit()
    data = export_bytes(user, "csv").replace(b";2.10;", b";2.1;").replace(b";1.0;", b";1;")
    login(client, user)
    page = html.unescape(upload(client, data, name="aanbod.csv").get_data(as_text=True))
    assert 'id="waarschuwingen"' in page and 'id="aantal-gewijzigd">1<' in page
    assert "<td>CSV</td><td>3</td><td>Pakketversie Naam</td><td>De versie '2.10' wordt '2.1'." in page
    target = tmp_path / "aanbod.csv"
    target.write_bytes(data)
    result = app.test_cli_runner().invoke(args=["scg", "import", "--gebruiker", "jan@ictsolutions.example",
                                                str(target)])
    assert result.exit_code == 0, result.output
    assert "gewijzigd: 1" in result.output
    assert "Waarschuwing: Rij 3, kolom 'Pakketversie Naam': De versie '2.10' wordt '2.1'" in result.output
    auth = {"Authorization": f"Bearer {api_token(client, user)}"}
    api = client.post("/api/v1/uitwisseling/import", headers=auth, content_type="multipart/form-data",
                      data={"bestand": (io.BytesIO(data), "aanbod.csv")})
    assert api.status_code == 200 and api.json["gewijzigd"] == 1
    assert [(w["rij"], w["kolom"]) for w in api.json["waarschuwingen"]] == [(3, "Pakketversie Naam")]
    db.session.expire_all()
    assert db.session.get(Version, suppliers["mine"]["v1"].id).name == "1.0"
