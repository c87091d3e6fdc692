"""One returnee's training record: registration and counselling seen, courses, assessments,
certificates."""

from datetime import date
from uuid import UUID

import asyncpg
from pydantic import BaseModel

from reintegration_contracts.events.training import CourseKind
from training.queries.certifications import AssessmentView, CertificationView, certifications_of
from training.queries.certifications import assessments as assessments_of


class EnrolmentView(BaseModel):
    cohort_id: UUID
    kind: CourseKind
    trade: str | None
    start_date: date
    end_date: date
    enrolled_on: date
    days_present: int
    completed_on: date | None
    passed: bool | None


class ReturneeTraining(BaseModel):
    returnee_id: UUID
    registered: bool
    counselled_on: date | None
    interviewed_on: date | None
    enrolments: list[EnrolmentView]
    assessments: list[AssessmentView]
    certifications: list[CertificationView]


async def returnee(db: asyncpg.Connection, office: str, returnee_id: UUID) -> ReturneeTraining:
    counselled_on = await db.fetchval(
        """SELECT first_attended_on FROM counselled_returnees
           WHERE country_office = $1 AND returnee_id = $2""",
        office,
        returnee_id,
    )
    registered = await db.fetchval(
        "SELECT 1 FROM registered_returnees WHERE country_office = $1 AND returnee_id = $2",
        office,
        returnee_id,
    )
    interviewed_on = await db.fetchval(
        """SELECT first_interviewed_on FROM interviewed_returnees
           WHERE country_office = $1 AND returnee_id = $2""",
        office,
        returnee_id,
    )
    rows = await db.fetch(
        """SELECT t.cohort_id, c.kind, c.trade, c.start_date, c.end_date, t.enrolled_on,
                  t.days_present, t.completed_on, t.passed
           FROM trainees t JOIN cohorts c USING (cohort_id)
           WHERE t.country_office = $1 AND t.returnee_id = $2 ORDER BY c.start_date""",
        office,
        returnee_id,
    )
    return ReturneeTraining(
        returnee_id=returnee_id,
        registered=registered is not None,
        counselled_on=counselled_on,
        interviewed_on=interviewed_on,
        enrolments=[EnrolmentView(**dict(row)) for row in rows],
        assessments=await assessments_of(db, office, returnee_id),
        certifications=await certifications_of(db, office, returnee_id),
    )
