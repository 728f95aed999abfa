"""Time and peak memory of the ArchiMate export of a large supplier (fresh SQLite database).

    /work/venv/bin/python bench/archimate_export.py [packages] [versions-per-package]

Defaults: 2,000 packages with 5 versions and 1 module each, spread over 60 referentiecomponenten
(1 to 3 per package, some unclassified). Prints the time of the export to a file (untraced),
the peak Python memory of the same export (tracemalloc), the same for a tenth of the packages
(to show memory does not grow with the offering), the file size and whether it validates
against archimate3_Diagram.xsd when the schemas are found.
"""

from __future__ import annotations

import os
import sys
import tempfile
import time
import tracemalloc
import uuid
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("INSTANCE_DIR", tempfile.mkdtemp(prefix="scg-bench-"))
os.environ.setdefault("SECRET_KEY", "bench")

from sqlalchemy import insert  # noqa: E402

from core.app import create_app  # noqa: E402
from core.catalogue.models import Module, Package, Version, package_referentiecomponent  # noqa: E402
from core.extensions import db  # noqa: E402
from core.gemma.models import Referentiecomponent  # noqa: E402
from core.models import Organisation, utcnow  # noqa: E402
from plugins.f007_export import archimate  # noqa: E402


def fill(name: str, packages: int, versions: int, rc_ids: list[int]) -> Organisation:
    org = Organisation(name=name, type="leverancier", status="goedgekeurd")
    db.session.add(org)
    db.session.flush()
    now = utcnow()
    pkg_rows = [{"organisation_id": org.id, "name": f"Pakket {i:05d} <&> met een wat langere naam",
                 "public_id": str(uuid.uuid4()), "status": "gepubliceerd" if i % 4 else "concept",
                 "short_description": "Een pakket voor gemeenten. " * 5, "cloud_models": "saas,iaas",
                 "licence_type": "open_source", "licence_spdx": "EUPL-1.2", "website": "https://example.org/p",
                 "takeover_pending": False, "created_on": now, "changed_on": now} for i in range(packages)]
    db.session.execute(insert(Package.__table__), pkg_rows)
    ids = [row.id for row in db.session.query(Package.id).filter_by(organisation_id=org.id).order_by(Package.id)]
    db.session.execute(insert(Version.__table__), [
        {"organisation_id": org.id, "package_id": pid, "name": f"{v}.0", "status": "in_gebruik",
         "public_id": str(uuid.uuid4()), "created_on": now, "changed_on": now}
        for pid in ids for v in range(versions)])
    db.session.execute(insert(Module.__table__), [
        {"organisation_id": org.id, "package_id": pid, "name": "Basismodule", "public_id": str(uuid.uuid4()),
         "created_on": now, "changed_on": now} for pid in ids])
    # 1 to 3 referentiecomponenten per package; every tenth package has none
    links = {(pid, rc_ids[(i * k) % len(rc_ids)]) for i, pid in enumerate(ids) if i % 10
             for k in (1, 7, 13)[: 1 + i % 3]}
    db.session.execute(insert(package_referentiecomponent), [
        {"package_id": p, "referentiecomponent_id": r} for p, r in sorted(links)])
    db.session.commit()
    return org


def export(org, path: Path):
    with open(path, "wb") as handle:
        return archimate.write_offering(handle, org)


def timed_and_traced(label: str, org, path: Path):
    start = time.perf_counter()
    result = export(org, path)
    elapsed = time.perf_counter() - start
    tracemalloc.start()
    export(org, path)
    _current, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    size = path.stat().st_size / 1024 / 1024
    print(f"{label:<34} {elapsed:6.2f} s   peak {peak / 1024 / 1024:6.2f} MB (tracemalloc)   "
          f"file {size:5.1f} MB   {result.stats.elements} elements, {result.stats.relationships} relationships, "
          f"{result.stats.nodes} nodes")
    return result


def main() -> None:
    packages = int(sys.argv[1]) if len(sys.argv) > 1 else 2000
    versions = int(sys.argv[2]) if len(sys.argv) > 2 else 5
    with tempfile.TemporaryDirectory() as folder:
        app = create_app({"SQLALCHEMY_DATABASE_URI": f"sqlite:///{folder}/bench.db", "SECRET_KEY": "bench"})
        with app.app_context():
            rcs = [Referentiecomponent(object_id=str(uuid.uuid4()), name=f"Referentiecomponent {i:02d}")
                   for i in range(60)]
            db.session.add_all(rcs)
            db.session.commit()
            rc_ids = [rc.id for rc in rcs]
            big = fill("Grote Leverancier BV", packages, versions, rc_ids)
            small = fill("Kleine Leverancier BV", max(1, packages // 10), versions, rc_ids)
            print(f"ArchiMate export, {packages} packages x {versions} versions (+1 module each), "
                  f"{len(rc_ids)} referentiecomponenten")
            path = Path(folder) / "export.xml"
            timed_and_traced(f"{max(1, packages // 10)} packages", small, path)
            timed_and_traced(f"{packages} packages", big, path)
            try:
                from tests.f007_archimate.support import xsd_folder
            except ImportError:  # pragma: no cover - tests not shipped
                xsd_folder = lambda: None  # noqa: E731
            folder_xsd = xsd_folder()
            if folder_xsd is None:
                print("schemas not found: validation skipped")
                return
            from lxml import etree

            start = time.perf_counter()
            schema = etree.XMLSchema(etree.parse(str(folder_xsd / "archimate3_Diagram.xsd")))
            ok = schema.validate(etree.parse(str(path)))
            print(f"validates against archimate3_Diagram.xsd: {ok} ({time.perf_counter() - start:.1f} s)")


if __name__ == "__main__":
    main()
