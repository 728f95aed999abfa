"""Server time of the public catalogue pages and the heaviest lists at national size, against a bare endpoint.

    .venv/bin/python bench/catalogue_pages.py [--db sqlite|postgres] [--repeat 15]

Seeds a catalogue of national size itself (GEMMA and the 342 municipalities, 500 approved
suppliers, 5,000 published packages of which 200 from one supplier, 15,000 versions,
15,000 standard claims, 60,000 usages, 1,000 services; bulk inserts, then
``recompute_municipality_counts`` and, on PostgreSQL, ANALYZE), then measures in this one
process, through the WSGI test client:

- ``/catalogus/`` without filter, with a text search and with two facets, a package page,
  the GEMMA shelf, the supplier page and the comparison (anonymous), and the search logged in
  (never from the page cache; warm, its facets come from the facet cache);
- the supplier's own package list (its Aanbod-beheerder, 200 packages), the Functioneel
  beheerder's organisations list and the public package API (anonymous);

each request interleaved with one to an anchor (a bare Flask endpoint registered on the same
app), ``--repeat`` rounds, and prints CPU time (``process_time``) and wall time, min and
median, per page and the ratio of the page's median CPU time to the anchor's. It does this
twice: ``cold`` (CATALOGUE_CACHE off: every request runs its SQL) and ``warm`` (the cache on
and filled: anonymous public pages from the page cache, facets from the facet cache).
On PostgreSQL (``TEST_PG_URL`` or postgresql+psycopg://postgres@127.0.0.1:5432/postgres)
a scratch database is made and dropped.
"""

from __future__ import annotations

import argparse
import os
import random
import statistics
import sys
import tempfile
import time
import uuid
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("INSTANCE_DIR", tempfile.mkdtemp(prefix="scg-bench-"))
os.environ.setdefault("SECRET_KEY", "bench")

from flask import current_app  # noqa: E402
from sqlalchemy import create_engine, insert, select, text  # noqa: E402

from core.app import create_app  # noqa: E402
from core.catalogue.counts import recompute_municipality_counts  # noqa: E402
from core.catalogue.models import (  # noqa: E402
    Package,
    Service,
    StandardClaim,
    Usage,
    Version,
    package_referentiecomponent,
    service_package,
)
from core.catalogue.search import search_text  # noqa: E402
from core.extensions import db  # noqa: E402
from core.gemma.models import Referentiecomponent, Standaardversie  # noqa: E402
from core.models import Organisation  # noqa: E402
from tests.support.actors import login, make_user  # noqa: E402
from tests.support.clients import IsolatedClient  # noqa: E402

SUPPLIERS, PACKAGES, OWN, VERSIONS_PER, CLAIMS_PER, USAGES, SERVICES = 500, 5000, 200, 3, 3, 60_000, 1000
WORDS = ("zaak", "archief", "burger", "belasting", "document", "portaal", "klant", "geo", "financieel", "sociaal")
CLOUD = ("saas", "on_premises", "iaas,paas", "saas,hybride", "paas")


def pg_database() -> tuple[str, callable]:
    base = os.environ.get("TEST_PG_URL", "postgresql+psycopg://postgres@127.0.0.1:5432/postgres")
    name = f"scg_bench_{uuid.uuid4().hex[:8]}"
    admin = create_engine(base, isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        conn.execute(text(f'CREATE DATABASE "{name}"'))
    url = base.rsplit("/", 1)[0] + "/" + name

    def drop():
        with admin.connect() as conn:
            conn.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        admin.dispose()

    return url, drop


def seed(rng: random.Random) -> dict:
    """The national-size catalogue, with bulk inserts; returns the URLs and people to measure with."""
    app = current_app._get_current_object()
    app.extensions["scg_plugins"].hook.seed_data(app=app, demo=False)  # GEMMA and the 342 municipalities
    session = db.session
    gemeenten = session.scalars(select(Organisation.id).where(Organisation.type == "gemeente")).all()
    rcs = session.scalars(select(Referentiecomponent.id).where(Referentiecomponent.in_release.is_(True))).all()
    versies = session.scalars(select(Standaardversie.id)).all()
    session.execute(insert(Organisation), [
        {"name": f"Leverancier {i:03d} BV", "type": "leverancier", "status": "goedgekeurd",
         "kvk_number": f"{40000000 + i}"} for i in range(SUPPLIERS)])
    suppliers = session.scalars(select(Organisation.id).where(Organisation.type == "leverancier")
                                .order_by(Organisation.id)).all()
    owners = [suppliers[0]] * OWN + [suppliers[1 + i % (SUPPLIERS - 1)] for i in range(PACKAGES - OWN)]
    rows = []
    for i, owner in enumerate(owners):
        name = f"{WORDS[i % len(WORDS)].capitalize()}pakket {i:04d}"
        short = f"Software voor {WORDS[(i * 7) % len(WORDS)]} en {WORDS[(i * 3) % len(WORDS)]}"
        rows.append({"organisation_id": owner, "name": name, "short_description": short,
                     "long_description": "Een pakket voor gemeenten. " * 5, "status": "gepubliceerd",
                     "cloud_models": CLOUD[i % len(CLOUD)],
                     "licence_type": "open_source" if i % 3 == 0 else "proprietary",
                     "search_text": search_text(name, short, "Een pakket voor gemeenten.", f"Leverancier {i}")})
    session.execute(insert(Package), rows)
    packages = session.execute(select(Package.id, Package.organisation_id).order_by(Package.id)).all()
    session.execute(insert(package_referentiecomponent), [
        {"package_id": pid, "referentiecomponent_id": rc}
        for pid, _ in packages for rc in {rng.choice(rcs), rng.choice(rcs)}])
    session.execute(insert(Version), [
        {"organisation_id": org, "package_id": pid, "name": f"{v}.0", "status": "in_gebruik"}
        for pid, org in packages for v in range(1, VERSIONS_PER + 1)])
    session.execute(insert(StandardClaim), [
        {"organisation_id": org, "package_id": pid, "standaardversie_id": sv, "evidence_url": "https://bewijs.example"}
        for pid, org in packages for sv in rng.sample(versies, CLAIMS_PER)])
    per_package = USAGES // PACKAGES
    statuses = ("in_productie",) * 6 + ("gepland", "verwerving", "uit_te_faseren", "uitgefaseerd")
    session.execute(insert(Usage), [
        {"organisation_id": gid, "package_id": pid, "status": rng.choice(statuses)}
        for pid, _ in packages for gid in rng.sample(gemeenten, per_package)])
    session.execute(insert(Service), [
        {"organisation_id": suppliers[i % SUPPLIERS], "name": f"Dienst {i}",
         "kind": ("technisch_beheer", "implementatie", "opleidingen")[i % 3]} for i in range(SERVICES)])
    service_ids = session.scalars(select(Service.id)).all()
    session.execute(insert(service_package), [
        {"service_id": sid, "package_id": pid} for sid in service_ids
        for pid in {rng.choice(packages)[0], rng.choice(packages)[0]}])
    recompute_municipality_counts()
    session.commit()
    if db.engine.dialect.name == "postgresql":
        with db.engine.connect().execution_options(isolation_level="AUTOCOMMIT") as conn:
            conn.execute(text("ANALYZE"))
    aanbod = make_user("aanbod@bench.example", "Aanbod-beheerder", session.get(Organisation, suppliers[0]))
    fb = make_user("fb@bench.example", "Functioneel beheerder", None)
    first = session.scalars(select(Package).order_by(Package.municipality_count.desc()).limit(4)).all()
    rc = session.get(Referentiecomponent, session.scalar(
        select(package_referentiecomponent.c.referentiecomponent_id).limit(1)))
    return {
        "people": {"aanbod": aanbod.id, "fb": fb.id},
        "pages": [
            ("/catalogus/ (no filter)", None, "/catalogus/"),
            ("/catalogus/ text", None, "/catalogus/?q=zaak+software"),
            ("/catalogus/ 2 facets", None, f"/catalogus/?rc={rc.id}&cloud=saas"),
            ("/catalogus/ (no filter), logged in", "aanbod", "/catalogus/"),
            ("/catalogus/ 2 facets, logged in", "aanbod", f"/catalogus/?rc={rc.id}&cloud=saas"),
            ("package page", None, f"/catalogus/pakketten/{first[0].public_id}"),
            ("GEMMA shelf", None, f"/gemma/referentiecomponenten/{rc.object_id}"),
            ("supplier page (200 packages)", None, f"/leveranciers/{suppliers[0]}"),
            ("compare 4", None, "/catalogus/vergelijken?" + "&".join(f"p={p.public_id}" for p in first)),
            ("own package list (200)", "aanbod", "/pakketten/list/"),
            ("FB organisations list", "fb", "/organisaties/list/"),
            ("package API (list)", None, "/api/v1/catalogus/pakketten/"),
        ],
    }


def measure(client, url: str) -> tuple[float, float, int]:
    cpu, wall = time.process_time(), time.perf_counter()
    resp = client.get(url)
    return time.process_time() - cpu, time.perf_counter() - wall, resp.status_code


def ms(values) -> str:
    return f"{min(values) * 1000:7.1f} {statistics.median(values) * 1000:7.1f}"


def run(app, setup: dict, repeat: int, warm: bool) -> None:
    app.config["CATALOGUE_CACHE"] = warm
    clients = {None: app.test_client()}
    with app.app_context():
        from core.models import User

        for who, uid in setup["people"].items():
            clients[who] = app.test_client()
            login(clients[who], db.session.get(User, uid))
    anchor_client = app.test_client()
    print(f"\n== {'warm (cache on)' if warm else 'cold (cache off)'}: {repeat} rounds, ms; CPU min/median, "
          "wall min/median; ratio = page CPU median / anchor CPU median")
    print(f"{'page':36} {'status':>6} {'CPU min':>7} {'med':>7} {'wall min':>8} {'med':>7} {'anchor':>7} {'ratio':>7}")
    for label, who, url in setup["pages"]:
        client = clients[who]
        for _ in range(2):  # first-request work (templates, permissions) and, warm, filling the cache
            client.get(url)
            anchor_client.get("/_bench_anchor")
        page_cpu, page_wall, anchor_cpu = [], [], []
        status = None
        for _ in range(repeat):
            a_cpu, _a_wall, _ = measure(anchor_client, "/_bench_anchor")
            cpu, wall, status = measure(client, url)
            anchor_cpu.append(a_cpu)
            page_cpu.append(cpu)
            page_wall.append(wall)
        ratio = statistics.median(page_cpu) / max(statistics.median(anchor_cpu), 1e-6)
        print(f"{label:36} {status:>6} {ms(page_cpu)} {ms(page_wall):>16} "
              f"{statistics.median(anchor_cpu) * 1000:7.2f} {ratio:7.0f}x", flush=True)


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--db", choices=("sqlite", "postgres"), default="sqlite")
    parser.add_argument("--repeat", type=int, default=15)
    args = parser.parse_args()
    drop = None
    if args.db == "postgres":
        url, drop = pg_database()
    else:
        url = f"sqlite:///{tempfile.mkdtemp(prefix='scg-bench-')}/bench.db"
    try:
        app = create_app({"SQLALCHEMY_DATABASE_URI": url, "RATELIMIT_ENABLED": False, "AUTH_RATE_LIMITED": False,
                          "MAIL_SERVER": "", "FAB_PASSWORD_HASH_METHOD": "pbkdf2:sha256:1000",
                          "LOG_LEVEL": "ERROR"})
        app.add_url_rule("/_bench_anchor", "bench_anchor", lambda: "ok")
        app.test_client_class = IsolatedClient
        started = time.perf_counter()
        with app.app_context():
            setup = seed(random.Random(11))
            counts = db.session.execute(select(
                db.func.count(Package.id), db.func.sum(Package.municipality_count))).one()
            usages = db.session.scalar(select(db.func.count(Usage.id)))
        print(f"{args.db}: seeded {counts[0]} packages, {usages} usages ({counts[1]} active by municipalities) "
              f"in {time.perf_counter() - started:.0f} s")
        run(app, setup, args.repeat, warm=False)
        run(app, setup, args.repeat, warm=True)
        with app.app_context():
            db.session.remove()
            db.engine.dispose()
    finally:
        if drop is not None:
            drop()


if __name__ == "__main__":
    main()
