"""The desk's own read model, written in the transaction that appends each visit."""

import asyncpg

from reintegration_sdk import EventHandlers, EventMeta
from visits_desk.contract import HomeVisitRecorded

read_models = EventHandlers("visits-desk-read-models", tables=["home_visits"])


@read_models.on(HomeVisitRecorded)
async def on_home_visit_recorded(
    db: asyncpg.Connection, event: HomeVisitRecorded, meta: EventMeta
) -> None:
    # Keyed by the visit: applied twice, or in any order, the rows are the same.
    await db.execute(
        """INSERT INTO home_visits (visit_id, country_office, returnee_id, visited_on, purpose,
               outcome, referral_needed)
           VALUES ($1, $2, $3, $4, $5, $6, $7) ON CONFLICT (visit_id) DO NOTHING""",
        event.visit_id,
        meta.country_office,
        event.returnee_id,
        event.visited_on,
        event.purpose.value,
        event.outcome.value,
        event.referral_needed,
    )
