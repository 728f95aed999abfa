"""One row numbering for the CLI, the page, the error report and the API: the spreadsheet's (header = rij 1)."""

from __future__ import annotations

import csv
import io
import re

from core.catalogue.models import Version
from core.extensions import db
from plugins.f007_export import exchange
from tests.f007.test_offering_io import export_bytes
from tests.f007.test_pages import upload
from tests.support.actors import api_token, login

EMAIL = "jan@ictsolutions.example"


def bad_csv(user) -> bytes:
    """The CSV export with three new versions: spreadsheet row 5 has a wrong date, row 6 repeats row 2's ID."""
    reader = csv.reader(io.StringIO(export_bytes(user, "csv").decode("utf-8-sig")), delimiter=";")
    header, *rows = list(reader)
    assert [r[header.index("Pakketversie Naam")] for r in rows] == ["1.0", "2.0"]  # rows 2 and 3
    col = header.index
    for name in ("3.0", "4.0"):  # rows 4 and 5
        new = list(rows[1])
        new[col("Pakketversie ID")], new[col("Pakketversie Naam")] = "", name
        rows.append(new)
    rows[-1][col("Start test")] = "morgen"  # row 5
    rows.append(list(rows[0]))  # row 6: the ID of row 2 again
    out = io.StringIO()
    writer = csv.writer(out, delimiter=";", lineterminator="\r\n")
    writer.writerow(header)
    writer.writerows(rows)
    return ("\ufeff" + out.getvalue()).encode("utf-8")


def test_cli_page_api_and_error_report_report_the_spreadsheets_row(app, client, world, suppliers, tmp_path):
    user = world.users["aanbod"]
    data = bad_csv(user)
    expected = {(5, "Start test"), (6, "Pakketversie ID")}

    # the CLI (click's CliRunner, through Flask's): preview and apply
    target = tmp_path / "aanbod.csv"
    target.write_bytes(data)
    runner = app.test_cli_runner()
    for extra in ([], ["--bevestigen"]):
        result = runner.invoke(args=["scg", "import", "--gebruiker", EMAIL, *extra, str(target)])
        assert result.exit_code != 0
        found = set(re.findall(r"Rij (\d+), kolom '([^']+)'", result.output))
        assert {(int(r), c) for r, c in found} == expected, result.output
        assert "Dit ID staat ook al in rij 2" in result.output

    # the page: the preview table and the error report
    login(client, user)
    page = upload(client, data, name="aanbod.csv").get_data(as_text=True)
    cells = set(re.findall(r"<tr><td>CSV</td><td>(\d+)</td><td>([^<]+)</td>", page))
    assert {(int(r), c) for r, c in cells} == expected
    token = page.split('name="csrf_token" type="hidden" value="')[1].split('"')[0]
    report = client.post("/uitwisseling/fouten", data={"csrf_token": token})
    lines = list(csv.reader(io.StringIO(report.data.decode("utf-8-sig")), delimiter=";"))
    marked = {number for number, line in enumerate(lines, start=1) if line[-1]}  # the spreadsheet's numbering
    assert lines[0][-1] == "Fouten" and marked - {1} == {5, 6}
    assert lines[4][-1].startswith("Start test: Moet een datum zijn")

    # the API: preview (200) and apply (422)
    auth = {"Authorization": f"Bearer {api_token(client, user)}"}
    for form, status, key in (({}, 200, "foutmeldingen"), ({"bevestigen": "ja"}, 422, "fouten")):
        resp = client.post("/api/v1/uitwisseling/import", headers=auth, content_type="multipart/form-data",
                           data={"bestand": (io.BytesIO(data), "aanbod.csv"), **form})
        assert resp.status_code == status
        assert {(e["rij"], e["kolom"]) for e in resp.json[key]} == expected

    # and the library the three share
    _, outcome = exchange.run(user, data, apply=False)
    assert {(e.row, e.column) for e in outcome.errors} == expected
    db.session.expire_all()
    assert db.session.query(Version).filter_by(name="3.0").count() == 0  # nothing was imported


def test_header_errors_are_row_1(app, world, suppliers, tmp_path):
    header, rest = export_bytes(world.users["aanbod"], "csv").split(b"\r\n", 1)
    data = header + b";Opmerking\r\n" + rest
    target = tmp_path / "kop.csv"
    target.write_bytes(data)
    result = app.test_cli_runner().invoke(args=["scg", "import", "--gebruiker", EMAIL, str(target)])
    assert result.exit_code != 0 and "Rij 1, kolom 'Opmerking': Onbekende kolom" in result.output
