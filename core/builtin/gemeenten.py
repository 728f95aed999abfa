"""The 342 municipalities (CBS list, 2025), loaded idempotently as active organisations."""

from __future__ import annotations

import csv
from pathlib import Path

from core.extensions import db
from core.models import Organisation, OrganisationStatus, OrganisationType
from core.plugins import hookimpl

CSV_PATH = Path(__file__).resolve().parent.parent / "data" / "gemeenten.csv"


def load_gemeenten(path: Path = CSV_PATH) -> dict[str, int]:
    """Insert new municipalities and update changed ones, keyed by CBS code."""
    with open(path, encoding="utf-8-sig", newline="") as handle:
        rows = list(csv.DictReader(handle))
    existing = {o.cbs_code: o for o in db.session.query(Organisation).filter(Organisation.cbs_code.isnot(None))}
    counts = {"toegevoegd": 0, "bijgewerkt": 0, "ongewijzigd": 0}
    for row in rows:
        values = {"name": row["naam"].strip(), "gm_code": row["gm_code"].strip(),
                  "province": row["provincie"].strip()}
        org = existing.get(row["cbs_code"].strip())
        if org is None:
            db.session.add(Organisation(type=OrganisationType.gemeente.value, cbs_code=row["cbs_code"].strip(),
                                        status=OrganisationStatus.goedgekeurd.value, **values))
            counts["toegevoegd"] += 1
        elif any(getattr(org, k) != v for k, v in values.items()):
            for k, v in values.items():
                setattr(org, k, v)
            counts["bijgewerkt"] += 1
        else:
            counts["ongewijzigd"] += 1
    db.session.commit()
    return counts


@hookimpl
def seed_data(app, demo):
    load_gemeenten()
