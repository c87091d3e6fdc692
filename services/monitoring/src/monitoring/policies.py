"""What monitoring does when procurement publishes: a delivered kit opens the beneficiaries'
follow-up schedules at the office's offsets. Live only, through the inbox, never in a rebuild.
"""

import asyncpg

from monitoring import domain, handlers
from reintegration_contracts.events.procurement import KitDelivered
from reintegration_sdk.dispatch import EventHandlers
from reintegration_sdk.events import EventMeta
from reintegration_sdk.eventstore import EventContext

SERVICE_ACTOR = "monitoring"

policies = EventHandlers("monitoring-policies")


@policies.on(KitDelivered)
async def schedule_follow_ups(db: asyncpg.Connection, event: KitDelivered, meta: EventMeta) -> None:
    # One schedule per (returnee, order): the decider appends nothing for an order already
    # scheduled, so a replayed delivery schedules no second round of visits.
    schedule = await handlers.office_schedule(db, meta.country_office)
    context = EventContext.caused_by(meta, SERVICE_ACTOR)
    for returnee_id in event.beneficiary_ids:
        command = domain.ScheduleFollowUps(
            returnee_id, event.order_id, event.trade, event.delivered_on, schedule.offsets_days
        )
        await handlers.follow_up(db, command, context)
