"""Commands over HTTP: record a follow-up visit, score a survey, set the office's schedule."""

from datetime import date
from uuid import UUID

from fastapi import APIRouter, status

from monitoring import domain, handlers
from monitoring.access import FieldWorker, OfficeReader, ScheduleKeeper, ensure_in_office
from monitoring.api_models import (
    FollowUpRecordedResponse,
    FollowUpVisit,
    ScheduleBody,
    ScheduleResponse,
    SustainabilityScoreResponse,
    SustainabilitySurvey,
)
from monitoring.scoring import ScoringConfig, programme_configs
from reintegration_contracts.events.monitoring import FollowUpRecorded, SustainabilityScored
from reintegration_sdk.errors import InvalidField, NotFound
from reintegration_sdk.http import RuntimeDep

router = APIRouter(prefix="/offices/{country_office}", tags=["follow-ups"])


@router.post(
    "/returnees/{returnee_id}/follow-ups",
    status_code=status.HTTP_201_CREATED,
    response_model=FollowUpRecordedResponse,
)
async def record_follow_up(
    country_office: str,
    returnee_id: UUID,
    body: FollowUpVisit,
    principal: FieldWorker,
    runtime: RuntimeDep,
) -> FollowUpRecordedResponse:
    command = domain.RecordFollowUp(
        **body.model_dump(exclude={"support_kinds"}),
        support_kinds=tuple(body.support_kinds),
        returnee_id=returnee_id,
        caseworker=principal.subject,
        today=date.today(),
    )
    async with runtime.transaction() as db:
        await ensure_in_office(db, returnee_id, country_office)
        stored = await handlers.follow_up(db, command, runtime.context(principal, country_office))
    event = stored[0].payload()
    assert isinstance(event, FollowUpRecorded)
    return FollowUpRecordedResponse(**event.model_dump())


@router.post(
    "/returnees/{returnee_id}/sustainability-surveys",
    status_code=status.HTTP_201_CREATED,
    response_model=SustainabilityScoreResponse,
)
async def score_survey(
    country_office: str,
    returnee_id: UUID,
    body: SustainabilitySurvey,
    principal: FieldWorker,
    runtime: RuntimeDep,
) -> SustainabilityScoreResponse:
    config = programme_configs().get(body.programme)
    if config is None:
        raise InvalidField("programme", f"no scoring configuration {body.programme!r}")
    command = domain.ScoreSustainability(
        body.survey_id, returnee_id, body.scored_on, config, body.answers, date.today()
    )
    async with runtime.transaction() as db:
        await ensure_in_office(db, returnee_id, country_office)
        stored = await handlers.follow_up(db, command, runtime.context(principal, country_office))
    event = stored[0].payload()
    assert isinstance(event, SustainabilityScored)
    return SustainabilityScoreResponse(**event.model_dump())


@router.get("/scoring-configs/{programme}", response_model=ScoringConfig)
async def scoring_config(country_office: str, programme: str, _: OfficeReader) -> ScoringConfig:
    """A programme's survey: indicators, answer scales, weights, threshold (see the method in
    programmes/README.md)."""
    config = programme_configs().get(programme)
    if config is None:
        raise NotFound(f"no scoring configuration {programme!r}")
    return config


@router.get("/follow-up-schedule", response_model=ScheduleResponse)
async def read_schedule(
    country_office: str, _: OfficeReader, runtime: RuntimeDep
) -> ScheduleResponse:
    async with runtime.pool.acquire() as db:
        schedule = await handlers.office_schedule(db, country_office)
    return ScheduleResponse(country_office=country_office, offsets_days=list(schedule.offsets_days))


@router.put("/follow-up-schedule", response_model=ScheduleResponse)
async def configure_schedule(
    country_office: str, body: ScheduleBody, principal: ScheduleKeeper, runtime: RuntimeDep
) -> ScheduleResponse:
    command = domain.ConfigureSchedule(tuple(body.offsets_days), date.today())
    async with runtime.transaction() as db:
        await handlers.configure_schedule(db, command, runtime.context(principal, country_office))
        schedule = await handlers.office_schedule(db, country_office)
    return ScheduleResponse(country_office=country_office, offsets_days=list(schedule.offsets_days))
