"""Dashboard cost at few and at many view rows, and the cost of recording a view (issue 13 pt 10).

    .venv/bin/python bench/insights.py [small] [large]

Seeds a fresh SQLite database with one supplier (10 packages), 500 gemeenten and ``small`` (default
10,000) daily view rows spread over two years, times the supplier dashboard's figures (min and median of
7 runs, CPU and wall time), then grows the table to ``large`` (default 1,000,000) rows and times it again.
The figures read the daily aggregates of the last 12 weeks through the (package, day) index, so the time
should stay flat. Also counts the SQL statements F006 adds to a package page view (1; 3 at an
organisation's first view of a day).
"""

from __future__ import annotations

import datetime as dt
import os
import statistics
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("INSTANCE_DIR", tempfile.mkdtemp(prefix="scg-bench-"))
os.environ.setdefault("SECRET_KEY", "bench")

from sqlalchemy import event, insert, text  # noqa: E402

from core.app import create_app  # noqa: E402
from core.catalogue.models import Package  # noqa: E402
from core.events import PackageViewed, emit  # noqa: E402
from core.extensions import db  # noqa: E402
from core.models import Organisation  # noqa: E402
from plugins.f006_inzichten import insights  # noqa: E402
from plugins.f006_inzichten.models import ViewDay  # noqa: E402

PACKAGES, GEMEENTEN, DAYS = 10, 500, 730


def seed_views(package_ids, gemeente_ids, start: int, count: int, today: dt.date) -> None:
    """Rows ``start`` .. ``start + count`` of a fixed enumeration of (package, gemeente, day)."""
    batch = []
    for n in range(start, start + count):
        day, rest = divmod(n, PACKAGES * GEMEENTEN)
        package, gemeente = divmod(rest, GEMEENTEN)
        batch.append({"package_id": package_ids[package], "viewer_id": gemeente_ids[gemeente],
                      "day": today - dt.timedelta(days=DAYS - 1 - (day % DAYS))})
        if len(batch) == 20000:
            db.session.execute(insert(ViewDay), batch)
            batch = []
    if batch:
        db.session.execute(insert(ViewDay), batch)
    # the daily counts F006 keeps beside the rows (one upsert at an organisation's first view of a day)
    db.session.execute(text("DELETE FROM f006_view_total"))
    db.session.execute(text("INSERT INTO f006_view_total (package_id, day, hits, organisations) "
                            "SELECT package_id, day, 0, count(*) FROM f006_view_day GROUP BY package_id, day"))
    db.session.commit()


def time_dashboard(ids, supplier_id, today, runs: int = 7) -> tuple[float, float, float, float]:
    cpu, wall = [], []
    for _ in range(runs):
        c0, w0 = time.process_time(), time.perf_counter()
        insights.charts(ids, supplier_id, today)
        insights.viewers(ids, today)
        insights.summary(ids, today)
        cpu.append(time.process_time() - c0)
        wall.append(time.perf_counter() - w0)
    return min(cpu), statistics.median(cpu), min(wall), statistics.median(wall)


def main() -> None:
    small = int(sys.argv[1]) if len(sys.argv) > 1 else 10_000
    large = int(sys.argv[2]) if len(sys.argv) > 2 else 1_000_000
    path = Path(tempfile.mkdtemp(prefix="scg-bench-db-")) / "bench.db"
    app = create_app({"SQLALCHEMY_DATABASE_URI": f"sqlite:///{path}", "SECRET_KEY": "bench"})
    today = dt.date.today()
    with app.test_request_context():
        supplier = Organisation(name="Bench Leverancier", type="leverancier", status="goedgekeurd")
        db.session.add(supplier)
        db.session.flush()
        packages = [Package(organisation_id=supplier.id, name=f"Pakket {i}", status="gepubliceerd")
                    for i in range(PACKAGES)]
        gemeenten = [Organisation(name=f"Gemeente {i}", type="gemeente", status="goedgekeurd")
                     for i in range(GEMEENTEN)]
        db.session.add_all(packages + gemeenten)
        db.session.commit()
        ids, gids = [p.id for p in packages], [g.id for g in gemeenten]
        seed_views(ids, gids, 0, small, today)
        print(f"{small:>10,} view rows: dashboard CPU min/median {{:.1f}}/{{:.1f}} ms, wall {{:.1f}}/{{:.1f}} ms"
              .format(*(1000 * t for t in time_dashboard(ids, supplier.id, today))))
        seed_views(ids, gids, small, large - small, today)
        db.session.execute(text("ANALYZE"))
        print(f"{large:>10,} view rows: dashboard CPU min/median {{:.1f}}/{{:.1f}} ms, wall {{:.1f}}/{{:.1f}} ms"
              .format(*(1000 * t for t in time_dashboard(ids, supplier.id, today))))

        for what, viewer, viewer_type in (("a gemeente's first view today", gids[-1], "gemeente"),
                                          ("its next view today", gids[-1], "gemeente"),
                                          ("a visitor's view", None, None)):
            statements = []

            def remember(conn, cursor, statement, *args):
                statements.append(statement.split("(")[0].strip())  # noqa: B023 - used right here

            event.listen(db.engine, "before_cursor_execute", remember)
            emit(PackageViewed(package_id=ids[-1], organisation_id=supplier.id, viewer_organisation_id=viewer,
                               viewer_organisation_type=viewer_type, viewer_sees_all=False,
                               user_agent="Mozilla/5.0 bench", day=today + dt.timedelta(days=1)))
            event.remove(db.engine, "before_cursor_execute", remember)
            print(f"statements F006 adds to {what}: {len(statements)} {statements}")


if __name__ == "__main__":
    main()
