"""What procurement learns and does when committee and training publish.

`reactions` record the facts procurement's rules need (submitted and decided plans, certified
trades): read models of upstream events, rebuilt from Kafka. `policies` act on them: review a
submitted plan's budget, order the kit of an approved plan. Both run in the inbox's
transaction (facts first), so the facts, the events a policy appends and the inbox entry
commit together; policies never run in a rebuild.
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
policies = EventHandlers("procurement-policies")


@reactions.on(PlanSubmitted)
async def on_plan_submitted(db: asyncpg.Connection, event: PlanSubmitted, meta: EventMeta) -> None:
    await facts.record_submitted_plan(db, event, meta.country_office)


@reactions.on(PlanApproved)
async def on_plan_approved(db: asyncpg.Connection, event: PlanApproved, meta: EventMeta) -> None:
    await facts.record_approval(db, event, meta.country_office)


@reactions.on(PlanRejected)
async def on_plan_rejected(db: asyncpg.Connection, event: PlanRejected, meta: EventMeta) -> None:
    await facts.record_rejection(db, event, meta.country_office)


@reactions.on(SkillCertified)
async def on_skill_certified(
    db: asyncpg.Connection, event: SkillCertified, meta: EventMeta
) -> None:
    await facts.record_certification(db, event, meta.country_office)


@policies.on(PlanSubmitted)
async def review_submitted_plan(
    db: asyncpg.Connection, event: PlanSubmitted, meta: EventMeta
) -> None:
    # One review per plan (its id derives from the plan's); a replayed submission adds none.
    await handlers.review_submitted_plan(db, event, EventContext.caused_by(meta, AUTOMATIC))


@policies.on(PlanApproved)
async def order_for_approved_plan(
    db: asyncpg.Connection, event: PlanApproved, meta: EventMeta
) -> None:
    # Ordering is automatic: the approved budget is what the committee agreed to buy. One order
    # per plan (its id and its stream derive from the plan's); a replayed approval adds none.
    await handlers.order_for_approved_plan(db, event, EventContext.caused_by(meta, AUTOMATIC))
