"""Training's read models, built from its own events in the transaction that appends them.

Every handler is idempotent on its own (a row keyed by what the event names is inserted once;
counts are recounted from the rows, never incremented), so a rebuild over live rows or a
redelivered stream changes nothing.
"""

from typing import TypeAlias

import asyncpg

from reintegration_contracts.events.training import (
    AllowanceAccrued,
    AttendanceRecorded,
    CohortScheduled,
    DailyAllowanceSet,
    DaycareCoverageGranted,
    SkillAssessed,
    SkillCertified,
    TrainingCentreContracted,
    TrainingCentreInspected,
    TrainingCentreRegistered,
    TrainingCompleted,
    TrainingEnrolled,
)
from reintegration_sdk import EventHandlers, EventMeta
from training.domain.cohorts import course_end

read_models = EventHandlers(
    "training-read-models",
    tables=[
        "centres",
        "cohorts",
        "trainees",
        "attendance",
        "allowances_owed",
        "assessments",
        "certifications",
        "daily_allowances",
    ],
)
Db: TypeAlias = asyncpg.Connection


@read_models.on(TrainingCentreRegistered)
async def on_centre_registered(db: Db, event: TrainingCentreRegistered, meta: EventMeta) -> None:
    await db.execute(
        """INSERT INTO centres (centre_id, country_office, name, city, trades, capacity)
           VALUES ($1, $2, $3, $4, $5, $6) ON CONFLICT DO NOTHING""",
        event.centre_id,
        meta.country_office,
        event.name,
        event.city,
        event.trades,
        event.capacity,
    )


@read_models.on(TrainingCentreInspected)
async def on_centre_inspected(db: Db, event: TrainingCentreInspected, meta: EventMeta) -> None:
    await db.execute(
        "UPDATE centres SET inspected_on = $2, inspection_passed = $3 WHERE centre_id = $1",
        event.centre_id,
        event.inspected_on,
        event.passed,
    )


@read_models.on(TrainingCentreContracted)
async def on_centre_contracted(db: Db, event: TrainingCentreContracted, meta: EventMeta) -> None:
    await db.execute(
        """UPDATE centres SET contract_reference = $2, contract_from = $3, contract_until = $4
           WHERE centre_id = $1""",
        event.centre_id,
        event.contract_reference,
        event.valid_from,
        event.valid_until,
    )


@read_models.on(CohortScheduled)
async def on_cohort_scheduled(db: Db, event: CohortScheduled, meta: EventMeta) -> None:
    await db.execute(
        """INSERT INTO cohorts (cohort_id, country_office, kind, trade, centre_id, region,
                                commune, start_date, end_date, capacity)
           VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10) ON CONFLICT DO NOTHING""",
        event.cohort_id,
        meta.country_office,
        event.kind.value,
        event.trade,
        event.centre_id,
        event.locality.region,
        event.locality.commune,
        event.start_date,
        course_end(event.start_date, event.duration_days),
        event.capacity,
    )


@read_models.on(TrainingEnrolled)
async def on_enrolled(db: Db, event: TrainingEnrolled, meta: EventMeta) -> None:
    await db.execute(
        """INSERT INTO trainees (cohort_id, returnee_id, country_office, enrolled_on)
           VALUES ($1, $2, $3, $4) ON CONFLICT DO NOTHING""",
        event.cohort_id,
        event.returnee_id,
        meta.country_office,
        event.enrolled_on,
    )


@read_models.on(AttendanceRecorded)
async def on_attendance(db: Db, event: AttendanceRecorded, meta: EventMeta) -> None:
    await db.execute(
        """INSERT INTO attendance (cohort_id, returnee_id, day, present) VALUES ($1, $2, $3, $4)
           ON CONFLICT DO NOTHING""",
        event.cohort_id,
        event.returnee_id,
        event.day,
        event.present,
    )
    await db.execute(
        """UPDATE trainees t SET days_present = a.present, days_absent = a.absent
           FROM (SELECT count(*) FILTER (WHERE present) AS present,
                        count(*) FILTER (WHERE NOT present) AS absent
                 FROM attendance WHERE cohort_id = $1 AND returnee_id = $2) a
           WHERE t.cohort_id = $1 AND t.returnee_id = $2""",
        event.cohort_id,
        event.returnee_id,
    )


@read_models.on(DaycareCoverageGranted)
async def on_daycare(db: Db, event: DaycareCoverageGranted, meta: EventMeta) -> None:
    await db.execute(
        "UPDATE trainees SET daycare_daily = $3 WHERE cohort_id = $1 AND returnee_id = $2",
        event.cohort_id,
        event.returnee_id,
        event.daily_amount,
    )


@read_models.on(AllowanceAccrued)
async def on_allowance(db: Db, event: AllowanceAccrued, meta: EventMeta) -> None:
    await db.execute(
        """INSERT INTO allowances_owed (cohort_id, returnee_id, day, country_office, allowance,
                                        daycare, currency)
           VALUES ($1, $2, $3, $4, $5, $6, $7) ON CONFLICT DO NOTHING""",
        event.cohort_id,
        event.returnee_id,
        event.day,
        meta.country_office,
        event.allowance,
        event.daycare,
        event.currency,
    )


@read_models.on(TrainingCompleted)
async def on_completed(db: Db, event: TrainingCompleted, meta: EventMeta) -> None:
    await db.execute(
        """UPDATE trainees SET completed_on = $3, exam_score = $4, passed = $5
           WHERE cohort_id = $1 AND returnee_id = $2""",
        event.cohort_id,
        event.returnee_id,
        event.completed_on,
        event.exam_score,
        event.passed,
    )


@read_models.on(SkillAssessed)
async def on_assessed(db: Db, event: SkillAssessed, meta: EventMeta) -> None:
    await db.execute(
        """INSERT INTO assessments (event_id, country_office, returnee_id, trade, centre_id,
                                    assessed_on, certified, level, training_recommended)
           VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9) ON CONFLICT DO NOTHING""",
        meta.event_id,
        meta.country_office,
        event.returnee_id,
        event.trade,
        event.centre_id,
        event.assessed_on,
        event.certified,
        event.level.value if event.level else None,
        event.training_recommended,
    )


@read_models.on(SkillCertified)
async def on_certified(db: Db, event: SkillCertified, meta: EventMeta) -> None:
    await db.execute(
        """INSERT INTO certifications (event_id, country_office, returnee_id, trade, level,
                                       route, centre_id, cohort_id, certified_on)
           VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9) ON CONFLICT DO NOTHING""",
        meta.event_id,
        meta.country_office,
        event.returnee_id,
        event.trade,
        event.level.value,
        event.route.value,
        event.centre_id,
        event.cohort_id,
        event.certified_on,
    )


@read_models.on(DailyAllowanceSet)
async def on_daily_allowance(db: Db, event: DailyAllowanceSet, meta: EventMeta) -> None:
    await db.execute(
        """INSERT INTO daily_allowances (country_office, effective_from, daily_amount, currency)
           VALUES ($1, $2, $3, $4) ON CONFLICT DO NOTHING""",
        meta.country_office,
        event.effective_from,
        event.daily_amount,
        event.currency,
    )
