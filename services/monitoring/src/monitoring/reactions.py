"""What monitoring does with events arriving on Kafka, through the inbox.

`reactions` fold every event monitoring reads (its own too) into its read models, rebuilt from
Kafka. `policies` act: a delivered kit opens the beneficiaries' follow-up schedules at the
office's offsets (live only, never in a rebuild).
"""

import asyncpg

from monitoring import domain, handlers
from monitoring.projections import read_models
from reintegration_contracts.events.procurement import KitDelivered
from reintegration_sdk.dispatch import EventHandlers
from reintegration_sdk.events import EventMeta
from reintegration_sdk.eventstore import EventContext

SERVICE_ACTOR = "monitoring"

reactions = read_models("monitoring")
policies = EventHandlers("monitoring-policies")


@policies.on(KitDelivered)
async def schedule_follow_ups(
    db: asyncpg.Connection, event: KitDelivered, meta: EventMeta
) -> None:
    # One schedule per (returnee, order): the decider appends nothing for an order already
    # scheduled, so a replayed delivery schedules no second round of visits.
    schedule = await handlers.office_schedule(db, meta.country_office)
    context = EventContext.caused_by(meta, SERVICE_ACTOR)
    for returnee_id in event.beneficiary_ids:
        command = domain.ScheduleFollowUps(
            returnee_id, event.order_id, event.trade, event.delivered_on, schedule.offsets_days
        )
        await handlers.follow_up(db, command, context)
