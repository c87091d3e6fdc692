"""The committee's event store, and the read models it keeps in each appending transaction.

Each handler is idempotent on its own and a plan's status only moves forward (a decision is
final, a later review revision replaces an earlier one), so a rebuild over live rows or a
redelivered stream leaves the same rows. Localities are stored with the domain's key, so
queries compare them as a decision does.
"""

import json

import asyncpg

from committee.domain import PlanStatus, budget_total, locality_key
from reintegration_contracts.events.committee import (
    CommitteeSessionHeld,
    ConveningThresholdSet,
    PlanApproved,
    PlanBudgetReviewNoted,
    PlanRejected,
    PlanSubmitted,
)
from reintegration_sdk import EventHandlers, EventMeta, EventStore

read_models = EventHandlers(
    "committee_read_models",
    tables=["plans", "plan_beneficiaries", "committee_sessions", "convening_thresholds"],
)


@read_models.on(PlanSubmitted)
async def on_plan_submitted(db: asyncpg.Connection, event: PlanSubmitted, meta: EventMeta) -> None:
    region_key, commune_key = locality_key(event.locality)
    await db.execute(
        """INSERT INTO plans (plan_id, country_office, kind, region, commune, sector, trade,
               beneficiary_count, status, currency, submitted_on, submitted_total,
               in_kind_total, region_key, commune_key)
           VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15)
           ON CONFLICT DO NOTHING""",
        event.plan_id,
        meta.country_office,
        event.kind.value,
        event.locality.region,
        event.locality.commune,
        event.sector,
        event.trade,
        len(event.beneficiary_ids),
        PlanStatus.SUBMITTED.value,
        event.currency,
        event.submitted_on,
        budget_total(event.budget_lines),
        sum(part.value for part in event.in_kind_contribution),
        region_key,
        commune_key,
    )
    # Who is in which plan, whatever became of it: the domain tells from the plan's stream
    # whether it still holds a place.
    await db.executemany(
        """INSERT INTO plan_beneficiaries (plan_id, returnee_id, country_office)
           VALUES ($1, $2, $3) ON CONFLICT (plan_id, returnee_id) DO NOTHING""",
        [(event.plan_id, returnee, meta.country_office) for returnee in event.beneficiary_ids],
    )


@read_models.on(PlanBudgetReviewNoted)
async def on_budget_review_noted(
    db: asyncpg.Connection, event: PlanBudgetReviewNoted, meta: EventMeta
) -> None:
    await db.execute(
        """UPDATE plans SET review_revision = $3, reviewed_on = $4, reviewed_total = $5,
               flagged_lines = $6,
               status = CASE WHEN decided_on IS NULL THEN $2 ELSE status END
           WHERE plan_id = $1 AND coalesce(review_revision, 0) <= $3""",
        event.plan_id,
        PlanStatus.REVIEWED.value,
        event.revision,
        event.reviewed_on,
        event.reviewed_total,
        event.flagged_lines,
    )


@read_models.on(PlanApproved)
async def on_plan_approved(db: asyncpg.Connection, event: PlanApproved, meta: EventMeta) -> None:
    await db.execute(
        """UPDATE plans SET status = $2, session_id = $3, decided_on = $4, approved_total = $5,
               amended = $6
           WHERE plan_id = $1""",
        event.plan_id,
        PlanStatus.APPROVED.value,
        event.session_id,
        event.approved_on,
        event.approved_total,
        event.amended,
    )


@read_models.on(PlanRejected)
async def on_plan_rejected(db: asyncpg.Connection, event: PlanRejected, meta: EventMeta) -> None:
    await db.execute(
        "UPDATE plans SET status = $2, session_id = $3, decided_on = $4 WHERE plan_id = $1",
        event.plan_id,
        PlanStatus.REJECTED.value,
        event.session_id,
        event.rejected_on,
    )


@read_models.on(CommitteeSessionHeld)
async def on_session_held(
    db: asyncpg.Connection, event: CommitteeSessionHeld, meta: EventMeta
) -> None:
    members = [member.model_dump(mode="json") for member in event.members]
    await db.execute(
        """INSERT INTO committee_sessions (session_id, country_office, region, commune, held_on,
               members)
           VALUES ($1, $2, $3, $4, $5, $6::jsonb) ON CONFLICT DO NOTHING""",
        event.session_id,
        meta.country_office,
        event.locality.region,
        event.locality.commune,
        event.held_on,
        json.dumps(members),
    )


@read_models.on(ConveningThresholdSet)
async def on_threshold_set(
    db: asyncpg.Connection, event: ConveningThresholdSet, meta: EventMeta
) -> None:
    await db.execute(
        """INSERT INTO convening_thresholds (country_office, threshold, set_on)
           VALUES ($1, $2, $3)
           ON CONFLICT (country_office) DO UPDATE SET threshold = $2, set_on = $3""",
        meta.country_office,
        event.threshold,
        event.set_on,
    )


# The one store of the service (app.py's definition runs it): commands append through it,
# queries read plan histories from it.
store = EventStore(projections=[read_models])
