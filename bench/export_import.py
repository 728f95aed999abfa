"""F007: XLSX export and import of 100,000 package versions against the raw libraries.

    /work/venv/bin/python bench/export_import.py [--rows 100000]

Builds a fresh SQLite database with one supplier, 2,000 packages and ``--rows`` versions,
then prints:

- export: our XLSX export of the "Pakketversies" sheet (query + rows + workbook with
  header, filter, drop-downs, Toelichting) against xlsxwriter (constant_memory) writing
  the same rows from a list in memory; the ratio is the figure. For the choice of writer
  also openpyxl (write_only) on the same rows, and our whole workbook and our CSV;
- import: our rate (rows per second for parse + validate + apply, in one transaction)
  for a file without changes and for one where every row changed, against the raw
  reader (python-calamine) parsing the same file;
- peak memory of each: Python allocations during that step (tracemalloc, a second,
  traced run), so the figure is the step's own memory and not the app's.
"""

from __future__ import annotations

import argparse
import datetime as dt
import io
import os
import sys
import tempfile
import time
import tracemalloc
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("INSTANCE_DIR", tempfile.mkdtemp(prefix="scg-bench-"))
os.environ.setdefault("SECRET_KEY", "bench")

from sqlalchemy import insert, select  # noqa: E402

from core import accounts, spreadsheets  # noqa: E402
from core import io as core_io  # noqa: E402
from core.app import create_app  # noqa: E402
from core.catalogue.models import Package, Version  # noqa: E402
from core.extensions import db  # noqa: E402
from core.models import Organisation  # noqa: E402
from core.roles import AANBOD_BEHEERDER  # noqa: E402
from plugins.f004_aanbod.io import VERSIONS  # noqa: E402

PACKAGES = 2000
LIMITS = {"F007_MAX_ROWS": 1_000_000, "F007_MAX_BYTES": 200 * 1024 * 1024}


def timed(func):
    start = time.perf_counter()
    result = func()
    return result, time.perf_counter() - start


def peak_mb(func) -> float:
    tracemalloc.start()
    func()
    _, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    return peak / 1024 / 1024


def line(label, seconds, mb, extra=""):
    print(f"{label:<52} {seconds:8.2f} s   peak {mb:7.1f} MB{extra}")


def build(rows: int):
    org = Organisation(name="Bench Software BV", type="leverancier", status="goedgekeurd")
    db.session.add(org)
    db.session.flush()
    user = accounts.create_user(email="bench@bench.example", first_name="B", last_name="Bench",
                                password="Bench-Wachtwoord-12", organisation=org, role_name=AANBOD_BEHEERDER)
    db.session.execute(insert(Package), [
        {"organisation_id": org.id, "name": f"Pakket {p:04d}", "status": "gepubliceerd",
         "short_description": f"Omschrijving van pakket {p}"} for p in range(PACKAGES)])
    package_ids = db.session.scalars(select(Package.id).order_by(Package.id)).all()
    per = rows // len(package_ids)
    batch = []
    for i in range(rows):
        batch.append({"organisation_id": org.id, "package_id": package_ids[i % len(package_ids)],
                      "name": f"{i // len(package_ids)}.{i % 7}", "status": "in_gebruik",
                      "description": f"Versie {i} met verbeteringen", "start_development": dt.date(2024, 1, 1),
                      "start_distribution": dt.date(2024, 6, 1)})
        if len(batch) == 10_000:
            db.session.execute(insert(Version), batch)
            batch = []
    if batch:
        db.session.execute(insert(Version), batch)
    db.session.commit()
    assert per >= 1
    return user


def our_export(user, handlers) -> bytes:
    out = io.BytesIO()
    spreadsheets.write_xlsx([(h, h.iter_rows(user)) for h in handlers], out)
    return out.getvalue()


def raw_xlsxwriter(header, rows) -> bytes:
    import xlsxwriter

    out = io.BytesIO()
    book = xlsxwriter.Workbook(out, {"constant_memory": True, "in_memory": False})
    sheet = book.add_worksheet("Pakketversies")
    date = book.add_format({"num_format": "yyyy-mm-dd"})
    sheet.write_row(0, 0, header)
    for r, row in enumerate(rows, start=1):
        for c, value in enumerate(row):
            if value is None:
                continue
            if isinstance(value, dt.date):
                sheet.write_datetime(r, c, dt.datetime(value.year, value.month, value.day), date)
            else:
                sheet.write_string(r, c, value)
    book.close()
    return out.getvalue()


def raw_openpyxl(header, rows) -> bytes:
    from openpyxl import Workbook

    book = Workbook(write_only=True)
    sheet = book.create_sheet("Pakketversies")
    sheet.append(header)
    for row in rows:
        sheet.append(row)
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def raw_calamine(data: bytes) -> int:
    from python_calamine import CalamineWorkbook

    book = CalamineWorkbook.from_filelike(io.BytesIO(data))
    n = 0
    for _ in book.get_sheet_by_name("Pakketversies").iter_rows():
        n += 1
    return n - 1


def edited(data: bytes, marker: str) -> bytes:
    """The same workbook with every version's description changed (written by xlsxwriter)."""
    table = spreadsheets.read_xlsx(data, max_rows=LIMITS["F007_MAX_ROWS"])[0]
    rows = []
    for row in table.rows:
        row["Pakketversie Beschrijving"] = f"{marker} {row['Pakketversie Beschrijving']}"
        rows.append(row)
    out = io.BytesIO()
    spreadsheets.write_xlsx([(VERSIONS, rows)], out)
    return out.getvalue()


def our_import(user, data: bytes, apply: bool = True):
    tables = spreadsheets.read_xlsx(data, max_rows=LIMITS["F007_MAX_ROWS"])
    table = next(t for t in tables if t.name == VERSIONS.sheet)
    return core_io.run_import(user, [(VERSIONS, table.rows)], apply=apply, headers={VERSIONS.name: table.header})


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--rows", type=int, default=100_000)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as folder:
        app = create_app({"SQLALCHEMY_DATABASE_URI": f"sqlite:///{folder}/bench.db", "SECRET_KEY": "bench",
                          **LIMITS})
        with app.app_context():
            (user, seconds) = timed(lambda: build(args.rows))
            print(f"database: {PACKAGES} packages, {args.rows:,} versions (built in {seconds:.1f} s, SQLite)\n")
            user_id = user.id

            def fresh_user():
                db.session.expire_all()
                return accounts.find_user_by_email("bench@bench.example")

            # ---------------------------------------------------------------- export
            print("EXPORT (XLSX)")
            data, ours = timed(lambda: our_export(fresh_user(), [VERSIONS]))
            ours_mb = peak_mb(lambda: our_export(fresh_user(), [VERSIONS]))
            rows = [[r[c.name] for c in VERSIONS.columns] for r in VERSIONS.iter_rows(fresh_user())]
            header = list(VERSIONS.column_names)
            _, raw = timed(lambda: raw_xlsxwriter(header, rows))
            raw_mb = peak_mb(lambda: raw_xlsxwriter(header, rows))
            _, opx = timed(lambda: raw_openpyxl(header, rows))
            opx_mb = peak_mb(lambda: raw_openpyxl(header, rows))
            line(f"ours: Pakketversies sheet, {len(rows):,} rows", ours, ours_mb)
            line("raw xlsxwriter constant_memory, same rows (in memory)", raw, raw_mb,
                 "   (rows list itself not counted)")
            line("raw openpyxl write_only, same rows (in memory)", opx, opx_mb)
            print(f"  ratio ours / raw xlsxwriter: {ours / raw:.2f}x   (openpyxl / xlsxwriter: {opx / raw:.2f}x)")
            from plugins.f007_export import exchange

            def whole(fmt):
                export = exchange.make_export(fresh_user(), fmt)
                export.discard()
            _, t_all = timed(lambda: whole("xlsx"))
            line("ours: whole workbook (all 6 sheets + Toelichting)", t_all, peak_mb(lambda: whole("xlsx")))
            _, t_csv = timed(lambda: whole("csv"))
            line("ours: CSV 'Aanbod per pakketversie' (20 columns)", t_csv, peak_mb(lambda: whole("csv")))
            del rows
            print(f"  file size: {len(data) / 1024 / 1024:.1f} MB")

            # ---------------------------------------------------------------- import
            print("\nIMPORT (XLSX, parse + validate + apply in one transaction)")
            n, t_raw = timed(lambda: raw_calamine(data))
            line(f"raw python-calamine parse, {n:,} rows", t_raw, peak_mb(lambda: raw_calamine(data)),
                 f"   {n / t_raw:10,.0f} rows/s")
            outcome, t_same = timed(lambda: our_import(fresh_user(), data))
            assert outcome.no_changes and outcome.unchanged == n, outcome.as_dict()
            line("ours: file without changes", t_same, peak_mb(lambda: our_import(fresh_user(), data)),
                 f"   {n / t_same:10,.0f} rows/s")
            first, second = edited(data, "A"), edited(data, "B")
            outcome, t_changed = timed(lambda: our_import(fresh_user(), first))
            assert outcome.changed == n and outcome.applied, outcome.as_dict()
            line("ours: every row changed (100% updates + audit)", t_changed,
                 peak_mb(lambda: our_import(fresh_user(), second)), f"   {n / t_changed:10,.0f} rows/s")
            print(f"  ratio raw parse rate / our rate: {(n / t_raw) / (n / t_same):.1f}x (no changes), "
                  f"{(n / t_raw) / (n / t_changed):.1f}x (all changed)")
            assert user_id


if __name__ == "__main__":
    main()
