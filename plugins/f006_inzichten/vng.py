"""The VNG dashboard (issue pt 8): registrations and their handling time, open proposals and their age,
documents waiting for review, and usage coverage of the gemeenten. Aggregates only (VNG reads usage
aggregated): no municipality's landscape is listed. A fixed number of queries."""

from __future__ import annotations

import datetime as dt
from statistics import median

from sqlalchemy import func, select

from core.catalogue.models import ACTIVE_USAGE_STATUSES, PackageDocument, Usage
from core.extensions import db
from core.models import Organisation
from plugins.f006_inzichten.charts import Chart
from plugins.f006_inzichten.models import ProposalFact

WAITING = ("aangemeld", "bevestigd")
AGE_BUCKETS = ((7, "tot 1 week"), (30, "1 tot 4 weken"), (90, "1 tot 3 maanden"), (None, "langer dan 3 maanden"))
SIZE_BUCKETS = ((0, "geen pakketten"), (9, "1 tot 9 pakketten"), (49, "10 tot 49 pakketten"), (None, "50 of meer"))


def _days(start, end) -> float:
    return (end - start).total_seconds() / 86400


def registrations(now: dt.datetime) -> dict:
    rows = db.session.execute(select(Organisation.status, Organisation.created_on, Organisation.reviewed_on)
                              .where(Organisation.type == "leverancier")).all()
    handled = [_days(created, reviewed) for status, created, reviewed in rows
               if reviewed is not None and status in ("goedgekeurd", "afgewezen")]
    waiting = [_days(created, now) for status, created, _ in rows if status in WAITING]
    return {"waiting": len(waiting), "oldest_waiting": round(max(waiting)) if waiting else None,
            "handled": len(handled), "median_days": round(median(handled), 1) if handled else None}


def _bucket(value: float, buckets) -> str:
    for limit, text in buckets:
        if limit is None or value <= limit:
            return text
    return buckets[-1][1]


def open_proposals(today: dt.date) -> Chart:
    counts = dict.fromkeys((text for _, text in AGE_BUCKETS), 0)
    for (proposed_on,) in db.session.execute(select(ProposalFact.proposed_on).where(ProposalFact.state == "open")):
        counts[_bucket((today - proposed_on).days, AGE_BUCKETS)] += 1
    return Chart("open-voorstellen", "Open gebruiksvoorstellen naar leeftijd", ["Leeftijd", "Voorstellen"],
                 list(counts.items()))


def documents_waiting() -> int:
    return db.session.scalar(select(func.count(PackageDocument.id)).where(
        PackageDocument.review_status == "concept")) or 0


def coverage() -> Chart:
    sizes = dict(db.session.execute(
        select(Usage.organisation_id, func.count(Usage.id)).where(Usage.status.in_(ACTIVE_USAGE_STATUSES))
        .group_by(Usage.organisation_id)).all())
    counts = dict.fromkeys((text for _, text in SIZE_BUCKETS), 0)
    for (org_id,) in db.session.execute(select(Organisation.id).where(Organisation.type == "gemeente")):
        counts[_bucket(sizes.get(org_id, 0), SIZE_BUCKETS)] += 1
    return Chart("dekking", "Gemeenten naar omvang van hun applicatielandschap", ["Landschap", "Gemeenten"],
                 list(counts.items()))


def charts(today: dt.date) -> dict[str, Chart]:
    return {chart.key: chart for chart in (open_proposals(today), coverage())}
