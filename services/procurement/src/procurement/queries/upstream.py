"""What committee and training told this office, as the facts a command's rules need."""

from uuid import UUID

import asyncpg

from procurement.domain import Certification, PlanFacts, PlanStatus

_PLAN = """SELECT plan_id, kind, trade, beneficiary_ids, currency, status, submitted_on,
                  decided_on, approved_total
           FROM plans WHERE plan_id = $1"""


async def plan(db: asyncpg.Connection, country_office: str, plan_id: UUID) -> PlanFacts | None:
    """The plan as committee told this office about it (another office's plan is none)."""
    row = await db.fetchrow(f"{_PLAN} AND country_office = $2", plan_id, country_office)
    return _plan(row) if row else None


async def plan_for_update(
    db: asyncpg.Connection, plan_id: UUID
) -> tuple[str | None, PlanFacts | None]:
    """The plan and its office, locked until the transaction ends (a reaction folds it on)."""
    row = await db.fetchrow(
        _PLAN.replace("SELECT ", "SELECT country_office, ", 1) + " FOR UPDATE", plan_id
    )
    return (row["country_office"], _plan(row)) if row else (None, None)


def _plan(row: asyncpg.Record) -> PlanFacts:
    return PlanFacts(
        row["plan_id"],
        row["kind"],
        row["trade"],
        tuple(row["beneficiary_ids"]),
        row["currency"],
        PlanStatus(row["status"]),
        row["submitted_on"],
        row["decided_on"],
        row["approved_total"],
    )


async def certification(
    db: asyncpg.Connection, country_office: str, returnee_id: UUID, trade: str
) -> Certification | None:
    """The returnee's certification in the trade, as training reported it to this office."""
    row = await db.fetchrow(
        """SELECT certified_on FROM certifications
           WHERE returnee_id = $1 AND trade = $2 AND country_office = $3""",
        returnee_id,
        trade,
        country_office,
    )
    return Certification(returnee_id, trade, row["certified_on"]) if row else None
