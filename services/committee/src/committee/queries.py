"""Reads of the committee's read models, for one country office at a time."""

import json
from dataclasses import dataclass
from datetime import date
from typing import Any
from uuid import UUID

import asyncpg

from committee import domain
from committee.domain import PlanStatus
from committee.store import plan_stream, store
from committee.views import (
    ConveningReport,
    FunnelReport,
    FunnelRow,
    PlanDetail,
    PlanRow,
    ReadyLocality,
    SessionDetail,
    SessionRow,
    ThresholdView,
    plan_detail,
)
from reintegration_sdk.auth import AuthorizationError
from reintegration_sdk.errors import NotFound

_PLAN_COLUMNS = """plan_id, kind, status, region, commune, sector, trade, activity,
    beneficiary_count, currency, submitted_on, submitted_total, in_kind_total, reviewed_on,
    reviewed_total, flagged_lines, session_id, decided_on, approved_total, amended"""

# Localities are compared the way the domain compares them: trimmed, case-insensitive.
_SAME_LOCALITY = """($2::text IS NULL OR lower(trim(region)) = lower(trim($2)))
    AND ($3::text IS NULL OR lower(trim(commune)) = lower(trim($3)))"""


@dataclass(frozen=True)
class PlanFilter:
    status: PlanStatus | None = None
    region: str | None = None
    commune: str | None = None
    submitted_from: date | None = None
    submitted_to: date | None = None


async def plans(
    db: asyncpg.Pool, office: str, where: PlanFilter, limit: int, offset: int
) -> list[PlanRow]:
    rows = await db.fetch(
        f"""SELECT {_PLAN_COLUMNS} FROM plans
            WHERE country_office = $1 AND {_SAME_LOCALITY}
              AND ($4::text IS NULL OR status = $4)
              AND ($5::date IS NULL OR submitted_on >= $5)
              AND ($6::date IS NULL OR submitted_on <= $6)
            ORDER BY submitted_on DESC, plan_id LIMIT $7 OFFSET $8""",
        office,
        where.region,
        where.commune,
        where.status.value if where.status else None,
        where.submitted_from,
        where.submitted_to,
        limit,
        offset,
    )
    return [PlanRow.model_validate(dict(row)) for row in rows]


async def plan(db: asyncpg.Pool, office: str, plan_id: UUID) -> PlanDetail:
    async with db.acquire() as connection:
        events = await store.load(connection, plan_stream(plan_id))
    state = domain.fold(event.payload() for event in events)
    if state is None:
        raise NotFound(f"business plan {plan_id}")
    if events[0].country_office != office:
        raise AuthorizationError("this business plan belongs to another country office")
    return plan_detail(state, events)


async def sessions(db: asyncpg.Pool, office: str) -> list[SessionRow]:
    rows = await db.fetch(
        """SELECT s.session_id, s.region, s.commune, s.held_on,
                  jsonb_array_length(s.members) AS member_count,
                  count(p.plan_id) FILTER (WHERE p.status = 'approved') AS plans_approved,
                  count(p.plan_id) FILTER (WHERE p.status = 'rejected') AS plans_rejected
           FROM committee_sessions s LEFT JOIN plans p ON p.session_id = s.session_id
           WHERE s.country_office = $1
           GROUP BY s.session_id ORDER BY s.held_on DESC, s.session_id""",
        office,
    )
    return [SessionRow.model_validate(dict(row)) for row in rows]


async def session(db: asyncpg.Pool, office: str, session_id: UUID) -> SessionDetail:
    row = await db.fetchrow("SELECT * FROM committee_sessions WHERE session_id = $1", session_id)
    if row is None:
        raise NotFound(f"committee session {session_id}")
    if row["country_office"] != office:
        raise AuthorizationError("this committee session belongs to another country office")
    decided = await db.fetch(
        f"SELECT {_PLAN_COLUMNS} FROM plans WHERE session_id = $1 ORDER BY plan_id", session_id
    )
    return SessionDetail(
        session_id=session_id,
        locality={"region": row["region"], "commune": row["commune"]},
        held_on=row["held_on"],
        members=json.loads(row["members"]),
        decisions=[PlanRow.model_validate(dict(plan)) for plan in decided],
    )


async def threshold(db: asyncpg.Pool, office: str) -> ThresholdView:
    row = await db.fetchrow(
        "SELECT threshold, set_on FROM convening_thresholds WHERE country_office = $1", office
    )
    if row is None:
        return ThresholdView(threshold=domain.DEFAULT_CONVENING_THRESHOLD, set_on=None)
    return ThresholdView.model_validate(dict(row))


async def ready_to_convene(
    db: asyncpg.Pool, office: str, threshold_override: int | None
) -> ConveningReport:
    wanted = threshold_override or (await threshold(db, office)).threshold
    rows = await db.fetch(
        """SELECT min(region) AS region, min(commune) AS commune, count(*) AS plans_waiting,
                  sum(beneficiary_count) AS beneficiaries_waiting,
                  min(reviewed_on) AS reviewed_since
           FROM plans WHERE country_office = $1 AND status = $2
           GROUP BY lower(trim(region)), lower(trim(commune))
           ORDER BY plans_waiting DESC, reviewed_since""",
        office,
        PlanStatus.REVIEWED.value,
    )
    localities = [ReadyLocality.model_validate(dict(row)) for row in rows]
    ready = [p for p in localities if domain.ready_to_convene(p.plans_waiting, wanted)]
    return ConveningReport(threshold=wanted, localities=ready)


_FUNNEL = f"""
SELECT grouping(lower(trim(region))) = 1 AS is_total,
       coalesce(min(region), '') AS region, coalesce(min(commune), '') AS commune,
       count(*) AS plans_submitted,
       coalesce(sum(beneficiary_count), 0) AS beneficiaries_submitted,
       count(*) FILTER (WHERE reviewed_on IS NOT NULL) AS plans_reviewed,
       coalesce(sum(beneficiary_count) FILTER (WHERE reviewed_on IS NOT NULL), 0)
           AS beneficiaries_reviewed,
       count(*) FILTER (WHERE decided_on IS NOT NULL) AS plans_decided,
       coalesce(sum(beneficiary_count) FILTER (WHERE decided_on IS NOT NULL), 0)
           AS beneficiaries_decided,
       count(*) FILTER (WHERE status = 'approved') AS plans_approved,
       coalesce(sum(beneficiary_count) FILTER (WHERE status = 'approved'), 0)
           AS beneficiaries_approved,
       count(*) FILTER (WHERE amended) AS plans_amended,
       count(*) FILTER (WHERE status = 'rejected') AS plans_rejected,
       coalesce(sum(beneficiary_count) FILTER (WHERE status = 'rejected'), 0)
           AS beneficiaries_rejected,
       count(*) FILTER (WHERE status = 'submitted') AS plans_awaiting_review,
       count(*) FILTER (WHERE status = 'reviewed') AS plans_awaiting_decision,
       percentile_cont(0.5) WITHIN GROUP (ORDER BY decided_on - submitted_on)
           FILTER (WHERE decided_on IS NOT NULL) AS median_days_to_decision
FROM plans
WHERE country_office = $1 AND {_SAME_LOCALITY}
  AND ($4::date IS NULL OR submitted_on >= $4) AND ($5::date IS NULL OR submitted_on <= $5)
GROUP BY GROUPING SETS ((lower(trim(region)), lower(trim(commune))), ())
ORDER BY is_total, region, commune
"""


async def funnel(db: asyncpg.Pool, office: str, where: PlanFilter) -> FunnelReport:
    rows = await db.fetch(
        _FUNNEL, office, where.region, where.commune, where.submitted_from, where.submitted_to
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
            # Of the plans the committee decided, the share it approved (amended ones included).
            "approval_rate": round(approved / decided, 4) if decided else None,
            "median_days_to_decision": row.get("median_days_to_decision"),
        }
    )
