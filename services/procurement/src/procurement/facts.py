"""What other services told procurement: submitted and decided plans, certified trades.

Reactions write these rows through the inbox; command handlers read them as the facts a
rule needs (is the plan decided? is the trade certified?).
"""

from uuid import UUID

import asyncpg

from procurement.domain.orders import Certification
from reintegration_contracts.events.committee import PlanApproved, PlanRejected, PlanSubmitted
from reintegration_contracts.events.training import SkillCertified


async def record_submitted_plan(db: asyncpg.Connection, plan: PlanSubmitted, office: str) -> None:
    # A plan decided before its submission reached us keeps its decision.
    await db.execute(
        """INSERT INTO plans (plan_id, country_office, kind, trade, beneficiary_ids, currency,
                              submitted_on, status)
           VALUES ($1, $2, $3, $4, $5, $6, $7, 'submitted')
           ON CONFLICT (plan_id) DO UPDATE SET submitted_on = excluded.submitted_on""",
        plan.plan_id,
        office,
        plan.kind.value,
        plan.trade,
        plan.beneficiary_ids,
        plan.currency,
        plan.submitted_on,
    )


async def record_approval(db: asyncpg.Connection, approval: PlanApproved, office: str) -> None:
    await db.execute(
        """INSERT INTO plans (plan_id, country_office, kind, trade, beneficiary_ids, currency,
                              status, decided_on, approved_total)
           VALUES ($1, $2, $3, $4, $5, $6, 'approved', $7, $8)
           ON CONFLICT (plan_id) DO UPDATE
           SET status = 'approved', decided_on = $7, approved_total = $8, trade = $4,
               beneficiary_ids = $5, currency = $6
           WHERE plans.status <> 'approved'""",
        approval.plan_id,
        office,
        approval.kind.value,
        approval.trade,
        approval.beneficiary_ids,
        approval.currency,
        approval.approved_on,
        approval.approved_total,
    )


async def record_rejection(db: asyncpg.Connection, rejection: PlanRejected, office: str) -> None:
    # A rejection of a plan never seen here has nothing to update: it is simply not approved.
    await db.execute(
        """UPDATE plans SET status = 'rejected', decided_on = $2
           WHERE plan_id = $1 AND country_office = $3 AND status = 'submitted'""",
        rejection.plan_id,
        rejection.rejected_on,
        office,
    )


async def record_certification(
    db: asyncpg.Connection, certified: SkillCertified, office: str
) -> None:
    # Certified twice in one trade: the earliest certification stands, whichever came first.
    await db.execute(
        """INSERT INTO certifications AS c (returnee_id, trade, country_office, level,
               certified_on)
           VALUES ($1, $2, $3, $4, $5) ON CONFLICT (returnee_id, trade) DO UPDATE
           SET level = excluded.level, certified_on = excluded.certified_on
           WHERE (excluded.certified_on, excluded.level) < (c.certified_on, c.level)""",
        certified.returnee_id,
        certified.trade,
        office,
        certified.level.value,
        certified.certified_on,
    )


async def plan_status(db: asyncpg.Connection, plan_id: UUID, office: str) -> str | None:
    status: str | None = await db.fetchval(
        "SELECT status FROM plans WHERE plan_id = $1 AND country_office = $2", plan_id, office
    )
    return status


async def certification(
    db: asyncpg.Connection, returnee_id: UUID, trade: str, office: str
) -> Certification | None:
    row = await db.fetchrow(
        """SELECT certified_on FROM certifications
           WHERE returnee_id = $1 AND trade = $2 AND country_office = $3""",
        returnee_id,
        trade,
        office,
    )
    return Certification(returnee_id, trade, row["certified_on"]) if row else None
