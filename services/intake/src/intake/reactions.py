"""What other services report about intake's returnees: how far each case has gone.

Applied through the SDK inbox (exactly once per event). An event naming a returnee this office
does not know is kept as a milestone and otherwise ignored.
"""

from collections.abc import Iterable
from uuid import UUID

import asyncpg

from intake.domain import stage_reached_by
from intake.projections import advance_case
from reintegration_contracts import EventPayload
from reintegration_contracts.events.committee import PlanApproved, PlanRejected, PlanSubmitted
from reintegration_contracts.events.monitoring import FollowUpRecorded
from reintegration_contracts.events.procurement import KitDelivered
from reintegration_contracts.events.training import SkillCertified, TrainingEnrolled
from reintegration_sdk.dispatch import EventHandlers
from reintegration_sdk.events import EventMeta

reactions = EventHandlers("intake", tables=["case_milestones", "plan_beneficiaries"])


async def reached(
    db: asyncpg.Connection, meta: EventMeta, returnee_ids: Iterable[UUID], event: EventPayload
) -> None:
    stage = stage_reached_by(event)
    if stage is None:
        return
    for returnee_id in returnee_ids:
        # Kept apart from the caseload so a rebuild of the read models does not lose it.
        await db.execute(
            """INSERT INTO case_milestones (country_office, returnee_id, stage, reached_at)
               VALUES ($1, $2, $3, $4)
               ON CONFLICT (returnee_id, stage) DO UPDATE SET reached_at = excluded.reached_at""",
            meta.country_office,
            returnee_id,
            stage.value,
            meta.time,
        )
        await advance_case(db, meta.country_office, returnee_id, stage)


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
    await db.executemany(
        "INSERT INTO plan_beneficiaries VALUES ($1, $2) ON CONFLICT DO NOTHING",
        [(event.plan_id, returnee_id) for returnee_id in event.beneficiary_ids],
    )
    await reached(db, meta, event.beneficiary_ids, event)


@reactions.on(PlanRejected)
async def on_plan_rejected(db: asyncpg.Connection, event: PlanRejected, meta: EventMeta) -> None:
    rows = await db.fetch(
        "SELECT returnee_id FROM plan_beneficiaries WHERE plan_id = $1", event.plan_id
    )
    await reached(db, meta, [row["returnee_id"] for row in rows], event)


@reactions.on(PlanApproved)
async def on_plan_approved(db: asyncpg.Connection, event: PlanApproved, meta: EventMeta) -> None:
    await reached(db, meta, event.beneficiary_ids, event)


@reactions.on(KitDelivered)
async def on_kit_delivered(db: asyncpg.Connection, event: KitDelivered, meta: EventMeta) -> None:
    await reached(db, meta, event.beneficiary_ids, event)


@reactions.on(FollowUpRecorded)
async def on_follow_up_recorded(
    db: asyncpg.Connection, event: FollowUpRecorded, meta: EventMeta
) -> None:
    await reached(db, meta, [event.returnee_id], event)
