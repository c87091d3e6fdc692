"""What the committee does because procurement reviewed a budget: it notes the review on the
plan (a command, appending PlanBudgetReviewNoted), live only, never in a rebuild."""

import logging

import asyncpg

from committee import handlers
from committee.projections import store
from reintegration_contracts.events.procurement import BudgetReviewed
from reintegration_sdk import EventHandlers, EventMeta, NotFound, UnitOfWork

log = logging.getLogger(__name__)

policies = EventHandlers("committee-policies")


@policies.on(BudgetReviewed)
async def on_budget_reviewed(
    db: asyncpg.Connection, event: BudgetReviewed, meta: EventMeta
) -> None:
    # The noted review carries the review's own id and revision: a replayed review, or an
    # older revision arriving late, notes nothing new.
    work = UnitOfWork.caused_by(db, store, meta, meta.actor)
    try:
        await handlers.note_budget_review(work, event)
    except NotFound:
        # The plan is another office's: this office's review cannot touch it.
        log.warning("budget review %s names a plan of another office; ignored", event.review_id)
