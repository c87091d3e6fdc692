"""What procurement does when committee and training publish: review, record, order.

Each handler runs inside the inbox's transaction, so the facts it records, the events it
appends and the inbox entry commit together; a redelivered event changes nothing.
"""

import asyncpg

from procurement import facts, handlers
from reintegration_contracts.events.committee import PlanApproved, PlanRejected, PlanSubmitted
from reintegration_contracts.events.training import SkillCertified
from reintegration_sdk.dispatch import EventHandlers
from reintegration_sdk.events import EventMeta
from reintegration_sdk.eventstore import EventContext

# The envelope's actor of what procurement does on its own, without an officer.
AUTOMATIC = "procurement-automatic"

reactions = EventHandlers("procurement-reactions", tables=["plans", "certifications"])


@reactions.on(PlanSubmitted)
async def on_plan_submitted(db: asyncpg.Connection, event: PlanSubmitted, meta: EventMeta) -> None:
    await facts.record_submitted_plan(db, event, meta.country_office)
    await handlers.review_submitted_plan(db, event, EventContext.caused_by(meta, AUTOMATIC))


@reactions.on(PlanApproved)
async def on_plan_approved(db: asyncpg.Connection, event: PlanApproved, meta: EventMeta) -> None:
    # Ordering is automatic: the approved budget is what the committee agreed to buy.
    await facts.record_approval(db, event, meta.country_office)
    await handlers.order_for_approved_plan(db, event, EventContext.caused_by(meta, AUTOMATIC))


@reactions.on(PlanRejected)
async def on_plan_rejected(db: asyncpg.Connection, event: PlanRejected, meta: EventMeta) -> None:
    await facts.record_rejection(db, event, meta.country_office)


@reactions.on(SkillCertified)
async def on_skill_certified(
    db: asyncpg.Connection, event: SkillCertified, meta: EventMeta
) -> None:
    await facts.record_certification(db, event, meta.country_office)
