"""Certified trades and skills assessments."""

from datetime import date
from uuid import UUID

import asyncpg
from pydantic import BaseModel

from reintegration_contracts.events.training import CertificationRoute, SkillLevel


class CertificationView(BaseModel):
    returnee_id: UUID
    trade: str
    level: SkillLevel
    route: CertificationRoute
    centre_id: UUID
    centre_name: str | None
    cohort_id: UUID | None
    certified_on: date


class CertificationCount(BaseModel):
    trade: str
    centre_id: UUID
    centre_name: str | None
    by_assessment: int
    by_training: int
    total: int


class AssessmentView(BaseModel):
    returnee_id: UUID
    trade: str
    centre_id: UUID
    assessed_on: date
    certified: bool
    level: SkillLevel | None
    training_recommended: bool


async def certifications(
    db: asyncpg.Connection, office: str, trade: str | None, centre_id: UUID | None
) -> list[CertificationView]:
    rows = await db.fetch(
        """SELECT c.*, ce.name AS centre_name FROM certifications c
           LEFT JOIN centres ce USING (centre_id)
           WHERE c.country_office = $1 AND ($2::text IS NULL OR c.trade = $2)
             AND ($3::uuid IS NULL OR c.centre_id = $3)
           ORDER BY c.certified_on, c.trade, c.returnee_id""",
        office,
        trade,
        centre_id,
    )
    return [CertificationView(**_fields(row, CertificationView)) for row in rows]


async def counts(db: asyncpg.Connection, office: str) -> list[CertificationCount]:
    rows = await db.fetch(
        """SELECT c.trade, c.centre_id, ce.name AS centre_name,
                  count(*) FILTER (WHERE c.route = 'assessment') AS by_assessment,
                  count(*) FILTER (WHERE c.route = 'training') AS by_training,
                  count(*) AS total
           FROM certifications c LEFT JOIN centres ce USING (centre_id)
           WHERE c.country_office = $1
           GROUP BY c.trade, c.centre_id, ce.name ORDER BY c.trade, ce.name""",
        office,
    )
    return [CertificationCount(**dict(row)) for row in rows]


async def assessments(
    db: asyncpg.Connection, office: str, returnee_id: UUID | None
) -> list[AssessmentView]:
    rows = await db.fetch(
        """SELECT * FROM assessments
           WHERE country_office = $1 AND ($2::uuid IS NULL OR returnee_id = $2)
           ORDER BY assessed_on, trade""",
        office,
        returnee_id,
    )
    return [AssessmentView(**_fields(row, AssessmentView)) for row in rows]


async def certifications_of(
    db: asyncpg.Connection, office: str, returnee_id: UUID
) -> list[CertificationView]:
    rows = await db.fetch(
        """SELECT c.*, ce.name AS centre_name FROM certifications c
           LEFT JOIN centres ce USING (centre_id)
           WHERE c.country_office = $1 AND c.returnee_id = $2 ORDER BY c.certified_on""",
        office,
        returnee_id,
    )
    return [CertificationView(**_fields(row, CertificationView)) for row in rows]


def _fields(row: asyncpg.Record, model: type[BaseModel]) -> dict[str, object]:
    return {key: value for key, value in dict(row).items() if key in model.model_fields}
