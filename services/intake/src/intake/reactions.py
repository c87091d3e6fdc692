"""What other services report about intake's returnees: how far each case has gone.

Applied through the SDK inbox. Each report is kept as a fact of its own (a milestone with the
earliest time it was reached, a plan's beneficiaries, a plan's outcome), then the case's stage
is recomputed from all of them: the same facts give the same stage in any order. An event
naming a returnee this office does not know is kept and otherwise ignored.
"""

from collections.abc import Iterable
from uuid import UUID

import asyncpg

from intake.domain import PlanOutcome, stage_reached_by
from intake.projections import refresh_stage
from reintegration_contracts import EventPayload
from reintegration_contracts.events.committee import PlanApproved, PlanRejected, PlanSubmitted
from reintegration_contracts.events.monitoring import FollowUpRecorded
from reintegration_contracts.events.procurement import KitDelivered
from reintegration_contracts.events.training import SkillCertified, TrainingEnrolled
from reintegration_sdk import EventHandlers, EventMeta

reactions = EventHandlers(
    "intake", tables=["case_milestones", "plan_beneficiaries", "plan_outcomes"]
)


async def reached(
    db: asyncpg.Connection, meta: EventMeta, returnee_ids: Iterable[UUID], event: EventPayload
) -> None:
    stage = stage_reached_by(event)
    if stage is None:
        return
    for returnee_id in returnee_ids:
        # Kept apart from the caseload so a rebuild of the read models does not lose it; a
        # stage reached again (a second enrolment, every visit) keeps its first time.
        await db.execute(
            """INSERT INTO case_milestones AS m (country_office, returnee_id, stage, reached_at)
               VALUES ($1, $2, $3, $4)
               ON CONFLICT (returnee_id, stage) DO UPDATE
               SET reached_at = least(m.reached_at, excluded.reached_at)""",
            meta.country_office,
            returnee_id,
            stage.value,
            meta.time,
        )
        await refresh_stage(db, returnee_id)


async def plan_members(db: asyncpg.Connection, plan_id: UUID, returnee_ids: Iterable[UUID]) -> None:
    await db.executemany(
        "INSERT INTO plan_beneficiaries VALUES ($1, $2) ON CONFLICT DO NOTHING",
        [(plan_id, returnee_id) for returnee_id in returnee_ids],
    )


async def plan_decided(db: asyncpg.Connection, plan_id: UUID, outcome: PlanOutcome) -> None:
    # A committee's decision is final: the first one recorded stands.
    await db.execute(
        "INSERT INTO plan_outcomes VALUES ($1, $2) ON CONFLICT DO NOTHING", plan_id, outcome.value
    )
    rows = await db.fetch("SELECT returnee_id FROM plan_beneficiaries WHERE plan_id = $1", plan_id)
    for row in rows:
        await refresh_stage(db, row["returnee_id"])


@reactions.on(TrainingEnrolled)
async def on_training_enrolled(
    db: asyncpg.Connection, event: TrainingEnrolled, meta: EventMeta
) -> None:
    await reached(db, meta, [event.returnee_id], event)


@reactions.on(SkillCertified)
async def on_skill_certified(
    db: asyncpg.Connection, event: SkillCertified, meta: EventMeta
) -> None:
    await reached(db, meta, [event.returnee_id], event)


@reactions.on(PlanSubmitted)
async def on_plan_submitted(db: asyncpg.Connection, event: PlanSubmitted, meta: EventMeta) -> None:
    await plan_members(db, event.plan_id, event.beneficiary_ids)
    for returnee_id in event.beneficiary_ids:
        await refresh_stage(db, returnee_id)


@reactions.on(PlanRejected)
async def on_plan_rejected(db: asyncpg.Connection, event: PlanRejected, meta: EventMeta) -> None:
    # PlanRejected names the plan only: its beneficiaries are those PlanSubmitted named.
    await plan_decided(db, event.plan_id, PlanOutcome.REJECTED)


@reactions.on(PlanApproved)
async def on_plan_approved(db: asyncpg.Connection, event: PlanApproved, meta: EventMeta) -> None:
    await plan_members(db, event.plan_id, event.beneficiary_ids)
    await plan_decided(db, event.plan_id, PlanOutcome.APPROVED)


@reactions.on(KitDelivered)
async def on_kit_delivered(db: asyncpg.Connection, event: KitDelivered, meta: EventMeta) -> None:
    await reached(db, meta, event.beneficiary_ids, event)


@reactions.on(FollowUpRecorded)
async def on_follow_up_recorded(
    db: asyncpg.Connection, event: FollowUpRecorded, meta: EventMeta
) -> None:
    await reached(db, meta, [event.returnee_id], event)
