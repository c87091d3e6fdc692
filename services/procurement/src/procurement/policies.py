"""What procurement does on its own when committee publishes: review a submitted plan's
budget, order the kit of an approved plan. Live only, through the inbox after the reactions
(so the facts of the same event are recorded), never in a rebuild. A replayed cause appends
nothing: one review and one order per plan, their ids and streams derived from the plan's.
"""

import asyncpg

from procurement import handlers
from procurement.projections import store
from reintegration_contracts.events.committee import PlanApproved, PlanSubmitted
from reintegration_sdk import EventHandlers, EventMeta, UnitOfWork

# The envelope's actor of what procurement does on its own, without an officer.
AUTOMATIC = "procurement-automatic"

policies = EventHandlers("procurement-policies")


@policies.on(PlanSubmitted)
async def review_submitted_plan(
    db: asyncpg.Connection, event: PlanSubmitted, meta: EventMeta
) -> None:
    # One review per plan (its id derives from the plan's); a replayed submission adds none.
    await handlers.review_submitted_plan(UnitOfWork.caused_by(db, store, meta, AUTOMATIC), event)


@policies.on(PlanApproved)
async def order_for_approved_plan(
    db: asyncpg.Connection, event: PlanApproved, meta: EventMeta
) -> None:
    # Ordering is automatic: the approved budget is what the committee agreed to buy. One order
    # per plan (its id and its stream derive from the plan's); a replayed approval adds none.
    await handlers.order_for_approved_plan(UnitOfWork.caused_by(db, store, meta, AUTOMATIC), event)
