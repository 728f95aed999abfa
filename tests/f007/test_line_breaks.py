"""Multi-line texts in the XLSX export: LF line breaks in wrapping cells (never "_x000D_"), and back unchanged."""

from __future__ import annotations

import io
import zipfile

from core.catalogue.models import Module, Package
from core.extensions import db
from plugins.f007_export import exchange
from tests.f007.conftest import column_of, save, workbook
from tests.f007.test_offering_io import export_bytes

LONG = "Eerste alinea.\r\n\r\nTweede alinea:\r\n- zaken\r\n- documenten"
MODULE = "Regel een\r\nRegel twee"


def test_multi_line_descriptions_export_as_excel_line_breaks_and_import_unchanged(world, suppliers):
    user = world.users["aanbod"]
    package, module = suppliers["mine"]["package"], suppliers["mine"]["module"]
    package.long_description, module.description = LONG, MODULE  # as a browser's textarea sends them
    db.session.commit()
    data = export_bytes(user, "xlsx")

    archive = zipfile.ZipFile(io.BytesIO(data))
    assert not any(b"_x000D_" in archive.read(name) for name in archive.namelist())
    book = workbook(data)
    for sheet_name, column, text in (("Pakketten", "Uitgebreide beschrijving", LONG),
                                     ("Modules", "Module Beschrijving", MODULE)):
        sheet = book[sheet_name]
        cell = sheet.cell(2, column_of(sheet, column))
        assert cell.value == text.replace("\r\n", "\n") and "\r" not in cell.value
        assert cell.alignment.wrap_text
    assert not any("_x000D_" in str(c.value) for s in book for row in s.iter_rows() for c in row if c.value)

    _, outcome = exchange.run(user, data, apply=False)
    assert outcome.errors == [] and outcome.no_changes, outcome.changes

    # an edit elsewhere in the file leaves the texts as they were
    sheet = book["Pakketten"]
    sheet.cell(2, column_of(sheet, "URL productpagina")).value = "https://zaak.example/nieuw"
    _, applied = exchange.run(user, save(book), apply=True)
    assert (applied.changed, applied.applied) == (1, True), applied.changes
    db.session.expire_all()
    assert db.session.get(Package, package.id).long_description.splitlines() == LONG.splitlines()
    assert db.session.get(Module, module.id).description.splitlines() == MODULE.splitlines()

    # a text edited in the spreadsheet comes in with its line breaks
    sheet.cell(2, column_of(sheet, "Uitgebreide beschrijving")).value = "Nieuw.\nMet twee regels."
    _, edited = exchange.run(user, save(book), apply=True)
    assert edited.changed == 1
    db.session.expire_all()
    assert db.session.get(Package, package.id).long_description == "Nieuw.\nMet twee regels."
