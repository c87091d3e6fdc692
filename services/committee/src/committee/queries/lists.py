"""The office's plans and sessions, and its convening threshold, from the read models."""

import json
from dataclasses import dataclass
from datetime import date
from uuid import UUID

import asyncpg

from committee.domain import PlanStatus, place_key, session_stream, threshold_in_force
from committee.queries.views import PlanRow, SessionDetail, SessionRow, ThresholdView
from reintegration_sdk import NotFound

# The activity is in words: committee's own (plan_words), gone once a beneficiary is erased.
PLAN_COLUMNS = """plan_id, kind, status, region, commune, sector, trade,
    (SELECT w.words->>'activity' FROM plan_words w
     WHERE w.plan_id = plans.plan_id AND w.part = 'submission') AS activity,
    beneficiary_count, currency, submitted_on, submitted_total, in_kind_total, reviewed_on,
    reviewed_total, flagged_lines, session_id, decided_on, approved_total, amended"""

# $2, $3: the keys of the region and commune asked for (the domain's `place_key`), or null.
SAME_LOCALITY = """($2::text IS NULL OR region_key = $2)
    AND ($3::text IS NULL OR commune_key = $3)"""


@dataclass(frozen=True)
class PlanFilter:
    status: PlanStatus | None = None
    region: str | None = None
    commune: str | None = None
    submitted_from: date | None = None
    submitted_to: date | None = None

    @property
    def region_key(self) -> str | None:
        return place_key(self.region) if self.region is not None else None

    @property
    def commune_key(self) -> str | None:
        return place_key(self.commune) if self.commune is not None else None


async def plans(
    db: asyncpg.Connection, office: str, where: PlanFilter, limit: int, offset: int
) -> list[PlanRow]:
    rows = await db.fetch(
        f"""SELECT {PLAN_COLUMNS} FROM plans
            WHERE country_office = $1 AND {SAME_LOCALITY}
              AND ($4::text IS NULL OR status = $4)
              AND ($5::date IS NULL OR submitted_on >= $5)
              AND ($6::date IS NULL OR submitted_on <= $6)
            ORDER BY submitted_on DESC, plan_id LIMIT $7 OFFSET $8""",
        office,
        where.region_key,
        where.commune_key,
        where.status.value if where.status else None,
        where.submitted_from,
        where.submitted_to,
        limit,
        offset,
    )
    return [PlanRow.model_validate(dict(row)) for row in rows]


async def sessions(db: asyncpg.Connection, office: str) -> list[SessionRow]:
    rows = await db.fetch(
        """SELECT s.session_id, s.region, s.commune, s.held_on,
                  jsonb_array_length(s.members) AS member_count,
                  count(p.plan_id) FILTER (WHERE p.status = $2) AS plans_approved,
                  count(p.plan_id) FILTER (WHERE p.status = $3) AS plans_rejected
           FROM committee_sessions s LEFT JOIN plans p ON p.session_id = s.session_id
           WHERE s.country_office = $1
           GROUP BY s.session_id ORDER BY s.held_on DESC, s.session_id""",
        office,
        PlanStatus.APPROVED.value,
        PlanStatus.REJECTED.value,
    )
    return [SessionRow.model_validate(dict(row)) for row in rows]


async def session(db: asyncpg.Connection, office: str, session_id: UUID) -> SessionDetail:
    row = await db.fetchrow(
        "SELECT * FROM committee_sessions WHERE session_id = $1 AND country_office = $2",
        session_id,
        office,
    )
    if row is None:
        # Another office's session answers as one that does not exist.
        raise NotFound(session_stream(session_id))
    organisations = await db.fetchval(
        "SELECT organisations FROM session_words WHERE session_id = $1", session_id
    )
    said = json.loads(organisations) if organisations else []
    members = [
        {**member, "organisation": said[n] if n < len(said) else None}
        for n, member in enumerate(json.loads(row["members"]))
    ]
    decided = await db.fetch(
        f"SELECT {PLAN_COLUMNS} FROM plans WHERE session_id = $1 ORDER BY plan_id", session_id
    )
    return SessionDetail(
        session_id=session_id,
        locality={"region": row["region"], "commune": row["commune"]},
        held_on=row["held_on"],
        members=members,
        decisions=[PlanRow.model_validate(dict(plan)) for plan in decided],
    )


async def threshold(db: asyncpg.Connection, office: str) -> ThresholdView:
    row = await db.fetchrow(
        "SELECT threshold, set_on FROM convening_thresholds WHERE country_office = $1", office
    )
    if row is None:
        return ThresholdView(threshold=threshold_in_force(None), set_on=None)
    return ThresholdView(threshold=threshold_in_force(row["threshold"]), set_on=row["set_on"])
