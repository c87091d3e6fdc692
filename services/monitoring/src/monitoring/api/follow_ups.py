"""Follow-up visits, sustainability surveys and the office's schedule: requests become
commands, events become answers."""

from datetime import date
from uuid import UUID

from monitoring import handlers
from monitoring.api.deps import FieldWorker, Reader, ScheduleKeeper
from monitoring.api.models import (
    FollowUpRecordedResponse,
    FollowUpVisit,
    ScheduleBody,
    ScheduleResponse,
    SustainabilityScoreResponse,
    SustainabilitySurvey,
)
from monitoring.domain import ConfigureSchedule, RecordFollowUp, ScoreSustainability
from monitoring.scoring import ScoringConfig, programme_configs
from reintegration_contracts.events.monitoring import FollowUpRecorded, SustainabilityScored
from reintegration_sdk import InvalidField, NotFound, OfficePath, UnitOfWork, Work, office_router

router = office_router(tags=["follow-ups"])


@router.post("/returnees/{returnee_id}/follow-ups", status_code=201, dependencies=[FieldWorker])
async def record_follow_up(
    returnee_id: UUID, body: FollowUpVisit, work: Work
) -> FollowUpRecordedResponse:
    """A visit fulfils the earliest scheduled visit still open (409 `no_kit_delivered`,
    `visit_before_delivery`, `visit_already_recorded`)."""
    command = RecordFollowUp(
        **body.model_dump(exclude={"support_kinds"}),
        support_kinds=tuple(body.support_kinds),
        returnee_id=returnee_id,
        caseworker=work.context.actor,
        today=date.today(),
    )
    [event] = await handlers.record_follow_up(work, command)
    assert isinstance(event, FollowUpRecorded)
    return FollowUpRecordedResponse(**event.model_dump())


@router.post(
    "/returnees/{returnee_id}/sustainability-surveys",
    status_code=201,
    dependencies=[FieldWorker],
)
async def score_survey(
    returnee_id: UUID, body: SustainabilitySurvey, work: Work
) -> SustainabilityScoreResponse:
    config = programme_configs().get(body.programme)
    if config is None:
        raise InvalidField("programme", f"no scoring configuration {body.programme!r}")
    command = ScoreSustainability(
        body.survey_id, returnee_id, body.scored_on, config, body.answers, date.today()
    )
    [event] = await handlers.score_survey(work, command)
    assert isinstance(event, SustainabilityScored)
    return SustainabilityScoreResponse(**event.model_dump())


@router.get("/scoring-configs/{programme}", dependencies=[Reader])
async def scoring_config(country_office: OfficePath, programme: str) -> ScoringConfig:
    """A programme's survey: indicators, answer scales, weights, threshold (see the method in
    programmes/README.md)."""
    config = programme_configs().get(programme)
    if config is None:
        raise NotFound(f"no scoring configuration {programme!r}")
    return config


@router.get("/follow-up-schedule", dependencies=[Reader])
async def read_schedule(work: Work) -> ScheduleResponse:
    return await _schedule_answer(work)


@router.put("/follow-up-schedule", dependencies=[ScheduleKeeper])
async def configure_schedule(body: ScheduleBody, work: Work) -> ScheduleResponse:
    """The offsets (days after a delivery) of the visits scheduled for kits delivered from now."""
    await handlers.configure_schedule(
        work, ConfigureSchedule(tuple(body.offsets_days), date.today())
    )
    return await _schedule_answer(work)


async def _schedule_answer(work: UnitOfWork) -> ScheduleResponse:
    schedule = await handlers.office_schedule(work)
    return ScheduleResponse(
        country_office=work.country_office, offsets_days=list(schedule.offsets_days)
    )
