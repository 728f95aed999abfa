"""Writers and readers: the CSV people know, a workbook that helps, formula injection, hostile files."""

from __future__ import annotations

import csv
import datetime as dt
import io
import zipfile

import pytest
from openpyxl import load_workbook

from core import spreadsheets
from core.files import UploadRejected
from core.io import Column, IOHandler
from core.roles import AANBOD_BEHEERDER

HANDLER = IOHandler(
    name="test-dingen", entity="Ding", label="Dingen", sheet="Dingen",
    columns=(Column("Naam", required=True, help="De naam."), Column("Aantal", type="integer"),
             Column("Datum", type="date"), Column("Kleur", allowed_values=("rood", "groen"), help="Kies een kleur."),
             Column("Info", read_only=True, help="Alleen lezen.")),
    roles=frozenset({AANBOD_BEHEERDER}), export_rows=lambda user, organisation_id: [],
)
HOSTILE = ["=HYPERLINK(\"http://evil.example\",\"klik\")", "+31 6 1234", "-2+3", "@SUM(A1)", "\tTab", "\rCR"]


def rows():
    yield {"Naam": "Één & <twee> \"drie\"", "Aantal": 3, "Datum": dt.date(2025, 3, 1), "Kleur": "rood",
           "Info": "x\x01y"}
    for value in HOSTILE:
        yield {"Naam": value, "Aantal": None, "Datum": None, "Kleur": None, "Info": None}


def xlsx_bytes() -> bytes:
    out = io.BytesIO()
    spreadsheets.write_xlsx([(HANDLER, rows())], out)
    return out.getvalue()


def test_csv_is_semicolon_utf8_with_bom_and_neutralises_formulas():
    out = io.BytesIO()
    assert spreadsheets.write_csv(HANDLER, rows(), out) == 7
    data = out.getvalue()
    assert data.startswith(b"\xef\xbb\xbfNaam;Aantal;Datum;Kleur;Info\r\n")
    assert '"Één & <twee> ""drie""";3;2025-03-01;rood' in data.decode("utf-8-sig")
    fields = list(csv.reader(io.StringIO(data.decode("utf-8-sig"), newline=""), delimiter=";"))
    assert [f[0] for f in fields[2:]] == ["'" + v for v in HOSTILE]  # never a bare =, +, -, @, tab or CR
    table = spreadsheets.read_csv(data)
    assert [r["Naam"] for r in table.rows][1:] == HOSTILE  # the apostrophe is removed on reading


def test_workbook_layout_header_filter_widths_dropdowns_and_explanation():
    data = xlsx_bytes()
    book = load_workbook(io.BytesIO(data))
    assert book.sheetnames == ["Dingen", "Toelichting", "Keuzelijsten"]
    assert book["Keuzelijsten"].sheet_state == "hidden"
    sheet = book["Dingen"]
    assert [c.value for c in sheet[1]] == ["Naam", "Aantal", "Datum", "Kleur", "Info"]
    assert all(c.font.bold for c in sheet[1])
    assert sheet.freeze_panes == "A2"
    assert sheet.auto_filter.ref == "A1:E8"
    assert sheet.column_dimensions["A"].width >= 20
    validations = sheet.data_validations.dataValidation
    assert len(validations) == 1 and "D2" in str(validations[0].sqref)
    assert validations[0].formula1 == "'Keuzelijsten'!$A$1:$A$2"
    assert [c.value for c in book["Keuzelijsten"]["A"]] == ["rood", "groen"]
    explanation = [[c.value for c in row] for row in book["Toelichting"].iter_rows()]
    assert explanation[0] == ["Blad", "Kolom", "Soort waarde", "Verplicht", "Toegestane waarden", "Uitleg"]
    assert ["Dingen", "Kleur", "tekst", "nee", "rood, groen", "Kies een kleur."] in explanation
    assert any(r[1] == "Info" and "ter informatie" in r[5] for r in explanation[1:])


def test_workbook_cells_are_never_formulas_and_xml_is_escaped():
    data = xlsx_bytes()
    xml = zipfile.ZipFile(io.BytesIO(data)).read("xl/worksheets/sheet1.xml").decode()
    assert "<f>" not in xml and "<f " not in xml
    assert "&lt;twee&gt;" in xml and "&amp;" in xml and "<twee>" not in xml
    book = load_workbook(io.BytesIO(data))
    cells = [c for c in book["Dingen"]["A"][1:]]
    # a CR is written as Excel writes a line break: LF (never "_x000D_"), in a cell that wraps its text
    assert [c.value for c in cells[1:]] == HOSTILE[:-1] + ["\nCR"]
    assert "_x000D_" not in xml and cells[-1].alignment.wrap_text
    assert all(c.data_type == "s" for c in cells)
    assert all(c.style_id and book._cell_styles[c.style_id].quotePrefix for c in cells[1:])
    assert "x_x0001_y" in xml  # a control character is escaped, not written raw into the XML
    table = spreadsheets.read_xlsx(data)[0]
    assert [r["Naam"] for r in table.rows] == ["Één & <twee> \"drie\""] + HOSTILE[:-1] + ["\nCR"]
    first = next(table.rows)
    assert (first["Datum"], first["Info"]) == (dt.date(2025, 3, 1), "x\x01y")


@pytest.mark.parametrize("encode", [
    lambda t: t.encode("utf-8-sig"), lambda t: t.encode("utf-8"), lambda t: t.encode("cp1252")])
@pytest.mark.parametrize("sep", [";", ","])
def test_csv_reader_recognises_separator_and_encoding(encode, sep):
    text = f"Naam{sep}Kleur\r\nCafé Überzicht{sep}rood\r\n"
    table = spreadsheets.read_csv(encode(text))
    assert table.header == ["Naam", "Kleur"]
    assert list(table.rows) == [{"Naam": "Café Überzicht", "Kleur": "rood"}]


def zip_bytes(members: dict[str, bytes]) -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as z:
        for name, content in members.items():
            z.writestr(name, content)
    return out.getvalue()


@pytest.mark.parametrize("data, message", [
    (b"", "leeg"),
    (b"   \r\n", "leeg"),
    (b"%PDF-1.4\n%\xe2\xe3\n1 0 obj\n", "PDF"),
    (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 100, ".xls"),
    (b"\x89PNG\r\n\x1a\n" + b"\x00" * 50, "geen Excel- of CSV-bestand"),
    (b"PK\x03\x04kapot", "beschadigd"),
])
def test_other_kinds_of_file_are_refused_cleanly(data, message):
    with pytest.raises(UploadRejected, match=message):
        spreadsheets.read_upload(data)


def test_zip_bomb_and_non_workbook_zip_are_refused_before_parsing():
    bomb = zip_bytes({"xl/workbook.xml": b"<x/>", "xl/worksheets/sheet1.xml": b"0" * (400 * 1024 * 1024)})
    assert len(bomb) < 1024 * 1024
    with pytest.raises(UploadRejected, match="uitgepakt te groot"):
        spreadsheets.read_upload(bomb)
    with pytest.raises(UploadRejected, match="te veel onderdelen"):
        spreadsheets.read_upload(zip_bytes({f"f{i}.txt": b"x" for i in range(600)}))
    with pytest.raises(UploadRejected, match="geen Excel-werkmap"):
        spreadsheets.read_upload(zip_bytes({"word/document.xml": b"<w/>"}))
    with pytest.raises(UploadRejected, match="kan niet worden gelezen"):
        spreadsheets.read_upload(zip_bytes({"[Content_Types].xml": b"<rubbish", "xl/workbook.xml": b"<rubbish"}))


def test_size_and_row_limits_have_a_clear_message():
    with pytest.raises(UploadRejected, match="te groot: maximaal 1 kB"):
        spreadsheets.read_upload(b"Naam\r\n" + b"x\r\n" * 1000, max_bytes=1024)
    many = ("Naam\r\n" + "x\r\n" * 11).encode()
    with pytest.raises(UploadRejected, match="te veel rijen: maximaal 10"):
        spreadsheets.read_upload(many, max_rows=10)
    with pytest.raises(UploadRejected, match="te veel rijen op blad 'Dingen': maximaal 3"):
        spreadsheets.read_upload(xlsx_bytes(), max_rows=3)
