"""What procurement learns when committee and training publish: the facts its rules need
(where each plan stands, certified trades), read models of upstream events rebuilt from Kafka.
What it does about them is in policies.py; the inbox applies both in one transaction, these
first.
"""

import logging

import asyncpg

from procurement.domain import PlanEvent, evolve_plan
from procurement.queries import upstream
from procurement.words import erase_returnee_words
from reintegration_contracts.events.committee import PlanApproved, PlanRejected, PlanSubmitted
from reintegration_contracts.events.intake import ReturneeErased
from reintegration_contracts.events.training import SkillCertified
from reintegration_sdk import EventHandlers, EventMeta

log = logging.getLogger(__name__)

reactions = EventHandlers("procurement-reactions", tables=["plans", "certifications"])


@reactions.on(PlanSubmitted)
async def on_plan_submitted(db: asyncpg.Connection, event: PlanSubmitted, meta: EventMeta) -> None:
    await _fold_plan(db, event, meta.country_office)


@reactions.on(PlanApproved)
async def on_plan_approved(db: asyncpg.Connection, event: PlanApproved, meta: EventMeta) -> None:
    await _fold_plan(db, event, meta.country_office)


@reactions.on(PlanRejected)
async def on_plan_rejected(db: asyncpg.Connection, event: PlanRejected, meta: EventMeta) -> None:
    await _fold_plan(db, event, meta.country_office)


async def _fold_plan(db: asyncpg.Connection, event: PlanEvent, country_office: str) -> None:
    # Where the plan stands is the domain's fold (domain/plans.py); the row only keeps it.
    office, known = await upstream.plan_for_update(db, event.plan_id)
    if office not in (None, country_office):
        log.warning("plan %s is another office's; ignored in %s", event.plan_id, country_office)
        return
    plan = evolve_plan(known, event)
    if plan is None or plan == known:
        return
    await db.execute(
        """INSERT INTO plans (plan_id, country_office, kind, trade, beneficiary_ids, currency,
                              status, submitted_on, decided_on, approved_total)
           VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10)
           ON CONFLICT (plan_id) DO UPDATE
           SET kind = $3, trade = $4, beneficiary_ids = $5, currency = $6, status = $7,
               submitted_on = $8, decided_on = $9, approved_total = $10""",
        plan.plan_id,
        country_office,
        plan.kind,
        plan.trade,
        list(plan.beneficiary_ids),
        plan.currency,
        plan.status.value,
        plan.submitted_on,
        plan.decided_on,
        plan.approved_total,
    )


@reactions.on(SkillCertified)
async def on_skill_certified(
    db: asyncpg.Connection, event: SkillCertified, meta: EventMeta
) -> None:
    # Certified twice in one trade: the earliest certification stands, whichever came first.
    await db.execute(
        """INSERT INTO certifications AS c (returnee_id, trade, country_office, level,
               certified_on)
           VALUES ($1, $2, $3, $4, $5) ON CONFLICT (returnee_id, trade) DO UPDATE
           SET level = excluded.level, certified_on = excluded.certified_on
           WHERE (excluded.certified_on, excluded.level) < (c.certified_on, c.level)""",
        event.returnee_id,
        event.trade,
        meta.country_office,
        event.level.value,
        event.certified_on,
    )


@reactions.on(ReturneeErased)
async def on_returnee_erased(
    db: asyncpg.Connection, event: ReturneeErased, meta: EventMeta
) -> None:
    # The officers' words on the reviews of every plan naming them go; the streams, codes and
    # categories stay, naming no one.
    await erase_returnee_words(db, meta.country_office, event.returnee_id)
