"""Cohorts with their attendance and results."""

from datetime import date
from uuid import UUID

import asyncpg
from pydantic import BaseModel

from reintegration_contracts.events.training import CourseKind
from reintegration_sdk import NotFound


class CohortSummary(BaseModel):
    cohort_id: UUID
    kind: CourseKind
    trade: str | None
    centre_id: UUID | None
    region: str
    commune: str
    start_date: date
    end_date: date
    capacity: int
    enrolled: int
    days_present: int
    days_absent: int
    completed: int
    passed: int


class TraineeView(BaseModel):
    returnee_id: UUID
    enrolled_on: date
    days_present: int
    days_absent: int
    daycare_daily: int
    completed_on: date | None
    exam_score: int | None
    passed: bool | None


class AttendanceDay(BaseModel):
    returnee_id: UUID
    day: date
    present: bool


class CohortDetail(CohortSummary):
    trainees: list[TraineeView]
    attendance: list[AttendanceDay]


_SUMMARY = """
SELECT c.cohort_id, c.kind, c.trade, c.centre_id, c.region, c.commune, c.start_date,
       c.end_date, c.capacity,
       count(t.returnee_id) AS enrolled,
       coalesce(sum(t.days_present), 0) AS days_present,
       coalesce(sum(t.days_absent), 0) AS days_absent,
       count(t.completed_on) AS completed,
       count(*) FILTER (WHERE t.passed) AS passed
FROM cohorts c LEFT JOIN trainees t USING (cohort_id)
WHERE c.country_office = $1 {where}
GROUP BY c.cohort_id
ORDER BY c.start_date, c.cohort_id
"""


async def cohorts(
    db: asyncpg.Connection, office: str, kind: CourseKind | None = None
) -> list[CohortSummary]:
    rows = await db.fetch(
        _SUMMARY.format(where="AND ($2::text IS NULL OR c.kind = $2)"),
        office,
        kind.value if kind else None,
    )
    return [CohortSummary(**dict(row)) for row in rows]


async def cohort(db: asyncpg.Connection, office: str, cohort_id: UUID) -> CohortDetail:
    row = await db.fetchrow(_SUMMARY.format(where="AND c.cohort_id = $2"), office, cohort_id)
    if row is None:
        raise NotFound("cohort")
    trainees = await db.fetch(
        """SELECT * FROM trainees WHERE cohort_id = $1 ORDER BY enrolled_on, returnee_id""",
        cohort_id,
    )
    days = await db.fetch(
        "SELECT * FROM attendance WHERE cohort_id = $1 ORDER BY day, returnee_id", cohort_id
    )
    return CohortDetail(
        **dict(row),
        trainees=[TraineeView(**_fields(r, TraineeView)) for r in trainees],
        attendance=[AttendanceDay(**_fields(r, AttendanceDay)) for r in days],
    )


def _fields(row: asyncpg.Record, model: type[BaseModel]) -> dict[str, object]:
    return {key: value for key, value in dict(row).items() if key in model.model_fields}
