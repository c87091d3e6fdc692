"""What monitoring does because procurement delivered a kit: it opens the beneficiaries'
follow-up schedules at the office's offsets (a command, appending FollowUpsScheduled). Live
only, through the inbox, never in a rebuild."""

import asyncpg

from monitoring import handlers
from monitoring.projections import store
from reintegration_contracts.events.procurement import KitDelivered
from reintegration_sdk import EventHandlers, EventMeta, UnitOfWork

SERVICE_ACTOR = "monitoring"

policies = EventHandlers("monitoring-policies")


@policies.on(KitDelivered)
async def on_kit_delivered(db: asyncpg.Connection, event: KitDelivered, meta: EventMeta) -> None:
    # One schedule per (returnee, order): the decider appends nothing for an order already
    # scheduled, so a replayed delivery schedules no second round of visits.
    work = UnitOfWork.caused_by(db, store, meta, SERVICE_ACTOR)
    await handlers.schedule_follow_ups(work, event)
