"""Intake's read models, built from its own events in the transaction that appends them.

None of them holds personal data: that is the vault's alone. A case's stage is recomputed
from everything known about it (its counselling here, the milestones and plans other services
reported, see reactions.py) whenever one of those changes, so it is the same whatever order
the events arrive in and however often: live, in a rebuild, or both.
"""

import json
from uuid import UUID

import asyncpg

from intake.domain import PlanOutcome, Stage, case_stage
from reintegration_contracts.events.intake import (
    CaseAssigned,
    CommunityMemberRegistered,
    ConsentRecorded,
    ConsentWithdrawn,
    CounsellingAttended,
    CounsellingInterviewRecorded,
    CounsellingSessionHeld,
    CvSupported,
    JobFairHeld,
    JobReferralMade,
    JobReferralOutcomeRecorded,
    PsychosocialAssistanceProvided,
    PsychosocialSessionHeld,
    ReturneeErased,
    ReturneeRegistered,
)
from reintegration_sdk import EventHandlers, EventMeta

read_models = EventHandlers(
    "intake-read-models",
    tables=[
        "caseload",
        "current_consents",
        "counselling_history",
        "counselling_sessions",
        "community_members",
        "psychosocial_sessions",
        "psychosocial_assistance",
        "job_fairs",
        "cv_support",
        "job_referrals",
    ],
)

_FACTS = """
SELECT c.country_office,
       EXISTS (SELECT 1 FROM counselling_history h WHERE h.returnee_id = c.returnee_id)
           AS counselled,
       ARRAY(SELECT m.stage FROM case_milestones m
             WHERE m.returnee_id = c.returnee_id AND m.country_office = c.country_office)
           AS milestones,
       ARRAY(SELECT coalesce(o.outcome, 'pending') FROM plan_beneficiaries b
             LEFT JOIN plan_outcomes o ON o.plan_id = b.plan_id
             WHERE b.returnee_id = c.returnee_id) AS plans
FROM caseload c WHERE c.returnee_id = $1
"""


async def refresh_stage(db: asyncpg.Connection, returnee_id: UUID) -> None:
    """Set a case's stage from what is known of it now (a returnee not registered here yet
    gets it when the registration arrives)."""
    # Lock first, read after: the facts are read by a statement that starts once a
    # transaction refreshing the same case concurrently has committed, so it sees that
    # transaction's facts too (one statement's snapshot predates the lock it waits for).
    if (
        await db.fetchval("SELECT 1 FROM caseload WHERE returnee_id = $1 FOR UPDATE", returnee_id)
        is None
    ):
        return
    facts = await db.fetchrow(_FACTS, returnee_id)
    stage = case_stage(
        facts["counselled"],
        (Stage(m) for m in facts["milestones"]),
        (PlanOutcome(p) for p in facts["plans"]),
    )
    await db.execute(
        "UPDATE caseload SET stage = $2 WHERE returnee_id = $1 AND stage <> $2",
        returnee_id,
        stage.value,
    )


@read_models.on(ReturneeRegistered)
async def on_returnee_registered(
    db: asyncpg.Connection, event: ReturneeRegistered, meta: EventMeta
) -> None:
    override = event.duplicate_override
    await db.execute(
        """INSERT INTO caseload (returnee_id, country_office, sub_office, arrival_date,
               return_type, region, commune, sex, age_band, is_minor, vulnerabilities,
               declared_trades, aspirations, household_size, stage, duplicate_override,
               registered_at, caseworker)
           VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12::jsonb, $13, $14, $15,
                   $16::jsonb, $17, $18)
           ON CONFLICT (returnee_id) DO NOTHING""",
        event.returnee_id,
        meta.country_office,
        event.sub_office,
        event.arrival_date,
        event.return_type.value,
        event.community.region,
        event.community.commune,
        event.sex.value,
        event.age_band.value,
        event.is_minor,
        [v.value for v in event.vulnerabilities],
        json.dumps([t.model_dump(mode="json") for t in event.declared_trades]),
        event.aspirations,
        event.household_size,
        Stage.REGISTERED.value,
        override.model_dump_json() if override else None,
        meta.time,
        event.caseworker,
    )
    # What other services reported before the registration reached this table still counts.
    await refresh_stage(db, event.returnee_id)


@read_models.on(CaseAssigned)
async def on_case_assigned(db: asyncpg.Connection, event: CaseAssigned, meta: EventMeta) -> None:
    await db.execute(
        """UPDATE caseload SET caseworker = $2, assignment = $3
           WHERE returnee_id = $1 AND assignment < $3""",
        event.returnee_id,
        event.caseworker,
        event.assignment,
    )


@read_models.on(ConsentRecorded)
async def on_consent_recorded(
    db: asyncpg.Connection, event: ConsentRecorded, meta: EventMeta
) -> None:
    await db.execute(
        """INSERT INTO current_consents (returnee_id, purpose, partner_category, given_on)
           VALUES ($1, $2, $3, $4) ON CONFLICT DO NOTHING""",
        event.returnee_id,
        event.purpose.value,
        event.partner_category.value,
        event.given_on,
    )


@read_models.on(ConsentWithdrawn)
async def on_consent_withdrawn(
    db: asyncpg.Connection, event: ConsentWithdrawn, meta: EventMeta
) -> None:
    await db.execute(
        """DELETE FROM current_consents
           WHERE returnee_id = $1 AND purpose = $2 AND partner_category = $3""",
        event.returnee_id,
        event.purpose.value,
        event.partner_category.value,
    )


@read_models.on(CounsellingInterviewRecorded)
async def on_interview_recorded(
    db: asyncpg.Connection, event: CounsellingInterviewRecorded, meta: EventMeta
) -> None:
    await db.execute(
        """INSERT INTO counselling_history (event_id, returnee_id, kind, happened_on,
               intended_track, skills, years_of_experience, aspirations, recorded_at)
           VALUES ($1, $2, 'interview', $3, $4, $5, $6, $7, $8) ON CONFLICT DO NOTHING""",
        meta.event_id,
        event.returnee_id,
        event.interviewed_on,
        event.intended_track.value,
        event.skills,
        event.years_of_experience,
        event.aspirations,
        meta.time,
    )
    await refresh_stage(db, event.returnee_id)


@read_models.on(CounsellingAttended)
async def on_counselling_attended(
    db: asyncpg.Connection, event: CounsellingAttended, meta: EventMeta
) -> None:
    await db.execute(
        """INSERT INTO counselling_history (event_id, returnee_id, kind, happened_on,
               session_id, days_since_arrival, recorded_at)
           VALUES ($1, $2, 'group_session', $3, $4, $5, $6) ON CONFLICT DO NOTHING""",
        meta.event_id,
        event.returnee_id,
        event.attended_on,
        event.session_id,
        event.days_since_arrival,
        meta.time,
    )
    await refresh_stage(db, event.returnee_id)


@read_models.on(CounsellingSessionHeld)
async def on_session_held(
    db: asyncpg.Connection, event: CounsellingSessionHeld, meta: EventMeta
) -> None:
    await db.execute(
        """INSERT INTO counselling_sessions (session_id, country_office, held_on, region,
               commune, experts_present, local_authorities_present, civil_society_present,
               participant_ids)
           VALUES ($1, $2, $3, $4, $5, $6::jsonb, $7, $8, $9) ON CONFLICT DO NOTHING""",
        event.session_id,
        meta.country_office,
        event.held_on,
        event.community.region,
        event.community.commune,
        json.dumps([e.model_dump(mode="json") for e in event.experts_present]),
        event.local_authorities_present,
        event.civil_society_present,
        event.participant_ids,
    )


@read_models.on(ReturneeErased)
async def on_returnee_erased(
    db: asyncpg.Connection, event: ReturneeErased, meta: EventMeta
) -> None:
    await db.execute(
        "UPDATE caseload SET erased_on = $2 WHERE returnee_id = $1",
        event.returnee_id,
        event.erased_on,
    )


# Beyond returnees (#20) ----------------------------------------------------------------------


@read_models.on(CommunityMemberRegistered)
async def on_member_registered(
    db: asyncpg.Connection, event: CommunityMemberRegistered, meta: EventMeta
) -> None:
    await db.execute(
        """INSERT INTO community_members (member_id, country_office, sub_office, registered_on,
               region, commune, sex, age_band, is_minor, vulnerabilities, caseworker)
           VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11) ON CONFLICT DO NOTHING""",
        event.member_id,
        meta.country_office,
        event.sub_office,
        event.registered_on,
        event.community.region,
        event.community.commune,
        event.sex.value,
        event.age_band.value,
        event.is_minor,
        [v.value for v in event.vulnerabilities],
        event.caseworker,
    )


@read_models.on(PsychosocialSessionHeld)
async def on_psychosocial_session_held(
    db: asyncpg.Connection, event: PsychosocialSessionHeld, meta: EventMeta
) -> None:
    await db.execute(
        """INSERT INTO psychosocial_sessions (session_id, country_office, kind, held_on, region,
               commune, facilitator, participant_ids)
           VALUES ($1, $2, $3, $4, $5, $6, $7, $8) ON CONFLICT DO NOTHING""",
        event.session_id,
        meta.country_office,
        event.kind.value,
        event.held_on,
        event.community.region,
        event.community.commune,
        event.facilitator.value,
        event.participant_ids,
    )


@read_models.on(PsychosocialAssistanceProvided)
async def on_psychosocial_assistance(
    db: asyncpg.Connection, event: PsychosocialAssistanceProvided, meta: EventMeta
) -> None:
    await db.execute(
        """INSERT INTO psychosocial_assistance (event_id, returnee_id, provided_on, forms)
           VALUES ($1, $2, $3, $4) ON CONFLICT DO NOTHING""",
        meta.event_id,
        event.returnee_id,
        event.provided_on,
        [f.value for f in event.forms],
    )


@read_models.on(JobFairHeld)
async def on_job_fair_held(db: asyncpg.Connection, event: JobFairHeld, meta: EventMeta) -> None:
    await db.execute(
        """INSERT INTO job_fairs (fair_id, country_office, held_on, region, commune,
               organisations, participant_ids, young_people_present)
           VALUES ($1, $2, $3, $4, $5, $6::jsonb, $7, $8) ON CONFLICT DO NOTHING""",
        event.fair_id,
        meta.country_office,
        event.held_on,
        event.locality.region,
        event.locality.commune,
        json.dumps([o.model_dump(mode="json") for o in event.organisations]),
        event.participant_ids,
        event.young_people_present,
    )


@read_models.on(CvSupported)
async def on_cv_supported(db: asyncpg.Connection, event: CvSupported, meta: EventMeta) -> None:
    await db.execute(
        """INSERT INTO cv_support (event_id, returnee_id, supported_on)
           VALUES ($1, $2, $3) ON CONFLICT DO NOTHING""",
        meta.event_id,
        event.returnee_id,
        event.supported_on,
    )


@read_models.on(JobReferralMade)
async def on_job_referral_made(
    db: asyncpg.Connection, event: JobReferralMade, meta: EventMeta
) -> None:
    await db.execute(
        """INSERT INTO job_referrals (referral_id, country_office, returnee_id, referred_on,
               to_kind, organisation_id, sector, fair_id)
           VALUES ($1, $2, $3, $4, $5, $6, $7, $8) ON CONFLICT DO NOTHING""",
        event.referral_id,
        meta.country_office,
        event.returnee_id,
        event.referred_on,
        event.to_kind.value,
        event.organisation_id,
        event.sector,
        event.fair_id,
    )


@read_models.on(JobReferralOutcomeRecorded)
async def on_referral_outcome(
    db: asyncpg.Connection, event: JobReferralOutcomeRecorded, meta: EventMeta
) -> None:
    # One outcome once: an event delivered again leaves the list as it was.
    outcome = {"outcome": event.outcome.value, "recorded_on": event.recorded_on.isoformat()}
    await db.execute(
        """UPDATE job_referrals SET outcomes = outcomes || jsonb_build_array($2::jsonb)
           WHERE referral_id = $1 AND NOT outcomes @> jsonb_build_array($2::jsonb)""",
        event.referral_id,
        json.dumps(outcome),
    )
