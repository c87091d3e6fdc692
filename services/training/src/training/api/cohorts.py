"""Cohorts: scheduling, enrolment, attendance, day-care cover, completion; their results."""

from datetime import date
from uuid import UUID, uuid4

from fastapi import Response

from reintegration_contracts.events.training import (
    AllowanceAccrued,
    AttendanceRecorded,
    CourseKind,
    SkillCertified,
    TrainingCompleted,
)
from reintegration_sdk import CSV_ANSWER, Db, OfficePath, Work, office_router
from training import handlers
from training.api.deps import Format, Officer, Reader, spreadsheet
from training.api.models import (
    AttendanceSheet,
    AttendanceSummary,
    CohortPlan,
    CompletionRequest,
    Created,
    DaycareRequest,
    EnrolmentRequest,
    Outcome,
    Recorded,
)
from training.domain.cohorts import (
    CompleteTraining,
    Enrol,
    GrantDaycare,
    Mark,
    RecordAttendance,
    ScheduleCohort,
)
from training.queries import cohorts as views

router = office_router(tags=["cohorts"])


@router.post("/cohorts", status_code=201, dependencies=[Officer])
async def schedule_cohort(body: CohortPlan, work: Work) -> Created:
    command = ScheduleCohort(
        uuid4(),
        body.kind,
        body.locality,
        body.start_date,
        body.capacity,
        body.duration_days,
        body.trade,
        body.centre_id,
        modules=tuple(body.modules),
    )
    await handlers.schedule_cohort(work, command)
    return Created(id=command.cohort_id)


@router.post("/cohorts/{cohort_id}/enrolments", status_code=201, dependencies=[Officer])
async def enrol(cohort_id: UUID, body: EnrolmentRequest, work: Work) -> Recorded:
    """Enrol a returnee the office registered and counselled, as its programme counts
    counselling (409 with the rule otherwise: `returnee_not_registered`,
    `returnee_not_counselled`, `dated_in_the_future`, `cohort_full`, ...)."""
    today = date.today()
    command = Enrol(body.returnee_id, body.enrolled_on or today, today=today)
    return Recorded.of(await handlers.enrol(work, cohort_id, command))


@router.post("/cohorts/{cohort_id}/attendance", status_code=201, dependencies=[Officer])
async def record_attendance(
    cohort_id: UUID, body: AttendanceSheet, work: Work
) -> AttendanceSummary:
    """One day's sheet: each attended day accrues the allowance. One bad line records none."""
    marks = tuple(Mark(mark.returnee_id, mark.present) for mark in body.marks)
    command = RecordAttendance(body.day, marks, today=date.today())
    events = await handlers.record_attendance(work, cohort_id, command)
    return AttendanceSummary(
        recorded=sum(isinstance(event, AttendanceRecorded) for event in events),
        allowances_accrued=sum(isinstance(event, AllowanceAccrued) for event in events),
    )


@router.post("/cohorts/{cohort_id}/daycare", status_code=201, dependencies=[Officer])
async def grant_daycare(cohort_id: UUID, body: DaycareRequest, work: Work) -> Recorded:
    """Day-care cover for whom the office's programme allows (409 `daycare_not_allowed`,
    `daycare_not_offered`)."""
    today = date.today()
    command = GrantDaycare(
        body.returnee_id, body.daily_amount, body.granted_on or today, today=today
    )
    return Recorded.of(await handlers.grant_daycare(work, cohort_id, command))


@router.post("/cohorts/{cohort_id}/completions", status_code=201, dependencies=[Officer])
async def complete(cohort_id: UUID, body: CompletionRequest, work: Work) -> Outcome:
    """The course's end for one trainee: the exam and attendance (vocational) or attendance
    decide, by the office's programme's pass mark and threshold (409
    `attendance_not_recorded`, `dated_in_the_future`, ...)."""
    command = CompleteTraining(
        body.returnee_id, body.completed_on, body.exam_score, body.level, today=date.today()
    )
    events = await handlers.complete(work, cohort_id, command)
    return Outcome(
        passed=any(isinstance(e, TrainingCompleted) and e.passed for e in events),
        certified=any(isinstance(e, SkillCertified) for e in events),
    )


@router.get(
    "/cohorts",
    response_model=list[views.CohortSummary],
    responses=CSV_ANSWER,
    dependencies=[Reader],
)
async def list_cohorts(
    country_office: OfficePath, db: Db, kind: CourseKind | None = None, format: Format = "json"
) -> list[views.CohortSummary] | Response:
    found = await views.cohorts(db, country_office, kind)
    if format == "csv":
        return spreadsheet(f"cohorts-{country_office}", views.CohortSummary, found)
    return found


@router.get("/cohorts/{cohort_id}", dependencies=[Reader])
async def cohort(country_office: OfficePath, cohort_id: UUID, db: Db) -> views.CohortDetail:
    return await views.cohort(db, country_office, cohort_id)


@router.get(
    "/cohorts/{cohort_id}/trainees",
    response_model=list[views.TraineeView],
    responses=CSV_ANSWER,
    dependencies=[Reader],
)
async def cohort_trainees(
    country_office: OfficePath, cohort_id: UUID, db: Db, format: Format = "json"
) -> list[views.TraineeView] | Response:
    found = (await views.cohort(db, country_office, cohort_id)).trainees
    if format == "csv":
        return spreadsheet(f"cohort-{cohort_id}", views.TraineeView, found)
    return found
