"""Case and plan files as the queries read them: one office's, one returnee's, whose case."""

from typing import TypeAlias
from uuid import UUID

import asyncpg

from monitoring.casefile import CaseFile, PlanFile
from reintegration_sdk import NotFound

Db: TypeAlias = asyncpg.Connection | asyncpg.Pool


async def office_files(db: Db, office: str) -> tuple[list[CaseFile], list[PlanFile]]:
    cases = await db.fetch(
        "SELECT data::text FROM case_files WHERE country_office = $1 ORDER BY returnee_id", office
    )
    plans = await db.fetch(
        "SELECT data::text FROM plan_files WHERE country_office = $1 ORDER BY plan_id", office
    )
    return (
        [CaseFile.model_validate_json(r[0]) for r in cases],
        [PlanFile.model_validate_json(r[0]) for r in plans],
    )


async def offices(db: Db) -> list[str]:
    rows = await db.fetch("SELECT DISTINCT country_office FROM case_files ORDER BY 1")
    return [row[0] for row in rows]


async def case_file(db: Db, returnee_id: UUID) -> CaseFile | None:
    raw = await db.fetchval("SELECT data::text FROM case_files WHERE returnee_id = $1", returnee_id)
    return CaseFile.model_validate_json(raw) if raw else None


async def office_of(db: Db, returnee_id: UUID) -> str | None:
    """The office whose case the returnee is, if monitoring has heard of them."""
    office: str | None = await db.fetchval(
        "SELECT country_office FROM case_files WHERE returnee_id = $1", returnee_id
    )
    return office


async def ensure_case_of(db: Db, returnee_id: UUID, country_office: str) -> None:
    """A returnee of another office reads as one monitoring never heard of, word for word:
    a 403 would tell that the person is registered elsewhere."""
    if await office_of(db, returnee_id) != country_office:
        raise NotFound(f"no events about returnee {returnee_id}")
