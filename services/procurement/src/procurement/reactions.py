"""What procurement learns when committee and training publish: the facts its rules need
(submitted and decided plans, certified trades), read models of upstream events rebuilt from
Kafka. What it does about them is in policies.py; the inbox applies both in one transaction,
these first.
"""

import asyncpg

from procurement import facts
from reintegration_contracts.events.committee import PlanApproved, PlanRejected, PlanSubmitted
from reintegration_contracts.events.training import SkillCertified
from reintegration_sdk.dispatch import EventHandlers
from reintegration_sdk.events import EventMeta

reactions = EventHandlers("procurement-reactions", tables=["plans", "certifications"])


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
