"""What training learns from intake: who attended job counselling, office by office."""

import asyncpg

from reintegration_contracts.events.intake import CounsellingAttended
from reintegration_sdk import EventHandlers, EventMeta

reactions = EventHandlers("training", tables=["counselled_returnees"])


@reactions.on(CounsellingAttended)
async def on_counselling_attended(
    db: asyncpg.Connection, event: CounsellingAttended, meta: EventMeta
) -> None:
    # A returnee attends several sessions; the first one opens the door to training.
    await db.execute(
        """INSERT INTO counselled_returnees (country_office, returnee_id, first_attended_on)
           VALUES ($1, $2, $3)
           ON CONFLICT (country_office, returnee_id) DO UPDATE
           SET first_attended_on = least(counselled_returnees.first_attended_on,
                                         excluded.first_attended_on)""",
        meta.country_office,
        event.returnee_id,
        event.attended_on,
    )
