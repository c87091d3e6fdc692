"""What a command needs to know beyond its own stream, read from this service's tables."""

from uuid import UUID

import asyncpg

from training.domain.allowances import DailyRate
from training.domain.cohorts import Period


async def hold_returnee(db: asyncpg.Connection, returnee_id: UUID) -> None:
    """Serialise commands about one returnee until the transaction ends: two enrolments in
    different cohorts would otherwise each miss the other when checking for overlap."""
    await db.execute(
        "SELECT pg_advisory_xact_lock(hashtextextended($1::uuid::text, 7))", returnee_id
    )


async def is_counselled(db: asyncpg.Connection, office: str, returnee_id: UUID) -> bool:
    found = await db.fetchval(
        "SELECT 1 FROM counselled_returnees WHERE country_office = $1 AND returnee_id = $2",
        office,
        returnee_id,
    )
    return found is not None


async def enrolled_periods(
    db: asyncpg.Connection, office: str, returnee_id: UUID, besides: UUID
) -> tuple[Period, ...]:
    rows = await db.fetch(
        """SELECT c.start_date, c.end_date FROM trainees t JOIN cohorts c USING (cohort_id)
           WHERE t.country_office = $1 AND t.returnee_id = $2 AND t.cohort_id <> $3""",
        office,
        returnee_id,
        besides,
    )
    return tuple((row["start_date"], row["end_date"]) for row in rows)


async def certified_trades(
    db: asyncpg.Connection, office: str, returnee_id: UUID
) -> frozenset[str]:
    rows = await db.fetch(
        "SELECT trade FROM certifications WHERE country_office = $1 AND returnee_id = $2",
        office,
        returnee_id,
    )
    return frozenset(row["trade"] for row in rows)


async def daily_rates(db: asyncpg.Connection, office: str) -> list[DailyRate]:
    rows = await db.fetch(
        """SELECT daily_amount, currency, effective_from FROM daily_allowances
           WHERE country_office = $1 ORDER BY effective_from""",
        office,
    )
    return [DailyRate(row["daily_amount"], row["currency"], row["effective_from"]) for row in rows]
