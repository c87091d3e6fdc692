"""Request bodies of monitoring's commands, and their answers (the queries' are in
`queries/views.py`)."""

from datetime import date
from typing import Annotated
from uuid import UUID, uuid4

from pydantic import BaseModel, ConfigDict, Field

from reintegration_contracts.events.monitoring import IncomeBand
from reintegration_contracts.types import Slug


class Request(BaseModel):
    model_config = ConfigDict(extra="forbid")


class FollowUpVisit(Request):
    visit_id: UUID = Field(default_factory=uuid4, description="Send your own to retry safely")
    visited_on: date
    activity_running: bool
    monthly_revenue_band: IncomeBand
    monthly_profit_band: IncomeBand
    jobs_created: int = Field(ge=0, le=1000)
    support_needed: bool
    support_kinds: list[Slug] = Field(default_factory=list, max_length=20)
    satisfaction: int = Field(ge=1, le=5)


class FollowUpRecordedResponse(BaseModel):
    visit_id: UUID
    returnee_id: UUID
    order_id: UUID | None
    due_on: date | None
    visited_on: date


class SustainabilitySurvey(Request):
    survey_id: UUID = Field(default_factory=uuid4)
    programme: str = Field(default="standard", description="Scoring configuration id")
    scored_on: date
    answers: dict[Annotated[str, Field(max_length=64)], Annotated[str, Field(max_length=64)]]


class SustainabilityScoreResponse(BaseModel):
    survey_id: UUID
    returnee_id: UUID
    scoring_config: str
    economic: float
    social: float
    psychosocial: float
    composite: float
    sustainable: bool


class ScheduleBody(Request):
    offsets_days: list[int] = Field(min_length=1, max_length=24)


class ScheduleResponse(BaseModel):
    country_office: str
    offsets_days: list[int]
