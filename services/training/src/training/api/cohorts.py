"""Cohorts: scheduling, enrolment, attendance, day-care cover, completion; their results."""

from datetime import date
from uuid import UUID, uuid4

from fastapi import APIRouter
from fastapi.responses import Response

from reintegration_contracts.events.training import (
    AllowanceAccrued,
    AttendanceRecorded,
    CourseKind,
    SkillCertified,
    TrainingCompleted,
)
from reintegration_sdk.http import RuntimeDep
from training import handlers
from training.api import export
from training.api.deps import Format, Office, Officer, Reader
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
from training.domain.cohorts import CompleteTraining, Mark, ScheduleCohort
from training.queries import cohorts as views

router = APIRouter(tags=["cohorts"])


@router.post("/{country_office}/cohorts", status_code=201)
async def schedule_cohort(
    country_office: Office, body: CohortPlan, principal: Officer, runtime: RuntimeDep
) -> Created:
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
    async with runtime.transaction() as db:
        context = runtime.context(principal, country_office)
        await handlers.schedule_cohort(db, runtime.store, context, command)
    return Created(id=command.cohort_id)


@router.post("/{country_office}/cohorts/{cohort_id}/enrolments", status_code=201)
async def enrol(
    country_office: Office,
    cohort_id: UUID,
    body: EnrolmentRequest,
    principal: Officer,
    runtime: RuntimeDep,
) -> Recorded:
    enrolled_on = body.enrolled_on or date.today()
    async with runtime.transaction() as db:
        context = runtime.context(principal, country_office)
        events = await handlers.enrol(
            db, runtime.store, context, cohort_id, body.returnee_id, enrolled_on
        )
    return Recorded(events=[event.event_name for event in events])


@router.post("/{country_office}/cohorts/{cohort_id}/attendance", status_code=201)
async def record_attendance(
    country_office: Office,
    cohort_id: UUID,
    body: AttendanceSheet,
    principal: Officer,
    runtime: RuntimeDep,
) -> AttendanceSummary:
    marks = tuple(Mark(mark.returnee_id, mark.present) for mark in body.marks)
    async with runtime.transaction() as db:
        context = runtime.context(principal, country_office)
        events = await handlers.record_attendance(
            db, runtime.store, context, cohort_id, body.day, marks
        )
    return AttendanceSummary(
        recorded=sum(isinstance(event, AttendanceRecorded) for event in events),
        allowances_accrued=sum(isinstance(event, AllowanceAccrued) for event in events),
    )


@router.post("/{country_office}/cohorts/{cohort_id}/daycare", status_code=201)
async def grant_daycare(
    country_office: Office,
    cohort_id: UUID,
    body: DaycareRequest,
    principal: Officer,
    runtime: RuntimeDep,
) -> Recorded:
    granted_on = body.granted_on or date.today()
    async with runtime.transaction() as db:
        context = runtime.context(principal, country_office)
        events = await handlers.grant_daycare(
            db, runtime.store, context, cohort_id, body.returnee_id, body.daily_amount, granted_on
        )
    return Recorded(events=[event.event_name for event in events])


@router.post("/{country_office}/cohorts/{cohort_id}/completions", status_code=201)
async def complete(
    country_office: Office,
    cohort_id: UUID,
    body: CompletionRequest,
    principal: Officer,
    runtime: RuntimeDep,
) -> Outcome:
    command = CompleteTraining(body.returnee_id, body.completed_on, body.exam_score, body.level)
    async with runtime.transaction() as db:
        context = runtime.context(principal, country_office)
        events = await handlers.complete(db, runtime.store, context, cohort_id, command)
    return Outcome(
        passed=any(isinstance(e, TrainingCompleted) and e.passed for e in events),
        certified=any(isinstance(e, SkillCertified) for e in events),
    )


@router.get("/{country_office}/cohorts", response_model=list[views.CohortSummary])
async def list_cohorts(
    country_office: Office,
    _: Reader,
    runtime: RuntimeDep,
    kind: CourseKind | None = None,
    format: Format = "json",
) -> Response:
    async with runtime.pool.acquire() as db:
        found = await views.cohorts(db, country_office, kind)
    return export.rows(found, views.CohortSummary, format, f"cohorts-{country_office}")


@router.get("/{country_office}/cohorts/{cohort_id}")
async def cohort(
    country_office: Office, cohort_id: UUID, _: Reader, runtime: RuntimeDep
) -> views.CohortDetail:
    async with runtime.pool.acquire() as db:
        return await views.cohort(db, country_office, cohort_id)


@router.get(
    "/{country_office}/cohorts/{cohort_id}/trainees", response_model=list[views.TraineeView]
)
async def cohort_trainees(
    country_office: Office, cohort_id: UUID, _: Reader, runtime: RuntimeDep, format: Format = "json"
) -> Response:
    async with runtime.pool.acquire() as db:
        found = await views.cohort(db, country_office, cohort_id)
    return export.rows(found.trainees, views.TraineeView, format, f"cohort-{cohort_id}")
