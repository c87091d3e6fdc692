"""What the desk learns from other services' events, through the inbox (once each)."""

import asyncpg

from reintegration_contracts.events.intake import ReturneeRegistered
from reintegration_sdk import EventHandlers, EventMeta

reactions = EventHandlers("visits-desk-reactions", tables=["registered_returnees"])


@reactions.on(ReturneeRegistered)
async def on_returnee_registered(
    db: asyncpg.Connection, event: ReturneeRegistered, meta: EventMeta
) -> None:
    await db.execute(
        """INSERT INTO registered_returnees (returnee_id, country_office, arrival_date)
           VALUES ($1, $2, $3) ON CONFLICT (returnee_id) DO NOTHING""",
        event.returnee_id,
        meta.country_office,
        event.arrival_date,
    )
