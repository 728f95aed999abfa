"""Load test: gunicorn (2 and 4 workers) on PostgreSQL and Redis under a mix of anonymous
catalogue visitors and logged-in suppliers and municipalities (locust, headless, loopback only).

    .venv/bin/pip install -e '.[bench]'   # locust (not a test dependency)
    .venv/bin/python bench/load_test.py [--users 10] [--seconds 30] [--workers 2,4]

Seeds the national-size catalogue of bench/catalogue_pages.py into a scratch PostgreSQL
database (``TEST_PG_URL``), with 5 Aanbod-beheerders of one supplier and 5 Gebruik-beheerders
of gemeenten. For each worker count it starts gunicorn (``gunicorn.conf.py``, Redis for rate
limits and caches, ``bench/load_app.py`` adding a bare endpoint as the anchor) and runs locust
twice, each bounded in time (``--seconds``) and users (``--users``): the anchor alone, then the
mix (bench/locustfile.py: Visitor 6 : Supplier 2 : Municipality 2). It prints per run the
requests per second, median and p95 response times and failures (must be 0), the mix's
throughput as a share of the anchor's, and how throughput grows from the first to the last
worker count. Locust runs in its own process on the same machine (2 cores here): its own CPU
use is part of what limits the figures, the same for the anchor and the mix.

Two settings differ from production, both said here: two-factor is required only of the
Functioneel beheerder (the load users log in with a password), and the login rate limit is
raised so that the logins of repeated runs are not refused.
"""

from __future__ import annotations

import argparse
import csv
import os
import random
import shutil
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "bench"))
os.environ.setdefault("INSTANCE_DIR", tempfile.mkdtemp(prefix="scg-load-"))
os.environ.setdefault("SECRET_KEY", "bench-load")

from catalogue_pages import pg_database, seed  # noqa: E402
from sqlalchemy import select  # noqa: E402

from core.app import create_app  # noqa: E402
from core.catalogue.models import Package  # noqa: E402
from core.extensions import db  # noqa: E402
from core.models import Organisation  # noqa: E402
from tests.support.actors import PASSWORD, make_user  # noqa: E402

REDIS = os.environ.get("LOAD_REDIS_URL", "redis://127.0.0.1:6379/14")
LOG = tempfile.NamedTemporaryFile("w", prefix="scg-gunicorn-", suffix=".log", delete=False)  # noqa: SIM115


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def prepare(url: str) -> dict:
    app = create_app({"SQLALCHEMY_DATABASE_URI": url, "SECRET_KEY": os.environ["SECRET_KEY"]})
    with app.app_context():
        setup = seed(random.Random(20261208))
        supplier = db.session.get(Organisation, db.session.scalar(
            select(Package.organisation_id).group_by(Package.organisation_id)
            .order_by(db.func.count().desc()).limit(1)))
        gemeenten = db.session.scalars(select(Organisation).where(Organisation.type == "gemeente")
                                       .order_by(Organisation.id).limit(5)).all()
        suppliers = [make_user(f"aanbod{i}@load.example", "Aanbod-beheerder", supplier).email for i in range(5)]
        municipal = [make_user(f"gebruik{i}@load.example", "Gebruik-beheerder", g).email
                     for i, g in enumerate(gemeenten)]
        packages = db.session.scalars(select(Package.public_id).order_by(Package.municipality_count.desc())
                                      .limit(200)).all()
        supplier_id = supplier.id
        db.session.commit()
        db.engine.dispose()
    del setup
    return {"SCG_LOAD_PACKAGES": ",".join(packages), "SCG_LOAD_SUPPLIER": str(supplier_id),
            "SCG_LOAD_SUPPLIERS": ",".join(suppliers), "SCG_LOAD_GEMEENTEN": ",".join(municipal),
            "SCG_LOAD_PASSWORD": PASSWORD}


def start_gunicorn(url: str, workers: int, port: int) -> subprocess.Popen:
    env = dict(os.environ, DATABASE_URL=url, BIND=f"127.0.0.1:{port}", WEB_CONCURRENCY=str(workers),
               RATELIMIT_STORAGE_URI=REDIS, CACHE_REDIS_URL=REDIS, AUTO_MIGRATE="0",
               TOTP_REQUIRED_ROLES="Functioneel beheerder", AUTH_RATE_LIMIT="10000 per minute",
               LOG_LEVEL="ERROR")
    proc = subprocess.Popen([sys.executable, "-m", "gunicorn", "-c", str(ROOT / "gunicorn.conf.py"),
                             "--chdir", str(ROOT), "--pythonpath", str(ROOT / "bench"), "load_app:app"],
                            env=env, cwd=ROOT, stdout=subprocess.DEVNULL,
                            stderr=LOG, text=True)
    deadline = time.time() + 90
    while time.time() < deadline:
        try:
            urllib.request.urlopen(f"http://127.0.0.1:{port}/gezond", timeout=2)
            for _ in range(workers * 2):  # every worker has built its app
                urllib.request.urlopen(f"http://127.0.0.1:{port}/catalogus/", timeout=30)
            return proc
        except OSError:
            if proc.poll() is not None:
                raise SystemExit(f"gunicorn stopped: {Path(LOG.name).read_text()[-3000:]}") from None
            time.sleep(0.5)
    proc.kill()
    raise SystemExit("gunicorn did not start")


def run_locust(port: int, users: int, seconds: int, classes: list[str], env: dict, folder: Path, name: str) -> dict:
    prefix = folder / name
    locust = shutil.which("locust", path=str(Path(sys.executable).parent)) or "locust"
    proc = subprocess.run([locust, "-f", str(ROOT / "bench" / "locustfile.py"), "--headless", "-u", str(users),
                    "-r", str(users), "--run-time", f"{seconds}s", "--host", f"http://127.0.0.1:{port}",
                    "--csv", str(prefix), "--only-summary", "--loglevel", "ERROR", "--stop-timeout", "5", *classes],
                   env=dict(os.environ, **env), cwd=ROOT, capture_output=True, text=True, timeout=seconds + 120)
    if not Path(f"{prefix}_stats.csv").exists():
        raise SystemExit(f"locust failed: {proc.stderr[-3000:]}")
    with open(f"{prefix}_stats.csv", newline="") as f:
        rows = list(csv.DictReader(f))
    total = next(r for r in rows if r["Name"] == "Aggregated")
    failures = {r["Name"]: int(r["Failure Count"]) for r in rows if r["Name"] != "Aggregated" and
                int(r["Failure Count"])}
    return {"rps": float(total["Requests/s"]), "requests": int(total["Request Count"]),
            "failures": int(total["Failure Count"]), "median": float(total["Median Response Time"]),
            "p95": float(total["95%"]), "failed": failures}


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--users", type=int, default=10)
    parser.add_argument("--seconds", type=int, default=30)
    parser.add_argument("--workers", default="2,4")
    args = parser.parse_args()
    if shutil.which("locust", path=str(Path(sys.executable).parent)) is None and shutil.which("locust") is None:
        raise SystemExit("locust is not installed: .venv/bin/pip install -e '.[bench]'")
    url, drop = pg_database()
    folder = Path(tempfile.mkdtemp(prefix="scg-locust-"))
    try:
        start = time.perf_counter()
        env = prepare(url)
        print(f"seeded the national-size catalogue in {time.perf_counter() - start:.0f} s (PostgreSQL); "
              f"{args.users} users, {args.seconds} s per run, loopback\n")
        print(f"{'workers':>7} {'run':<8} {'req/s':>8} {'requests':>9} {'median ms':>10} {'p95 ms':>8} "
              f"{'failures':>9}  mix / anchor")
        results = {}
        for workers in [int(w) for w in args.workers.split(",")]:
            port = free_port()
            proc = start_gunicorn(url, workers, port)
            try:
                anchor = run_locust(port, args.users, args.seconds, ["Anchor"], env, folder, f"anchor{workers}")
                mix = run_locust(port, args.users, args.seconds, ["Visitor", "Supplier", "Municipality"], env,
                                 folder, f"mix{workers}")
            finally:
                proc.terminate()
                proc.wait(timeout=30)
            results[workers] = (anchor, mix)
            for label, r in (("anchor", anchor), ("mix", mix)):
                share = f"{mix['rps'] / anchor['rps']:.0%}" if label == "mix" and anchor["rps"] else ""
                print(f"{workers:>7} {label:<8} {r['rps']:8.1f} {r['requests']:9,} {r['median']:10.0f} "
                      f"{r['p95']:8.0f} {r['failures']:9}  {share}")
                if r["failed"]:
                    print(f"        failures: {r['failed']}")
        counts = sorted(results)
        if len(counts) > 1:
            first, last = results[counts[0]][1]["rps"], results[counts[-1]][1]["rps"]
            print(f"\nmix throughput {counts[0]} -> {counts[-1]} workers: x{last / first:.2f} "
                  f"(the machine has {os.cpu_count()} cores, shared with locust)")
    finally:
        drop()
        shutil.rmtree(folder, ignore_errors=True)


if __name__ == "__main__":
    main()
