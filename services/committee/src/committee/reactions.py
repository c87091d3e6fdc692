"""What the committee takes from other services' events, applied once through the inbox.

`reactions` keep who passed entrepreneurship training (a read model, rebuilt from Kafka);
`policies` note procurement's budget reviews on the plans (a command: it appends
PlanBudgetReviewNoted, live only, never in a rebuild).
"""

import asyncpg

from committee import domain, handlers
from reintegration_contracts.events.procurement import BudgetReviewed
from reintegration_contracts.events.training import TrainingCompleted
from reintegration_sdk.dispatch import EventHandlers
from reintegration_sdk.events import EventMeta
from reintegration_sdk.eventstore import EventContext

reactions = EventHandlers("committee", tables=["entrepreneurship_graduates"])
policies = EventHandlers("committee-policies")


@reactions.on(TrainingCompleted)
async def on_training_completed(
    db: asyncpg.Connection, event: TrainingCompleted, meta: EventMeta
) -> None:
    if not domain.completes_entrepreneurship(event):
        return
    # A returnee who passed twice keeps the earliest completion, whichever arrives first.
    await db.execute(
        """INSERT INTO entrepreneurship_graduates AS g (country_office, returnee_id, cohort_id,
               completed_on)
           VALUES ($1, $2, $3, $4)
           ON CONFLICT (country_office, returnee_id) DO UPDATE
           SET cohort_id = excluded.cohort_id, completed_on = excluded.completed_on
           WHERE (excluded.completed_on, excluded.cohort_id) < (g.completed_on, g.cohort_id)""",
        meta.country_office,
        event.returnee_id,
        event.cohort_id,
        event.completed_on,
    )


@policies.on(BudgetReviewed)
async def note_budget_review(
    db: asyncpg.Connection, event: BudgetReviewed, meta: EventMeta
) -> None:
    # The noted review carries the review's own id and revision: a replayed review, or an
    # older revision arriving late, notes nothing new.
    await handlers.note_budget_review(db, EventContext.caused_by(meta, meta.actor), event)
