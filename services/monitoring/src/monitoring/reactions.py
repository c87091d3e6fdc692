"""What monitoring does with events arriving on Kafka, through the inbox.

Every event monitoring reads is folded into its read models; a delivered kit also opens the
beneficiaries' follow-up schedules at the office's offsets.
"""

import asyncpg

from monitoring import domain, handlers
from monitoring.projections import read_models
from reintegration_contracts.events.procurement import KitDelivered
from reintegration_sdk.events import EventMeta
from reintegration_sdk.eventstore import EventContext

SERVICE_ACTOR = "monitoring"

reactions = read_models("monitoring")


@reactions.on(KitDelivered)
async def on_kit_delivered(db: asyncpg.Connection, event: KitDelivered, meta: EventMeta) -> None:
    schedule = await handlers.office_schedule(db, meta.country_office)
    context = EventContext.caused_by(meta, SERVICE_ACTOR)
    for returnee_id in event.beneficiary_ids:
        command = domain.ScheduleFollowUps(
            returnee_id, event.order_id, event.trade, event.delivered_on, schedule.offsets_days
        )
        await handlers.follow_up(db, command, context)
