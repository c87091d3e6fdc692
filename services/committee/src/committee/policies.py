"""What the committee does when procurement publishes: note a budget review on its plan (it
appends PlanBudgetReviewNoted). Live only, through the inbox, never in a rebuild.
"""

import asyncpg

from committee import handlers
from reintegration_contracts.events.procurement import BudgetReviewed
from reintegration_sdk.dispatch import EventHandlers
from reintegration_sdk.events import EventMeta
from reintegration_sdk.eventstore import EventContext

policies = EventHandlers("committee-policies")


@policies.on(BudgetReviewed)
async def note_budget_review(
    db: asyncpg.Connection, event: BudgetReviewed, meta: EventMeta
) -> None:
    # The noted review carries the review's own id and revision: a replayed review, or an
    # older revision arriving late, notes nothing new.
    await handlers.note_budget_review(db, EventContext.caused_by(meta, meta.actor), event)
