"""Database upkeep: planner statistics after bulk changes (PostgreSQL).

Right after a bulk load PostgreSQL plans with the statistics of the empty tables (row
estimates of 1) until autovacuum's ANALYZE comes round, and picks nested loops over tens of
thousands of rows. ANALYZE after migrations and after bulk imports gives the planner the
real sizes at once. SQLite plans without such statistics: nothing to do there.
"""

from __future__ import annotations

from sqlalchemy import text

from core.extensions import db

#: An import that creates, changes or removes at least this many rows counts as bulk.
BULK_ROWS = 1000


def analyze() -> bool:
    """Refresh the planner statistics of every table (PostgreSQL only); True when it ran."""
    if db.engine.dialect.name != "postgresql":
        return False
    with db.engine.connect() as conn:
        conn.execute(text("ANALYZE"))
        conn.commit()
    return True


def analyze_after_bulk(rows_written: int) -> bool:
    """``analyze()`` when ``rows_written`` is a bulk change (``BULK_ROWS``)."""
    return rows_written >= BULK_ROWS and analyze()
