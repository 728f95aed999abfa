"""F007: XLSX export and import of 100,000 package versions against the raw libraries.

    .venv/bin/python bench/export_import.py [--rows 100000] [--repeat 3]

Builds a fresh SQLite database with one supplier, 2,000 packages and ``--rows`` versions,
then prints:

- export: our XLSX export of the "Pakketversies" sheet (query + rows + workbook with
  header, filter, drop-downs, Toelichting) against xlsxwriter (constant_memory) writing
  the same rows from a list in memory; the ratio is the figure. For the choice of writer
  also openpyxl (write_only) on the same rows, and our whole workbook and our CSV;
- import: our rate (rows per second for parse + validate + apply, in one transaction)
  for a file without changes and for one where every row changed, against the raw
  reader (python-calamine) parsing the same file;
- peak memory of each: every step runs in a fresh process, untraced; the figure is how
  much that process's peak resident memory grew during the step (constant-memory
  writers should stay flat as rows grow).

Every step runs ``--repeat`` times, ours and the raw libraries interleaved, and the CPU
time (min and median) is the figure: this machine is shared and its wall time noisy.
"""

from __future__ import annotations

import argparse
import datetime as dt
import gc
import io
import json
import os
import resource
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
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


def rss_mb() -> float:
    """Current resident memory of this process."""
    with open("/proc/self/statm") as f:
        return int(f.read().split()[1]) * os.sysconf("SC_PAGE_SIZE") / 1024 / 1024


def reset_peak() -> None:
    """Start measuring the peak afresh (Linux: writing 5 to clear_refs resets VmHWM)."""
    with open("/proc/self/clear_refs", "w") as f:
        f.write("5")


def peak_rss_mb() -> float:
    with open("/proc/self/status") as f:
        for ln in f:
            if ln.startswith("VmHWM:"):
                return int(ln.split()[1]) / 1024
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


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


def app_for(db_path):
    return create_app({"SQLALCHEMY_DATABASE_URI": f"sqlite:///{db_path}", "SECRET_KEY": "bench",
                       "AUTO_MIGRATE": False, **LIMITS})


def user():
    return accounts.find_user_by_email("bench@bench.example")


def rows_in_memory():
    header = list(VERSIONS.column_names)
    return header, [[r[c] for c in header] for r in VERSIONS.iter_rows(user())]


def step(name: str, db_path: str, files: str) -> dict:
    """Run one measured step in this (fresh) process: time, and growth of peak memory over the start."""
    folder = Path(files)
    app = app_for(db_path)
    with app.app_context():
        prepared = None
        if name.startswith("raw_") and name != "raw_calamine":
            prepared = rows_in_memory()
        data = {n: (folder / f"{n}.xlsx").read_bytes() for n in ("export", "edited") if (folder / f"{n}.xlsx").exists()}
        u = user()
        gc.collect()
        reset_peak()
        before = rss_mb()
        start, cpu_start = time.perf_counter(), time.process_time()
        extra = {}
        if name == "ours_sheet":
            with open(folder / "export.xlsx", "wb") as out:  # to a file, as the app does
                spreadsheets.write_xlsx([(VERSIONS, VERSIONS.iter_rows(u))], out)
            extra["mb"] = (folder / "export.xlsx").stat().st_size / 1024 / 1024
        elif name == "raw_xlsxwriter":
            raw_xlsxwriter(*prepared)
        elif name == "raw_openpyxl":
            raw_openpyxl(*prepared)
        elif name in ("ours_workbook", "ours_csv"):
            from plugins.f007_export import exchange

            exchange.make_export(u, "xlsx" if name == "ours_workbook" else "csv").discard()
        elif name == "raw_calamine":
            extra["rows"] = raw_calamine(data["export"])
        elif name == "import_same":
            outcome = our_import(u, data["export"])
            assert outcome.no_changes, outcome.as_dict()
            extra["rows"] = outcome.unchanged
        elif name == "import_changed":
            outcome = our_import(u, data["edited"])
            assert outcome.applied and outcome.created == 0 and outcome.errors == [], outcome.as_dict()
            extra["rows"] = outcome.changed
        seconds, cpu = time.perf_counter() - start, time.process_time() - cpu_start
        return {"seconds": seconds, "cpu": cpu, "peak_mb": max(peak_rss_mb() - before, 0.0), **extra}


STEPS = [
    ("ours_sheet", "ours: Pakketversies sheet (query + workbook)"),
    ("raw_xlsxwriter", "raw xlsxwriter constant_memory, same rows"),
    ("raw_openpyxl", "raw openpyxl write_only, same rows"),
    ("ours_workbook", "ours: whole workbook (6 sheets + Toelichting)"),
    ("ours_csv", "ours: CSV 'Aanbod per pakketversie' (20 kol.)"),
    ("raw_calamine", "raw python-calamine parse"),
    ("import_same", "ours: import, file without changes"),
    ("import_changed", "ours: import, every row changed (+ audit)"),
]


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--rows", type=int, default=100_000)
    parser.add_argument("--repeat", type=int, default=3, help="rounds of all steps (interleaved)")
    parser.add_argument("--steps", default=",".join(n for n, _ in STEPS),
                        help="comma-separated subset of the steps (ours_sheet always runs: it makes the file)")
    parser.add_argument("--step", help=argparse.SUPPRESS)
    parser.add_argument("--db", help=argparse.SUPPRESS)
    parser.add_argument("--files", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.step:
        print("RESULT " + json.dumps(step(args.step, args.db, args.files)))
        return
    with tempfile.TemporaryDirectory() as folder:
        db_path = f"{folder}/bench.db"
        app = create_app({"SQLALCHEMY_DATABASE_URI": f"sqlite:///{db_path}", "SECRET_KEY": "bench", **LIMITS})
        with app.app_context():
            start = time.perf_counter()
            build(args.rows)
            print(f"database: {PACKAGES:,} packages, {args.rows:,} versions "
                  f"(built in {time.perf_counter() - start:.0f} s, SQLite)")
            db.engine.dispose()
        shutil.copyfile(db_path, f"{db_path}.orig")
        print(f"{args.repeat} rounds; in each round every step runs once, in a fresh process, ours and the raw "
              "libraries interleaved, on the same database (restored before each step). CPU is the process's "
              "CPU time for the step (the figure on a shared machine); 'peak' is how much the process's peak "
              "memory (RSS) grew during the step (for the raw writers the rows are already in memory).\n")
        chosen = set(args.steps.split(",")) | {"ours_sheet"}
        runs: dict[str, list[dict]] = {}
        for _ in range(args.repeat):
            for name, label in STEPS:
                if name not in chosen:
                    continue
                shutil.copyfile(f"{db_path}.orig", db_path)
                if name == "raw_calamine":
                    (Path(folder) / "edited.xlsx").write_bytes(
                        edited((Path(folder) / "export.xlsx").read_bytes(), "A"))
                proc = subprocess.run([sys.executable, __file__, "--step", name, "--db", db_path,
                                       "--files", folder], capture_output=True, text=True)
                found = [ln for ln in proc.stdout.splitlines() if ln.startswith("RESULT ")]
                if proc.returncode or not found:
                    print(f"{label}: failed\n{proc.stderr[-3000:]}")
                    return
                runs.setdefault(name, []).append(json.loads(found[0][7:]))
        report(runs, args.rows)


def _stats(values: list[float]) -> tuple[float, float]:
    return min(values), statistics.median(values)


def report(runs: dict[str, list[dict]], rows: int) -> None:
    labels = dict(STEPS)
    print(f"{'step':<48} {'CPU min':>8} {'CPU med':>8} {'wall min':>9} {'wall med':>9}   peak (max)   rows/s (CPU med)")
    cpu = {}
    for name, results in runs.items():
        cpu_min, cpu_med = _stats([r["cpu"] for r in results])
        wall_min, wall_med = _stats([r["seconds"] for r in results])
        cpu[name] = (cpu_min, cpu_med)
        rate = f"{results[0]['rows'] / cpu_med:12,.0f}" if "rows" in results[0] else ""
        if name == "raw_calamine":
            print("IMPORT (XLSX: parse + validate + apply in one transaction)")
        elif name == "ours_sheet":
            print("EXPORT (XLSX)")
        print(f"{labels[name]:<48} {cpu_min:8.2f} {cpu_med:8.2f} {wall_min:9.2f} {wall_med:9.2f}   "
              f"+{max(r['peak_mb'] for r in results):6.1f} MB   {rate}")
    if {"ours_sheet", "raw_xlsxwriter"} <= set(cpu):
        print(f"  => export ours / raw xlsxwriter (CPU): min {cpu['ours_sheet'][0] / cpu['raw_xlsxwriter'][0]:.2f}x, "
              f"median {cpu['ours_sheet'][1] / cpu['raw_xlsxwriter'][1]:.2f}x (target <= 1.3x)")
    if {"raw_calamine", "import_same", "import_changed"} <= set(cpu):
        raw = cpu["raw_calamine"][1]
        for name, what in (("import_same", "without changes"), ("import_changed", "every row changed")):
            print(f"  => import {what}: {cpu[name][1] / raw:.1f}x the raw read's CPU time (median; target <= 3x, "
                  f"i.e. >= 1/3 of its rate); min {cpu[name][0] / cpu['raw_calamine'][0]:.1f}x")
    print(f"  ({rows:,} version rows)")

if __name__ == "__main__":
    main()
