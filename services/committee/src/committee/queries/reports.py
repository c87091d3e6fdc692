"""The pipeline made visible: localities ready to convene, and the funnel per locality.

Plans are grouped by the domain's locality key, so a commune typed two ways is one row, as it
is one committee.
"""

from typing import Any

import asyncpg

from committee.domain import PlanStatus, approval_rate, ready_to_convene
from committee.queries.lists import SAME_LOCALITY, PlanFilter, threshold
from committee.queries.views import ConveningReport, FunnelReport, FunnelRow, ReadyLocality


async def localities_ready_to_convene(
    db: asyncpg.Connection, office: str, threshold_asked: int | None
) -> ConveningReport:
    wanted = threshold_asked or (await threshold(db, office)).threshold
    rows = await db.fetch(
        """SELECT min(region) AS region, min(commune) AS commune, count(*) AS plans_waiting,
                  sum(beneficiary_count) AS beneficiaries_waiting,
                  min(reviewed_on) AS reviewed_since
           FROM plans WHERE country_office = $1 AND status = $2
           GROUP BY region_key, commune_key
           ORDER BY plans_waiting DESC, reviewed_since""",
        office,
        PlanStatus.REVIEWED.value,
    )
    localities = [ReadyLocality.model_validate(dict(row)) for row in rows]
    ready = [p for p in localities if ready_to_convene(p.plans_waiting, wanted)]
    return ConveningReport(threshold=wanted, localities=ready)


# $6..$9: the statuses approved, rejected, submitted (awaiting review), reviewed (awaiting
# the committee), as the domain names them.
_FUNNEL = f"""
SELECT grouping(region_key) = 1 AS is_total,
       -- The office total is no place: its region and commune stay empty.
       CASE WHEN grouping(region_key) = 1 THEN '' ELSE coalesce(min(region), '') END AS region,
       CASE WHEN grouping(region_key) = 1 THEN '' ELSE coalesce(min(commune), '') END
           AS commune,
       count(*) AS plans_submitted,
       coalesce(sum(beneficiary_count), 0) AS beneficiaries_submitted,
       count(*) FILTER (WHERE reviewed_on IS NOT NULL) AS plans_reviewed,
       coalesce(sum(beneficiary_count) FILTER (WHERE reviewed_on IS NOT NULL), 0)
           AS beneficiaries_reviewed,
       count(*) FILTER (WHERE decided_on IS NOT NULL) AS plans_decided,
       coalesce(sum(beneficiary_count) FILTER (WHERE decided_on IS NOT NULL), 0)
           AS beneficiaries_decided,
       count(*) FILTER (WHERE status = $6) AS plans_approved,
       coalesce(sum(beneficiary_count) FILTER (WHERE status = $6), 0) AS beneficiaries_approved,
       count(*) FILTER (WHERE amended) AS plans_amended,
       count(*) FILTER (WHERE status = $7) AS plans_rejected,
       coalesce(sum(beneficiary_count) FILTER (WHERE status = $7), 0) AS beneficiaries_rejected,
       count(*) FILTER (WHERE status = $8) AS plans_awaiting_review,
       count(*) FILTER (WHERE status = $9) AS plans_awaiting_decision,
       percentile_cont(0.5) WITHIN GROUP (ORDER BY decided_on - submitted_on)
           FILTER (WHERE decided_on IS NOT NULL) AS median_days_to_decision
FROM plans
WHERE country_office = $1 AND {SAME_LOCALITY}
  AND ($4::date IS NULL OR submitted_on >= $4) AND ($5::date IS NULL OR submitted_on <= $5)
GROUP BY GROUPING SETS ((region_key, commune_key), ())
ORDER BY is_total, region, commune
"""


async def funnel(db: asyncpg.Connection, office: str, where: PlanFilter) -> FunnelReport:
    rows = await db.fetch(
        _FUNNEL,
        office,
        where.region_key,
        where.commune_key,
        where.submitted_from,
        where.submitted_to,
        PlanStatus.APPROVED.value,
        PlanStatus.REJECTED.value,
        PlanStatus.SUBMITTED.value,
        PlanStatus.REVIEWED.value,
    )
    funnel_rows = [_funnel_row(dict(row)) for row in rows]
    total = funnel_rows.pop() if rows and rows[-1]["is_total"] else _funnel_row({})
    return FunnelReport(total=total, localities=funnel_rows)


def _funnel_row(row: dict[str, Any]) -> FunnelRow:
    counts = {name: row.get(name) or 0 for name in FunnelRow.model_fields}
    approved, decided = int(row.get("plans_approved") or 0), int(row.get("plans_decided") or 0)
    return FunnelRow.model_validate(
        counts
        | {
            "region": row.get("region") or "",
            "commune": row.get("commune") or "",
            "approval_rate": approval_rate(approved, decided),
            "median_days_to_decision": row.get("median_days_to_decision"),
        }
    )
