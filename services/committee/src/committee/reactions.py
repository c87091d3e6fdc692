"""What the committee takes from other services' events, applied once through the inbox."""

import asyncpg

from committee import domain, handlers
from reintegration_contracts.events.procurement import BudgetReviewed
from reintegration_contracts.events.training import TrainingCompleted
from reintegration_sdk.dispatch import EventHandlers
from reintegration_sdk.events import EventMeta
from reintegration_sdk.eventstore import EventContext

reactions = EventHandlers("committee", tables=["entrepreneurship_graduates"])


@reactions.on(TrainingCompleted)
async def on_training_completed(
    db: asyncpg.Connection, event: TrainingCompleted, meta: EventMeta
) -> None:
    if not domain.completes_entrepreneurship(event):
        return
    await db.execute(
        """INSERT INTO entrepreneurship_graduates (country_office, returnee_id, cohort_id,
               completed_on)
           VALUES ($1, $2, $3, $4)
           ON CONFLICT (country_office, returnee_id) DO NOTHING""",
        meta.country_office,
        event.returnee_id,
        event.cohort_id,
        event.completed_on,
    )


@reactions.on(BudgetReviewed)
async def on_budget_reviewed(
    db: asyncpg.Connection, event: BudgetReviewed, meta: EventMeta
) -> None:
    await handlers.note_budget_review(db, EventContext.caused_by(meta, meta.actor), event)
